"""Several companies in one export: read side by side, then written one company after another.

Each company (a saved connection with its own key) is read on a thread of its own, with its own
DEAR client, so each spends its own key's budget (the governor is per key: app/api/governor.py;
DEAR counts its limit per API application, docs/dear-api.md §1) and two companies take about
as long as one. A company's sheets are held in a :class:`~app.services.exporting.buffer.BufferedSheets`
(bounded memory, the rest on disk) until it and the companies before it are read; then its rows
are appended to the export's sheets (:class:`JointSheets`) while the companies after it are
still being read. Each report gets ONE sheet with the columns "Company" (the connection's name)
and "Company's base currency" first and the rows of each company together, in the order the
companies were chosen. Rows keep their own currency columns as in a one-company export.

A company that fails (its key refused or missing from the keyring, DEAR unreachable, the limit
never lifting: any ApiError) is named and left out; the others are still written and
``ExportResult.failures`` says which failed, with the exit status a scheduler should see. Only
when every company fails does the export fail as a one-company export does. A cancel, a disk
problem or a bug stops every company.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Generator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from app.api.governor import RateGovernor
from app.errors import EXIT_AUTH, ApiError, AppError, Cancelled, CredentialError, exit_code_for
from app.export import ExportWriter, SheetWriter
from app.models import CancelToken, ColumnSpec, CompanyFailure, Connection, ExportRequest, Progress, ValueKind
from app.services.cache import CacheService, RecordCache
from app.services.exporting.buffer import BufferedSheets
from app.services.exporting.client import ClientFactory
from app.services.exporting.company_keys import keyless
from app.services.exporting.company_progress import CompanyBoard
from app.services.exporting.company_wording import short_reason
from app.services.exporting.plan import Plan
from app.services.exporting.progress import WaitWatch
from app.services.exporting.reports import Outcome, ReportRunner, run_reports
from app.services.exporting.spill import RUN_WEIGHT
from app.services.stock_history.reports import COMPUTED

log = logging.getLogger(__name__)

COMPANY_COLUMN = ColumnSpec("\x00company", "Company", ValueKind.TEXT)
CURRENCY_COLUMN = ColumnSpec("\x00company-currency", "Company's base currency", ValueKind.TEXT)
# How often the waiting thread looks at the cancel token and at companies that stopped with a bug.
_POLL_SECONDS = 0.1
# A "writing" event at most every this many rows (the feed throttles them further).
_WRITE_STEP = 1_000
# Requests in flight per company while several companies are read at once (one company alone
# keeps the client's 4). Each request in flight can bring a page of up to 1,000 records and the
# client keeps up to four times as many answers waiting to be used in order, so the memory held
# grows with companies x this bound (bench/companies.py --memory). Under DEAR's limit (60 calls
# a minute per key, docs/dear-api.md §1) two in flight keep each key's budget busy.
SEVERAL_IN_FLIGHT = 2


@dataclass
class CompanyRead:
    """What reading one company gave: its buffered sheets and outcomes, or why it failed."""

    connection: Connection
    dear_name: str = ""
    currency: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    sheets: BufferedSheets | None = None
    calls: int = 0
    record_cache: RecordCache | None = None
    failure: AppError | None = None

    @property
    def name(self) -> str:
        """The connection's name: what the Company column says."""
        return self.connection.name

    @property
    def from_cache(self) -> int:
        """Records that came from the local cache."""
        return self.record_cache.stats.from_cache if self.record_cache is not None else 0

    def close(self) -> None:
        """Remove the company's buffered rows."""
        if self.sheets is not None:
            self.sheets.close()


def open_record_cache(
    cache: CacheService | None, connection: Connection, plans: Sequence[Plan]
) -> RecordCache | None:
    """Open a company's record cache for this export (None: no report reads details, or no cache)."""
    if cache is None or not any(plan.spec.needs_detail for plan in plans):
        return None
    record_cache = cache.open(connection)
    if not record_cache.available:
        record_cache.close()
        return None
    return record_cache


def failure_text(error: AppError) -> str:
    """Say in words why a company was left out (the error's message and what to do)."""
    return error.user_text()


