"""Sorting more rows than fit comfortably in memory: sorted runs on disk, merged as they are read.

A report that must be sorted (every list report, and a line report's summary list) keeps at
most :data:`RUN_WEIGHT` worth of rows in memory (a row weighs about one per 16 values it
holds, so a product with forty supplier prices weighs more than a unit of measure). Past that,
the rows are sorted and pickled to a temporary file of ours (``dear-export-sort-*.tmp`` in
the system's temporary folder, readable by the user only), and the runs are merged when the
rows are read back, so a 300,000-row export needs memory for a few thousand rows, not all.

The files hold company data: they are removed when the sorter closes, whatever happened
(an error, a cancel), and files left by a process that was killed are removed by the next
export (:func:`remove_stale_spills`).

The files are written and read through large buffers (:data:`WRITE_BUFFER`,
:data:`READ_BUFFER_BUDGET`), not the default 4-8 KB: every system call hands Python's
interpreter lock over, and a thread that gives it back more often than the switch interval
(1 ms in the window) keeps the window's thread from ever asking for it. With small buffers
the merge made five reads a millisecond and the window stalled for 50-130 ms at a time
(docs/perf-notes/wt-latency.md).
"""

from __future__ import annotations

import errno
import heapq
import logging
import os
import pickle
import tempfile
import time
from collections.abc import Generator, Iterator
from contextlib import suppress
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Generic, TypeVar

from app.errors import Cancelled, ExportError
from app.models import CancelToken
from app.services.exporting.order import sorted_in_slices

log = logging.getLogger(__name__)

T = TypeVar("T")

SPILL_PREFIX = "dear-export-sort-"
SPILL_SUFFIX = ".tmp"
# Weight kept in memory before a run goes to disk: about 160,000 values, 10-20 MB of Python
# objects. A plain row of up to 16 values weighs 1, so short lists never touch the disk.
RUN_WEIGHT = 10_000
# Rows pickled together: reading back holds one block per run in memory, so it stays small.
_BLOCK = 32
# Bytes gathered before one write to a run file (one run is written at a time).
WRITE_BUFFER = 256 * 1024
# Bytes of read buffer shared by the runs being merged, and the bounds of one run's share. Even
# at 64 KB (about 500 rows) a system call comes every few milliseconds, not several a millisecond.
READ_BUFFER_BUDGET = 2 * 1024 * 1024
_MIN_READ_BUFFER = 64 * 1024
_MAX_READ_BUFFER = 256 * 1024
VALUES_PER_WEIGHT = 16
# A spill file this old belongs to no running export (one run reads its files within hours).
STALE_SECONDS = 2 * 24 * 3600

_first = itemgetter(0)


