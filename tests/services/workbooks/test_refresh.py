"""What a workbook records becomes the export that refreshes it; relative ranges move with the calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from app.export.package.metadata import ReportRecipe, ReportRecord, WorkbookRecord
from app.export.package.zipcopy import WorkbookRefused
from app.models import Connection, ExportRequest, OutputFormat, ReportRequest
from app.services.workbooks.plan import recipe_of, workbook_plan
from app.services.workbooks.refresh import (
    describe,
    describe_filters,
    read_record,
    recorded_connection,
    refresh_request,
    report_request,
)
from tests.export.package.helpers import rows, write

CONNECTION = Connection(name="Acme NZ", account_id="acct", application_key="key")


def test_a_relative_range_is_worked_out_again_on_each_day() -> None:
    recipe = ReportRecipe("sale-order-lines", "Acme NZ", (("Status", "AUTHORISED"),), "last-month")
    november = report_request(recipe, date(2026, 11, 20))
    december = report_request(recipe, date(2026, 12, 2))
    assert (november.date_from, november.date_to) == (date(2026, 10, 1), date(2026, 10, 31))
    assert (december.date_from, december.date_to) == (date(2026, 11, 1), date(2026, 11, 30))
    assert november.filters == {"Status": "AUTHORISED"}
    assert november.dates == "last-month"


def test_explicit_days_stay_the_same_days() -> None:
    recipe = ReportRecipe("sale-order-lines", dates="2026-03-01..2026-03-31", columns=("SKU", "Quantity"))
    request = report_request(recipe, date(2027, 1, 1))
    assert (request.date_from, request.date_to) == (date(2026, 3, 1), date(2026, 3, 31))
    assert request.columns == ("SKU", "Quantity")


def test_the_filters_a_range_set_are_not_recorded_the_range_is() -> None:
    # Products have no business date: "last month" sets their changed-since filter.
    chosen = ReportRequest("products", {"Name": "Widget"}, dates="last-month")
    from app import dates
    from app.services.date_filters import apply_date_range

    resolved = apply_date_range(chosen, dates.resolve("last-month", date(2026, 11, 20)))
    assert "ModifiedSince" in resolved.filters
    recipe = recipe_of(resolved, "Acme NZ")
    assert recipe.filters == (("Name", "Widget"),)
    assert recipe.dates == "last-month"
    again = report_request(recipe, date(2026, 12, 5))
    assert again.filters["ModifiedSince"].startswith("2026-1")  # November's start, in UTC
    assert again.filters["ModifiedSince"] != resolved.filters["ModifiedSince"]


def test_the_plan_marks_snapshot_reports_and_csv_records_nothing(tmp_path: Path) -> None:
    report = ReportRequest("locations", snapshot=True)
    request = ExportRequest(CONNECTION, (report,), tmp_path / "b.xlsx")
    plan = workbook_plan(request)
    assert plan is not None
    assert plan.into and plan.reports[0].recipe.snapshot
    assert plan.reports[0].title == "Locations and bins"
    csv = ExportRequest(
        CONNECTION, (ReportRequest("locations"),), tmp_path / "b.csv", format=OutputFormat.CSV
    )
    assert workbook_plan(csv) is None


def test_a_written_workbook_is_read_back_into_a_refresh(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    write(book, rows(2))
    record = read_record(book)
    assert recorded_connection(record) == "Acme"
    (shown,) = describe(record)
    assert (shown.label, shown.sheet, shown.filters) == (
        "Sale order lines",
        "Sale order lines",
        "Last month; Status = COMPLETED",
    )
    assert shown.refreshed is not None
    request = refresh_request(book, record, CONNECTION, today=date(2026, 12, 2))
    assert request.into and request.output == book
    assert request.reports[0].date_from == date(2026, 11, 1)


def test_a_workbook_without_our_reports_is_refused(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    with pytest.raises(WorkbookRefused, match="holds no reports written by DEAR Export"):
        read_record(plain)


def test_describe_names_unknown_reports_by_key() -> None:
    record = WorkbookRecord((ReportRecord(ReportRecipe("gone-report", dates="2026-01-01..2026-01-31")),))
    (shown,) = describe(record)
    assert shown.label == "gone-report"
    assert describe_filters(record.reports[0].recipe) == "2026-01-01 to 2026-01-31"
