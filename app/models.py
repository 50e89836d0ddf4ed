"""Plain, frozen data shared by every layer (stdlib only).

Connections, the catalogue's vocabulary (endpoint, filter and column specs),
export requests, progress events and results. Nothing here does I/O.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from app.cancel import CancelToken as CancelToken  # its home is app.cancel; imported from here too

DEFAULT_BASE_URL = "https://inventory.dearsystems.com/ExternalApi/v2/"
SECRET_MASK = "••••••••"  # noqa: S105 - the mask shown instead of a secret, not a secret

JsonDict = dict[str, Any]


# --------------------------------------------------------------------------- connections


@dataclass(frozen=True)
class RateLimit:
    """A share of DEAR's API limit: at most ``calls`` inside any rolling ``seconds`` window."""

    calls: int = 60
    seconds: float = 60.0

    _PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*$")

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """Parse ``CALLS/SECONDS`` (for example ``60/60`` or ``30/3``)."""
        match = cls._PATTERN.match(text)
        if not match:
            raise ValueError(f"'{text}' is not a rate limit: write it as CALLS/SECONDS, for example 60/60.")
        calls, seconds = int(match.group(1)), float(match.group(2))
        if calls < 1 or seconds <= 0:
            raise ValueError(f"'{text}' is not a usable rate limit: both numbers must be above zero.")
        return cls(calls, seconds)

    def __str__(self) -> str:
        seconds = int(self.seconds) if float(self.seconds).is_integer() else self.seconds
        return f"{self.calls}/{seconds}"

    @property
    def per_minute(self) -> float:
        """Calls per minute this limit allows."""
        return self.calls * 60.0 / self.seconds


@dataclass(frozen=True)
class Connection:
    """One company's API access. The key is masked in every repr."""

    name: str
    account_id: str
    application_key: str = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    rate_limit: RateLimit = RateLimit()
    session_only: bool = False
    demo: bool = False

    def __repr__(self) -> str:
        return (
            f"Connection(name={self.name!r}, account_id={self.account_id!r}, "
            f"application_key={SECRET_MASK!r}, base_url={self.base_url!r}, rate_limit='{self.rate_limit}')"
        )

    __str__ = __repr__


# --------------------------------------------------------------------------- catalogue vocabulary


class Group(StrEnum):
    """The report groups shown in the window, in display order."""

    PRODUCTS = "Products & stock"
    SALES = "Sales"
    PURCHASES = "Purchases"
    INVENTORY = "Inventory operations"
    MANUFACTURING = "Manufacturing"
    FINANCE = "Finance"
    REFERENCE = "Reference"


class FilterKind(StrEnum):
    """How a filter's value is entered and sent."""

    TEXT = "text"
    DATE = "date"  # a calendar date; sent as YYYY-MM-DDT00:00:00
    DATETIME = "date-time"  # an instant in UTC; sent as YYYY-MM-DDTHH:MM:SS (no Z, see docs/dear-api.md §5.1)
    CHOICE = "choice"
    BOOL = "yes/no"
    ID = "id"


class ValueKind(StrEnum):
    """How a column's values are typed in the workbook."""

    TEXT = "text"  # strings, codes and names: always written as text, never a formula
    NUMBER = "number"  # decimals kept as numbers
    INTEGER = "integer"
    DATE = "date"  # business date (DEAR sends T00:00:00): shown as a date
    DATETIME = "datetime"  # timestamp: shown as date and time
    BOOL = "bool"
    ID = "id"  # GUIDs: text
    MONEY = "money"  # amounts, prices, costs, totals: every digit kept, shown with 2 decimals
    QUANTITY = "quantity"  # counts of stock: a plain number, no forced decimals


@dataclass(frozen=True)
class FilterSpec:
    """One filter DEAR accepts on a list endpoint, under DEAR's own parameter name."""

    name: str
    label: str
    kind: FilterKind
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class RangeFilters:
    """The DEAR filters a report's date range fills in (catalogue data, by DEAR's own names).

    ``start`` takes the range's first instant. ``end``, when DEAR has a partner filter, takes its
    last; without one the filter is since-only and the export drops later rows itself (by the
    report's ``modified_field``, when ``start`` is its ``since_filter``).
    """

    start: str
    end: str | None = None


