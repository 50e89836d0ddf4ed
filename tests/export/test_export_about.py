"""The "About this export" sheet and file: what was exported, when, how complete; never a secret."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import openpyxl

from app import __version__
from app.export import AboutInfo, ReportAbout, open_writer
from app.models import ColumnSpec, OutputFormat
from app.redact import register_secret

SECRET = "about-test-Application-Key-7f3a9c"
ABOUT = AboutInfo(
    company="Acme Trading Ltd",
    reports=(
        ReportAbout(
            "Sale order lines", "saleList + sale", {"Status": "COMPLETED", "Order date from": "2024-01-01"}
        ),
        ReportAbout("Products", "product", {"Search": ""}),
    ),
    exported_at=datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC),
    complete=False,
    missing_records=3,
    missing_reason="DEAR kept refusing three sale documents",
    from_cache=120,
    cache_refreshed_at=datetime(2026, 3, 3, 22, 0, 0, tzinfo=UTC),
    notes=("Run by the scheduler", f"key was {SECRET}"),
)


def _about_sheet(target: Path) -> tuple[list[str], dict[str, str]]:
    ws = openpyxl.load_workbook(target)["About this export"]
    rows = [(row[0].value, row[1].value if len(row) > 1 else None) for row in ws.iter_rows()]
    assert rows[0][0] == "About this export"
    assert all(ws.cell(row=r, column=2).data_type in ("s", "n") for r in range(1, ws.max_row + 1))
    notes = [value for item, value in rows[1:] if item == "Note"]
    return notes, dict(rows[1:])


def test_about_sheet_says_what_where_when_and_how_complete(tmp_path: Path) -> None:
    register_secret(SECRET)
    target = tmp_path / "about.xlsx"
    with open_writer(target, OutputFormat.XLSX) as writer:
        sales = writer.add_sheet("Sale order lines", [ColumnSpec("a", "Order")])
        for n in range(5):
            sales.write_row([f"SO-{n}"])
        writer.add_sheet("Products", [ColumnSpec("a", "SKU")]).write_row(["A-1"])
        writer.set_about(ABOUT)

    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames[-1] == "About this export"
    notes, about = _about_sheet(target)
    assert about["Company"] == "Acme Trading Ltd"
    assert about["Exported (UTC)"] == "2026-03-04 05:06:07 UTC"
    assert "this computer's time" in about["Exported"]
    assert about["Made with"] == f"DEAR Export {__version__}"
    assert about["Report 1"] == "Sale order lines"
    assert about["Report 1: DEAR endpoint"] == "saleList + sale"
    assert about["Report 1: filters"] == "Status: COMPLETED; Order date from: 2024-01-01"
    assert about["Report 2"] == "Products"
    assert about["Report 2: filters"] == "No filters (every record)"
    assert about["Rows in sheet Sale order lines"] == "5"
    assert about["Rows in sheet Products"] == "1"
    assert about["Complete"] == "No. 3 record(s) missing: DEAR kept refusing three sale documents"
    assert about["From the local cache"] == "120 record(s)"
    assert "this computer's time" in about["Cache last refreshed"]
    assert "UTC" in about["Times"]
    assert notes == ["Run by the scheduler", "key was ••••••••"]


def test_no_secret_and_no_account_id_anywhere_in_the_workbook(tmp_path: Path) -> None:
    register_secret(SECRET)
    target = tmp_path / "secret.xlsx"
    with open_writer(target, OutputFormat.XLSX, ABOUT) as writer:
        writer.add_sheet("S", [ColumnSpec("a", "A")]).write_row(["x"])
    texts = [
        str(cell.value)
        for ws in openpyxl.load_workbook(target).worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert texts
    assert not any(SECRET in text for text in texts)
    assert not any("Account ID" in text or "Application Key" in text for text in texts)


def test_complete_export_without_cache(tmp_path: Path) -> None:
    target = tmp_path / "plain.xlsx"
    with open_writer(target, OutputFormat.XLSX) as writer:
        writer.add_sheet("S", [ColumnSpec("a", "A")])
    _, about = _about_sheet(target)
    assert about["Company"] == "(not given)"
    assert about["Complete"].startswith("Yes")
    assert about["From the local cache"].startswith("None")
    assert about["Exported (UTC)"].endswith(" UTC")


def test_csv_about_file_also_explains_the_quote_before_formula_like_text(tmp_path: Path) -> None:
    register_secret(SECRET)
    target = tmp_path / "report.csv"
    with open_writer(target, OutputFormat.CSV, ABOUT) as writer:
        writer.add_sheet("Sale order lines", [ColumnSpec("a", "Order")]).write_row(["SO-1"])
    about_file = tmp_path / "report - About.csv"
    with about_file.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["Item", "Value"]
    about = dict(rows[1:])
    assert about["Company"] == "Acme Trading Ltd"
    assert about["Rows in file report.csv"] == "1"
    assert "'" in about["Text starting with = + - @"]
    assert SECRET not in about_file.read_text(encoding="utf-8-sig")
