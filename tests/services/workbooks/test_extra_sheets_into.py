"""Reports that add sheets of their own (Profit summary, Stock check) written into a workbook and refreshed.

The summary sheet of ``sale-profit-lines`` (and its chart) is the report's: ``--into`` twice and a
refresh replace it in place, never add a "Profit summary (2)", and leave one chart behind, with
the figures of a plain export of the same data. The computed stock reports write and refresh the
same way; the "Stock check" sheet comes and goes with the mismatches.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from app.export.package.metadata import WorkbookRecord
from app.export.package.workbook_part import resolve
from app.export.package.xmltext import parse_relationships
from app.models import CancelToken, ExportRequest, Progress, ReportRequest
from app.sandbox import Sandbox
from app.services.exporting import ExportService
from app.services.workbooks.refresh import read_record, refresh_request
from tests.export.package.helpers import changed, members
from tests.export.package.lo import read_recalculated, require_libreoffice
from tests.services.exporting.test_run import connect, sheet_rows

SUMMARY, LINES, ABOUT = "Profit summary", "Sale profit by line", "About this export"
TODAY = date(2026, 11, 30)


def tables(path: Path) -> dict[str, tuple[str, str]]:
    """Each sheet's Excel table (name, range), after checking it covers the sheet's rows exactly."""
    book = openpyxl.load_workbook(path)
    try:
        found = {}
        for sheet in book.worksheets:
            for item in sheet.tables.values():
                assert item.ref == f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}", sheet.title
                found[sheet.title] = (item.displayName, item.ref)
        return found
    finally:
        book.close()


def sheet_names(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def charts(path: Path) -> list[str]:
    """The drawing and chart members, after checking every internal link of the package resolves."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        types = archive.read("[Content_Types].xml").decode()
        for rels in (n for n in names if n.endswith(".rels")):
            source = rels.replace("_rels/", "").removesuffix(".rels")
            for rel in parse_relationships(archive.read(rels)):
                if not rel.external:
                    assert resolve(source, rel.target) in names, (rels, rel.target)
        found = sorted(n for n in names if n.startswith(("xl/charts/", "xl/drawings/")))
        for name in found:
            assert name.endswith(".rels") or f'PartName="/{name}"' in types, name
        return found


def export(sb: Sandbox, target: Path, report: ReportRequest, *, into: bool) -> None:
    request = ExportRequest(connect(sb), (report,), target, into=into)
    result = ExportService(cache=None).run(request, CancelToken())
    assert result.complete


def refresh(sb: Sandbox, target: Path, on_progress: Callable[[Progress], None] | None = None) -> None:
    request = refresh_request(target, read_record(target), connect(sb))
    result = ExportService(cache=None).run(request, CancelToken(), on_progress)
    assert result.complete