@dataclass(frozen=True)
class ColumnSpec:
    """One output column: a dotted path into the (flattened) row and a plain-English header."""

    field: str
    header: str
    kind: ValueKind = ValueKind.TEXT
    default: bool = True


@dataclass(frozen=True)
class ChildTable:
    """A nested array that can become its own sheet, linked to the parent by ID and name."""

    field: str
    label: str
    columns: tuple[ColumnSpec, ...]
    # ``field`` above shadows dataclasses.field inside this class body.
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)  # list params that fill the array


@dataclass(frozen=True)
class DetailSpec:
    """How to fetch one record's full document for a summary list row."""

    path: str
    param: str
    id_field: str


RowsHook = Callable[[Mapping[str, Any], Mapping[str, Any]], Iterable[JsonDict]]
"""Turns (summary row, detail document) into output rows (line-level reports)."""


@dataclass(frozen=True)
class ExtraChart:
    """A native chart over one extra table: its first column gives the categories."""

    title: str
    series: tuple[str, ...]  # headers of the table's columns, one series each
    y_title: str = ""


@dataclass(frozen=True)
class ExtraTable:
    """A small titled table on an extra sheet (a summary of a report's rows)."""

    title: str
    columns: tuple[ColumnSpec, ...]
    rows: tuple[tuple[Any, ...], ...]
    chart: ExtraChart | None = None


@dataclass(frozen=True)
class ExtraSheet:
    """A sheet a report adds before its own, computed from the rows it wrote."""

    name: str
    tables: tuple[ExtraTable, ...]
    notes: tuple[str, ...] = ()


class RowDigest(Protocol):
    """Reads a report's rows as they are written (keeping aggregates only) and returns extra sheets."""

    def add(self, row: Mapping[str, Any]) -> None:
        """Take one row, exactly as the report's hook produced it."""

    def sheets(self) -> tuple[ExtraSheet, ...]:
        """Return the extra sheets, once every row was added."""


@dataclass(frozen=True)
class EndpointSpec:
    """One exportable report: where its rows come from and how they look.

    Plain endpoints export their list rows. Line-level reports (``rows_hook`` set) walk
    the summary list, fetch each record's ``detail`` and let the hook yield one row per line.
    """

    key: str
    label: str
    description: str
    group: Group
    path: str
    list_key: str | None
    columns: tuple[ColumnSpec, ...]
    filters: tuple[FilterSpec, ...] = ()
    alt_list_keys: tuple[str, ...] = ()
    id_field: str = "ID"
    paginated: bool = True
    page_size: int = 1000
    fixed_params: Mapping[str, str] = field(default_factory=dict)
    children: tuple[ChildTable, ...] = ()
    detail: DetailSpec | None = None
    rows_hook: RowsHook | None = None
    modified_field: str | None = None
    since_filter: str | None = None
    sheet_name: str = ""
    # The list-row field holding the business date that the export's date range means (for
    # example a sale's order date), and its plain name. DEAR has no filter for these dates,
    # so the export applies the range to the list rows itself, before any detail request.
    date_field: str | None = None
    date_label: str = ""
    # The DEAR filters the date range sets when there is no ``date_field`` (None: the range
    # does not apply to this report).
    range_filters: RangeFilters | None = None
    order_by: tuple[str, ...] = ()  # list-row fields giving a stable, meaningful order (then the ID)
    key_fields: tuple[str, ...] = ()  # fields that together identify a row when id_field repeats
    # Makes a fresh digest per export: extra sheets (a summary, a chart) from this report's rows.
    digest: Callable[[], RowDigest] | None = None
    # Names the computation in app.services.stock_history that builds this report from whole
    # lists (stock history: docs/dear-api.md §11.1); None for reports written row by row.
    computed: str | None = None
    # Product-list fields (docs/dear-api.md §3.1) a line row may show though its document lacks them
    # (a sale line has no category): when a chosen column names one, the export reads the product
    # list once and fills it in by the row's ProductID, else its SKU (app.services.exporting.product_fields).
    product_fields: tuple[str, ...] = ()

    @property
    def is_line_report(self) -> bool:
        """True when each record needs a detail call and yields one row per line."""
        return self.rows_hook is not None

    @property
    def needs_detail(self) -> bool:
        """True when each list row costs one more request."""
        return self.detail is not None


