"""Running the stock history reports: read products with their movements (and availability), compute, write.

The movements ride on the product list (``IncludeMovements=true``, docs/dear-api.md §11.1), about 100
products a request. Whether a new movement changes a product's ``LastModifiedOn`` is unknown
(§11.1), so nothing here comes from the record cache: every export reads the movements again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from app import catalogue
from app.api.paging import ListStats
from app.catalogue.flatten import project
from app.catalogue.stock_history import AS_OF, LOCAL_FILTERS, LOCATION, MOVEMENT_KIND, movement_rows
from app.dates import parse_dear_date
from app.export import SheetWriter
from app.models import ColumnSpec, ReportRequest, ValueKind
from app.services.exporting.order import sort_part
from app.services.exporting.plan import Plan, plan_report
from app.services.exporting.reports import Outcome, ReportRunner, SheetSink
from app.services.exporting.spill import SortedSpill
from app.services.stock_history.book import Mismatch, StockBook, same_location
from app.services.stock_history.wording import check_note, stock_note

AVAILABILITY = "product-availability"
CHECK_PAGE_SIZE = 1000
CHECK_SHEET = "Stock check"
CHECK_COLUMNS = (
    ColumnSpec("sku", "SKU"),
    ColumnSpec("name", "Product"),
    ColumnSpec("location", "Location"),
    ColumnSpec("batch", "Batch or serial"),
    ColumnSpec("moved", "Movements add up to", ValueKind.NUMBER),
    ColumnSpec("on_hand", "Stock on hand today", ValueKind.NUMBER),
    ColumnSpec("difference", "Difference", ValueKind.NUMBER),
)


@dataclass
class StockOutcome(Outcome):
    """A stock history report's outcome: its own note (dates, movements read, the stock check)."""

    text: str = ""
    extra_stats: list[ListStats] = field(default_factory=list)

    def note(self) -> str:
        """Return the report's sentences for the result and the About sheet."""
        return self.text


def dear_plan(plan: Plan) -> Plan:
    """Return the plan that reads the product list: DEAR's filters only, no date range on product rows."""
    params = {k: v for k, v in plan.params.items() if k not in LOCAL_FILTERS}
    request = replace(plan.request, date_from=None, date_to=None, until=None)
    return replace(plan, params=params, request=request, until=None)


def closing_day(plan: Plan, today: date) -> date:
    """Return the last day reported: ``AsOf`` (stock at a date), the range's end (summary), else today."""
    text = plan.filters.get(AS_OF, "")
    as_of = parse_dear_date(text) if text else None
    return as_of or plan.request.date_to or today


def availability_plan() -> Plan:
    """Return the plan that reads today's stock for the stock check.

    Its rows are light (only the cells it needs are kept): read 1,000 a request, which DEAR serves
    (docs/dear-api.md §2: 22,022 rows in 23 pages), not the 100 of the availability report.
    """
    return replace(plan_report(ReportRequest(AVAILABILITY)), page_size=CHECK_PAGE_SIZE)


def _read_availability(runner: ReportRunner, book: StockBook) -> ListStats:
    stats, _ = runner.collect(availability_plan(), book.add_availability)
    return stats


def _write_check(writer: SheetSink, mismatches: list[Mismatch]) -> SheetWriter:
    sheet = writer.add_sheet(CHECK_SHEET, CHECK_COLUMNS)
    for m in mismatches:
        sheet.write_row(
            [m.sku, m.name, m.location, m.batch or None, m.moved, m.on_hand, round(m.on_hand - m.moved, 4)]
        )
    return sheet


def _computed(runner: ReportRunner, plan: Plan, writer: SheetSink, summary: bool) -> Outcome:
    today = date.today()
    closing = closing_day(plan, today)
    opening = plan.request.date_from if summary else None
    book = StockBook(closing, opening, plan.filters.get(LOCATION, ""))
    stats, _ = runner.collect(dear_plan(plan), book.add_product)
    runner.check_cancel()
    availability = _read_availability(runner, book)
    sheet = writer.add_sheet(catalogue.sheet_title(plan.spec), plan.columns)
    rows = book.summary_rows() if summary else book.at_date_rows()
    for row in rows:
        runner.check_cancel()
        sheet.write_row(project(row, plan.columns))
    mismatches = book.mismatches()
    children = [_write_check(writer, mismatches)] if mismatches else []
    text = (
        stock_note(plan, book, stats, closing, opening, today)
        + " "
        + check_note(book, mismatches, availability)
    )
    worst = stats if not stats.complete or availability.complete else availability
    return StockOutcome(plan, sheet, worst, children, text=text, extra_stats=[availability])


def stock_at_date(runner: ReportRunner, plan: Plan, writer: SheetSink) -> Outcome:
    """Write "stock on hand at a date": today's stock minus the movements after the day."""
    return _computed(runner, plan, writer, summary=False)


def movement_summary(runner: ReportRunner, plan: Plan, writer: SheetSink) -> Outcome:
    """Write the stock movement summary for the export's date range."""
    return _computed(runner, plan, writer, summary=True)


def stock_movements(runner: ReportRunner, plan: Plan, writer: SheetSink) -> Outcome:
    """Write one row per movement; the date range, location and kind are applied after reading."""
    location, kind = plan.filters.get(LOCATION, ""), plan.filters.get(MOVEMENT_KIND, "")
    kept = [0, 0]  # movements kept, movements read

    def wanted(row: Mapping[str, Any]) -> bool:
        day = parse_dear_date(row["Date"]) if isinstance(row["Date"], str) else None
        if plan.request.date_from is not None and (day is None or day < plan.request.date_from):
            return False
        if plan.request.date_to is not None and (day is None or day > plan.request.date_to):
            return False
        if location and not same_location(str(row["Location"] or ""), location):
            return False
        return not kind or row["Kind"] == kind

    with SortedSpill[list[Any]](cancel=runner.cancel) as spill:

        def take(product: Mapping[str, Any]) -> None:
            for n, row in enumerate(movement_rows(product)):
                kept[1] += 1
                if wanted(row):
                    kept[0] += 1
                    key = (sort_part(row["SKU"]), sort_part(row["ProductID"]), n)
                    spill.add(key, project(row, plan.columns), values=len(plan.columns))

        stats, _ = runner.collect(dear_plan(plan), take)
        sheet = writer.add_sheet(catalogue.sheet_title(plan.spec), plan.columns)
        for values in spill.items():
            runner.check_cancel()
            sheet.write_row(values)
    text = stock_note(plan, None, stats, None, None, date.today(), movements=(kept[0], kept[1]))
    return StockOutcome(plan, sheet, stats, text=text)


# The computations that check the movements against today's stock on hand (one more list read).
CHECKED_AGAINST_AVAILABILITY = frozenset({"stock-at-date", "stock-movement-summary"})

COMPUTED: dict[str, Callable[[ReportRunner, Plan, SheetSink], Outcome]] = {
    "stock-movements": stock_movements,
    "stock-at-date": stock_at_date,
    "stock-movement-summary": movement_summary,
}