def user_workbook(path: Path) -> None:
    """A workbook of the user's, with a sheet of notes (made before any export touches it)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Notes"
    sheet["A1"] = "Monthly profit review"
    sheet["B2"] = "=1+1"
    book.save(path)


def extra_entries(record: WorkbookRecord) -> list[tuple[str, bool]]:
    (report,) = record.reports
    return [(entry.name, entry.extra) for entry in report.sheets]


def test_profit_summary_is_replaced_in_place_by_into_and_refresh(
    make_sandbox: Callable[..., Sandbox], tmp_path: Path
) -> None:
    sb = make_sandbox(rate_limit=None, counts={"sale": 40})
    target = tmp_path / "w.xlsx"
    user_workbook(target)
    export(sb, target, ReportRequest("sale-profit-lines"), into=True)
    # A report new to the workbook: its summary before its lines, after the user's sheet.
    assert sheet_names(target) == ["Notes", SUMMARY, LINES, ABOUT]
    first_names = sheet_names(target)
    assert extra_entries(read_record(target)) == [(LINES, False), (SUMMARY, True)]
    first_summary = sheet_rows(target, SUMMARY)
    assert len(charts(target)) == 3  # one drawing, its relationships, one chart
    user_part = members(target)

    export(sb, target, ReportRequest("sale-profit-lines"), into=True)
    assert sheet_names(target) == first_names  # replaced in place: no "Profit summary (2)"
    assert sheet_rows(target, SUMMARY) == first_summary
    assert len(charts(target)) == 3

    # DEAR changes: three sales are touched (new lines, quantities), then the workbook is refreshed.
    sb.touch("sale", 3)
    refresh(sb, target)
    assert sheet_names(target) == first_names
    assert extra_entries(read_record(target)) == [(LINES, False), (SUMMARY, True)]
    plain = tmp_path / "plain.xlsx"
    export(sb, plain, ReportRequest("sale-profit-lines"), into=False)
    assert sheet_rows(target, SUMMARY) == sheet_rows(plain, SUMMARY)
    assert sheet_rows(target, LINES) == sheet_rows(plain, LINES)
    # One table, the lines' (the summary has none), named as at the first export.
    assert tables(target) == {LINES: ("SaleProfitByLine", tables(plain)[LINES][1])}
    assert len(charts(target)) == 3
    # The chart still draws the summary's own cells.
    chart_xml = next(data for name, data in members(target).items() if name.startswith("xl/charts/chart"))
    assert f"'{SUMMARY}'!".encode() in chart_xml or f"{SUMMARY}!".encode() in chart_xml
    # The user's sheet is untouched, byte for byte.
    after = members(target)
    notes = [name for name in user_part if name == "xl/worksheets/sheet1.xml"]
    assert notes and not changed({n: user_part[n] for n in notes}, after)
    # LibreOffice opens the result with the summary's chart (drawn from the summary's cells).
    require_libreoffice()
    shown = read_recalculated(target, SUMMARY, "A1")
    assert shown["sheets"] == first_names
    assert shown["charts"][SUMMARY] == 1 and shown["charts"][LINES] == 0


def test_profit_summary_of_a_new_workbook_is_recorded_and_refreshed(
    make_sandbox: Callable[..., Sandbox], tmp_path: Path
) -> None:
    sb = make_sandbox(rate_limit=None, counts={"sale": 30})
    target = tmp_path / "new.xlsx"
    export(sb, target, ReportRequest("sale-profit-lines"), into=True)  # created: written as a plain export
    assert sheet_names(target) == [SUMMARY, LINES, ABOUT]
    refresh(sb, target)
    refresh(sb, target)
    assert sheet_names(target) == [SUMMARY, LINES, ABOUT]
    assert len(charts(target)) == 3
    plain = tmp_path / "plain.xlsx"
    export(sb, plain, ReportRequest("sale-profit-lines"), into=False)
    assert sheet_rows(target, SUMMARY) == sheet_rows(plain, SUMMARY)


def test_stock_reports_into_and_refresh_and_the_stock_check_comes_and_goes(
    make_sandbox: Callable[..., Sandbox], tmp_path: Path
) -> None:
    sb = make_sandbox(rate_limit=None, today=TODAY)
    target = tmp_path / "stock.xlsx"
    user_workbook(target)
    reports = (
        ReportRequest("stock-at-date", {"AsOf": "2026-10-31"}),
        ReportRequest("stock-movements"),
        ReportRequest("stock-movement-summary", date_from=date(2026, 10, 1), date_to=date(2026, 10, 31)),
    )
    request = ExportRequest(connect(sb), reports, target, into=True)
    assert ExportService(cache=None).run(request, CancelToken()).complete
    names = sheet_names(target)
    assert "Stock check" not in names and names[0] == "Notes"
    at_date = next(n for n in names if n.startswith("Stock on hand"))
    first = sheet_rows(target, at_date)

    # A sale ships one more unit between the two reads: the refresh finds a mismatch.
    ds = sb.dataset
    shipped = next(i for i in range(ds.counts["sale"]) if ds.sales[i]["CombinedShippingStatus"] == "SHIPPED")
    touched: list[str] = []

    def on_progress(event: Progress) -> None:
        if "stock rows" in event.message and not touched:
            touched.extend(sb.touch("sale", ds.detail("sale", shipped)["ID"]))

    refresh(sb, target, on_progress)
    assert touched
    with_check = sheet_names(target)
    assert with_check.count("Stock check") == 1
    assert [n for n in with_check if n != "Stock check"] == names
    assert len(sheet_rows(target, "Stock check")) == 2  # the header and the one mismatch
    record = read_record(target)
    owner = next(r for r in record.reports if r.recipe.key == "stock-at-date")
    assert [e.name for e in owner.sheets] == [at_date, "Stock check"]

    assert set(tables(target)) == {*names[1:-1], "Stock check"} - {ABOUT}
    refresh(sb, target)  # no movement in between: the check passes and its sheet goes
    assert sheet_names(target) == names
    assert set(tables(target)) == set(names[1:]) - {ABOUT}
    assert len(sheet_rows(target, at_date)) == len(first)
    plain = tmp_path / "plain.xlsx"
    request = ExportRequest(connect(sb), reports, plain)
    assert ExportService(cache=None).run(request, CancelToken()).complete
    for name in names[1:]:
        if name != ABOUT:
            assert sheet_rows(target, name) == sheet_rows(plain, name), name