class CompanyReader:
    """Reads the companies of one export side by side into buffers."""

    def __init__(
        self,
        client_factory: ClientFactory,
        cache: CacheService | None,
        *,
        spill_folder: Path | None = None,
        run_weight: int = RUN_WEIGHT,
    ) -> None:
        self._client_factory = client_factory
        self._cache = cache
        self._spill_folder = spill_folder
        self._run_weight = run_weight

    def read_in_order(
        self, request: ExportRequest, plans: Sequence[Plan], board: CompanyBoard, cancel: CancelToken
    ) -> Generator[CompanyRead, None, None]:
        """Read every company at once; yield each, in export order, as soon as it is read.

        A failed company is yielded carrying its error. The caller writes (and closes) each read
        while the companies after it are still being read. Raises Cancelled, ExportError or an
        unexpected error as soon as one happens in any company: every company then stops, and
        the buffers of the companies not yet yielded are removed.
        """
        stop = CancelToken()  # the readers' own token: set on the user's cancel or another's fatal error
        connections = request.connections
        pool = ThreadPoolExecutor(max_workers=len(connections), thread_name_prefix="dear-company")
        futures = [
            pool.submit(self._read, request, connection, plans, board, index, stop)
            for index, connection in enumerate(connections)
        ]
        handed = 0
        try:
            for future in futures:
                while not future.done():
                    wait([future], timeout=_POLL_SECONDS)
                    _stop_on_trouble(futures, cancel, stop)
                _stop_on_trouble(futures, cancel, stop)
                handed += 1
                yield future.result()
        finally:
            stop.cancel()  # nothing left to read once the caller stops asking (a no-op when all are read)
            pool.shutdown(wait=True)
            for future in futures[handed:]:
                if future.done() and future.exception() is None:
                    future.result().close()

    def _read(
        self,
        request: ExportRequest,
        connection: Connection,
        plans: Sequence[Plan],
        board: CompanyBoard,
        index: int,
        cancel: CancelToken,
    ) -> CompanyRead:
        """Read one company (on its own thread); an ApiError makes a failed read, not an exception."""
        feed = board.lane(index)
        read = CompanyRead(connection)
        missing = keyless(connection)
        if missing is not None:  # its key is not in the keyring: nothing to send DEAR
            log.warning("Company '%s' could not be exported: %s", connection.name, missing.message)
            read.failure = missing
            board.end(index, f"NOT EXPORTED: {missing.message}")
            return read
        sheets = BufferedSheets(run_weight=self._run_weight, folder=self._spill_folder, cancel=cancel)
        try:
            feed.push(Progress(phase="connecting", message="Connecting to DEAR"), force=True)
            watch = WaitWatch(feed, connection.rate_limit)
            with self._client_factory(connection, on_event=watch) as client:
                # The key's one governor (shared by this client) takes the lower bound; the next
                # client made for the key (a one-company export, a look-up) sets its own again.
                RateGovernor.for_key(
                    connection.application_key, connection.rate_limit, max_in_flight=SEVERAL_IN_FLIGHT
                )
                me = client.me(cancel=cancel)
                # DEAR's /me names the company and its base currency (docs/dear-api.md §3.7, GET /me;
                # the doc lists no /me fields: "Currency" is the sandbox's, BaseCurrency a fallback).
                read.dear_name = str(me.get("Company") or "")
                read.currency = str(me.get("Currency") or me.get("BaseCurrency") or "")
                read.record_cache = open_record_cache(self._cache, connection, plans)
                try:
                    own = dataclasses.replace(request, connection=connection, connections=())
                    runner = ReportRunner(
                        own,
                        client,
                        feed,
                        watch,
                        read.record_cache,
                        cancel,
                        reports=len(plans),
                        spill_folder=self._spill_folder,
                        run_weight=self._run_weight,
                    )
                    read.outcomes = run_reports(runner, plans, sheets, COMPUTED)
                finally:
                    if read.record_cache is not None:
                        read.record_cache.close()
                read.calls = client.stats.calls
            read.sheets = sheets
            rows = sum(sheet.rows for sheet in sheets.sheets)
            feed.flush()
            board.end(index, f"read, {rows:,} rows")
            return read
        except ApiError as error:
            sheets.close()
            if cancel.cancelled:
                raise Cancelled() from error
            log.warning("Company '%s' could not be exported: %s", connection.name, error)
            read.failure = error
            board.end(index, f"NOT EXPORTED: {error.message}")
            return read
        except BaseException:
            sheets.close()
            raise


class JointSheets:
    """The export's real sheets: one per report, each company's rows appended in turn (Company first).

    The sheets are made from the first company written (every company read has the same
    sheets, from the same plans); :meth:`counts` gives each sheet's name and rows once done.
    """

    def __init__(self, writer: ExportWriter, board: CompanyBoard, cancel: CancelToken) -> None:
        self._writer = writer
        self._board = board
        self._cancel = cancel
        self._sheets: list[SheetWriter] = []

    def append(self, read: CompanyRead, index: int) -> None:
        """Write one company's rows into every sheet, then remove its buffer."""
        assert read.sheets is not None
        kept = read.sheets.sheets
        if not self._sheets:
            self._sheets = [
                self._writer.add_sheet(sheet.name, (COMPANY_COLUMN, CURRENCY_COLUMN, *sheet.columns))
                for sheet in kept
            ]
        total = sum(sheet.rows for sheet in kept)
        done = 0
        prefix = [read.name, read.currency]
        for target, sheet in zip(self._sheets, kept, strict=True):
            for values in sheet.kept_rows():
                if self._cancel.cancelled:
                    raise Cancelled()
                target.write_row([*prefix, *values])
                done += 1
                if done % _WRITE_STEP == 0:
                    self._board.end(index, f"writing its rows: {done:,} of {total:,}")
        self._board.end(index, f"written, {total:,} rows")
        read.close()

    def counts(self) -> list[tuple[str, int]]:
        """Each sheet's name (as the writer made it legal) and rows."""
        return [(sheet.name, sheet.rows) for sheet in self._sheets]


def failures_of(reads: Sequence[CompanyRead]) -> tuple[CompanyFailure, ...]:
    """Return the companies left out, with why and the exit status each means.

    3 when DEAR refused the key or the key is missing from the keyring (a credentials problem
    someone must fix either way), 4 when DEAR or the network failed.
    """
    return tuple(
        CompanyFailure(
            read.name, failure_text(read.failure), _exit_status(read.failure), short_reason(read.failure)
        )
        for read in reads
        if read.failure is not None
    )


def _exit_status(error: AppError) -> int:
    # Alone, a missing key is a usage error (2) raised before anything is read; among several
    # companies it is that company's credentials failing, like a refused key.
    return EXIT_AUTH if isinstance(error, CredentialError) else exit_code_for(error)


def _stop_on_trouble(futures: Sequence[Future[CompanyRead]], cancel: CancelToken, stop: CancelToken) -> None:
    """Raise the user's cancel, or the first company's error that must stop every company."""
    if cancel.cancelled:
        stop.cancel()
        raise Cancelled()
    for future in futures:
        if future.done():
            error = future.exception()
            # A reader's Cancelled only follows ``stop``, set for another company's real error.
            if error is not None and not isinstance(error, Cancelled):
                stop.cancel()
                raise error