# --------------------------------------------------------------------------- export jobs


class OutputFormat(StrEnum):
    """The file formats an export can write."""

    XLSX = "xlsx"
    CSV = "csv"


@dataclass(frozen=True)
class ReportRequest:
    """One report inside an export: its key, DEAR filters and chosen columns (None = defaults)."""

    key: str
    filters: Mapping[str, str] = field(default_factory=dict)
    columns: tuple[str, ...] | None = None
    include_children: bool = False
    # DEAR's list filters are since-only (docs/dear-api.md §8.8): when a date range has an end, rows whose
    # ``EndpointSpec.modified_field`` is at or after this UTC instant are dropped client-side.
    until: datetime | None = None
    # The export's date range on the entry's ``date_field`` (both days included; None = open).
    date_from: date | None = None
    date_to: date | None = None
    # The date range as the user chose it ("last-month", "2026-10-01..2026-10-31"): a workbook
    # records it, so a refresh works a relative range out again.
    dates: str | None = None
    snapshot: bool = False  # into a workbook: append today's rows, dated (see ExportRequest.snapshot)


@dataclass(frozen=True)
class ExportRequest:
    """Everything a worker needs to run an export; read on the GUI thread, then handed over."""

    connection: Connection
    reports: tuple[ReportRequest, ...]
    output: Path
    format: OutputFormat = OutputFormat.XLSX
    use_cache: bool = True
    # Write into the workbook at ``output`` (created when missing), keeping the user's parts;
    # ``snapshot``: append today's rows, stamped with the date, instead of replacing them.
    into: bool = False
    snapshot: bool = False
    # Every company to export, ``connection`` first; () means just ``connection``. With more than
    # one, each sheet gains a first column "Company" (see app.services.exporting.companies).
    connections: tuple[Connection, ...] = ()
    # Chosen as "every saved connection" (a living workbook records it; its refresh reads them all).
    all_connections: bool = False

    def __post_init__(self) -> None:
        if len(self.connections) <= 1:
            # One company is always ``connection`` (dataclasses.replace(request, connection=...) works).
            object.__setattr__(self, "connections", (self.connection,))
        elif self.connections[0] != self.connection:
            raise ValueError("connections must start with connection")

    @classmethod
    def for_companies(cls, connections: Iterable[Connection], **fields: Any) -> ExportRequest:
        """Build an export of several companies (the first is also ``connection``)."""
        chosen = tuple(connections)
        if not chosen:
            raise ValueError("an export needs at least one connection")
        return cls(connection=chosen[0], connections=chosen, **fields)

    @property
    def several_companies(self) -> bool:
        """True when more than one company is exported (sheets then have a Company column)."""
        return len(self.connections) > 1


@dataclass(frozen=True)
class Progress:
    """One progress event: honest numbers for the progress bar and the time left."""

    phase: str  # "listing", "details", "writing", "waiting", "done"
    message: str
    records_done: int = 0
    records_total: int | None = None
    calls_used: int = 0
    calls_remaining: int | None = None
    waiting_seconds: float = 0.0
    seconds_left: float | None = None
    # Several companies: one line per company ("Acme: Reading sales: 10 of 50"), in export order.
    companies: tuple[str, ...] = ()


@dataclass(frozen=True)
class SheetSummary:
    """What one sheet (or CSV file) received."""

    name: str
    rows: int
    complete: bool = True
    note: str = ""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote and how complete it is."""

    files: tuple[Path, ...]
    sheets: tuple[SheetSummary, ...]
    calls_used: int
    seconds: float
    complete: bool = True
    notes: tuple[str, ...] = ()
    from_cache: int = 0
    # Records that DEAR listed but that were deleted before their details were read, named as
    # the user knows them ("SO-01234"); they are skipped, not an error.
    vanished: tuple[str, ...] = ()
    # Companies that could not be exported while the others were written (several companies only).
    failures: tuple[CompanyFailure, ...] = ()
    # Several companies: the companies whose rows are in the file, in export order.
    companies: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompanyFailure:
    """A company left out of a several-company export: its name, why, and the exit status that means."""

    company: str
    message: str
    exit_status: int
    # Why, in a few words to follow the company's name ("DEAR refused its Account ID and key").
    reason: str = ""