class SortedSpill(Generic[T]):
    """Collect ``(key, item)`` pairs, then read the items back in key order (stable), any number of times.

    Use it as a context manager (or call :meth:`close`): that removes its files.
    """

    def __init__(
        self, *, run_weight: int = RUN_WEIGHT, folder: Path | None = None, cancel: CancelToken | None = None
    ) -> None:
        if run_weight < 1:
            raise ValueError("run_weight must be at least 1")
        self._run_weight = run_weight
        self._folder = Path(folder) if folder is not None else Path(tempfile.gettempdir())
        self._cancel = cancel
        self._buffer: list[tuple[Any, T]] = []
        self._runs: list[Path] = []
        self._readers: list[Generator[tuple[Any, T], None, None]] = []
        self._count = 0
        self._weight = 0
        self._sealed = False

    def __len__(self) -> int:
        return self._count

    @property
    def files(self) -> tuple[Path, ...]:
        """The run files on disk now (empty while everything fits in memory)."""
        return tuple(self._runs)

    def add(self, key: Any, item: T, *, values: int = 1) -> None:
        """Add one item with its sort key (keys must compare with each other).

        ``values`` is roughly how many values the item holds; it decides when a run goes to disk.
        """
        if self._sealed:
            raise RuntimeError("items cannot be added once reading has begun")
        self._buffer.append((key, item))
        self._count += 1
        self._weight += 1 + values // VALUES_PER_WEIGHT
        if self._weight >= self._run_weight:
            self._spill()

    def items(self) -> Iterator[T]:
        """Yield every item in key order; equal keys keep the order they were added in."""
        if not self._sealed:
            self._sealed = True
            self._buffer = sorted_in_slices(self._buffer, key=_first)
            if self._runs and self._buffer:
                self._write_run(self._buffer)  # the buffer's memory goes back before the merge
        if not self._runs:
            for _, item in self._buffer:
                yield item
            return
        buffer = read_buffer_size(len(self._runs))
        readers = [self._read_run(path, buffer) for path in self._runs]
        self._readers.extend(readers)
        try:
            for _, item in heapq.merge(*readers, key=_first):
                yield item
        finally:
            for reader in readers:
                reader.close()

    def close(self) -> None:
        """Remove the run files and forget the rows (safe to call twice)."""
        self._buffer = []
        # Open readers first: Windows cannot delete a file that is still open.
        readers, self._readers = self._readers, []
        for reader in readers:
            reader.close()
        runs, self._runs = self._runs, []
        for path in runs:
            _remove(path)

    def __enter__(self) -> SortedSpill[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- runs on disk

    def _spill(self) -> None:
        if self._cancel is not None and self._cancel.cancelled:
            raise Cancelled()
        ordered = sorted_in_slices(self._buffer, key=_first)
        self._weight = 0
        self._buffer = []  # only references go here: the rows live on in `ordered` until written
        self._write_run(ordered)

    def _write_run(self, pairs: list[tuple[Any, T]]) -> None:
        """Write sorted ``pairs`` to a new run file, emptying the list block by block as it goes."""
        try:
            handle, name = tempfile.mkstemp(prefix=SPILL_PREFIX, suffix=SPILL_SUFFIX, dir=self._folder)
        except OSError as error:
            raise self._disk_error(error) from error
        path = Path(name)
        self._runs.append(path)  # registered first, so close() removes it even if writing fails
        try:
            with os.fdopen(handle, "wb", buffering=WRITE_BUFFER) as file:
                while pairs:
                    pickle.dump(pairs[:_BLOCK], file, protocol=pickle.HIGHEST_PROTOCOL)
                    # Freed a block at a time: freeing 20,000 rows at once holds the interpreter
                    # long enough to make a window on another thread stutter.
                    del pairs[:_BLOCK]
        except OSError as error:
            raise self._disk_error(error) from error

    def _read_run(self, path: Path, buffer: int) -> Generator[tuple[Any, T], None, None]:
        file: IO[bytes]
        with path.open("rb", buffering=buffer) as file:
            while True:
                if self._cancel is not None and self._cancel.cancelled:
                    raise Cancelled()
                try:
                    block: list[tuple[Any, T]] = pickle.load(file)  # noqa: S301 - our own file, written above
                except EOFError:
                    return
                yield from block

    def _disk_error(self, error: OSError) -> ExportError:
        if error.errno == errno.ENOSPC:
            return ExportError(
                f'There is not enough free disk space in the temporary folder "{self._folder}" '
                "to sort the rows of this export.",
                hint="Free some space on that drive and export again.",
                details=f"{type(error).__name__}: {error}",
            )
        return ExportError(
            f'The rows of this export could not be sorted in the temporary folder "{self._folder}".',
            hint="Check that the temporary folder exists and that you can save files there.",
            details=f"{type(error).__name__}: {error}",
        )


def read_buffer_size(runs: int) -> int:
    """Return the read buffer of each of ``runs`` files merged at once (bytes)."""
    share = READ_BUFFER_BUDGET // max(1, runs)
    return max(_MIN_READ_BUFFER, min(_MAX_READ_BUFFER, share))


def remove_stale_spills(folder: Path | None = None, *, older_than: float = STALE_SECONDS) -> int:
    """Remove spill files an export killed mid-way left behind; return how many went."""
    where = Path(folder) if folder is not None else Path(tempfile.gettempdir())
    cutoff = time.time() - older_than
    removed = 0
    with suppress(OSError):
        for path in where.glob(f"{SPILL_PREFIX}*{SPILL_SUFFIX}"):
            with suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
    if removed:
        log.info("Removed %d sort file(s) left by an export that was stopped.", removed)
    return removed


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as error:  # on Windows a reader still open elsewhere; the next run retries
        log.warning("Could not remove the sort file %s: %s", path.name, error)
