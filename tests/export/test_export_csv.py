"""The CSV writer: UTF-8 with BOM, CRLF, excel dialect, one file per sheet, same value rules."""

from __future__ import annotations

import csv
from pathlib import Path

from app.export import open_writer
from app.models import ColumnSpec, OutputFormat
from app.models import ValueKind as K

COLUMNS = [
    ColumnSpec("Name", "Name"),
    ColumnSpec("ID", "ID", K.ID),
    ColumnSpec("OrderDate", "Order date", K.DATE),
    ColumnSpec("Updated", "Updated", K.DATETIME),
    ColumnSpec("Total", "Total", K.NUMBER),
    ColumnSpec("Lines", "Lines", K.INTEGER),
    ColumnSpec("Active", "Active", K.BOOL),
]
GUID = "5f8ee220-0b6c-4a3c-9c1e-3b8b1e2a8d11"
ROWS = [
    ['Müller "Quotes", Ltd', GUID, "2024-03-05T00:00:00", "2017-12-05T06:54:54.9289846Z", 25.2803, 4, True],
    ["שלום עולם", GUID, "2024-03-05", "2026-08-28T12:59:44.05", "1234.5678", "7", "false"],
    ['=HYPERLINK("http://evil")', None, None, "", 0.00001, -3, None],
    ["+1", "", "0001-01-01T00:00:00", "not a date", "N2", 2.5, "maybe"],
    ["-x", "@id", "2024-03-05T13:28:33.363", "2024-06-01T10:15:00+02:00", -17.25, 0, False],
    ["line one\r\nline two\x07", "a,b", "", None, 8, None, "TRUE"],
]
EXPECTED = [
    ["Name", "ID", "Order date", "Updated", "Total", "Lines", "Active"],
    ['Müller "Quotes", Ltd', GUID, "2024-03-05", "2017-12-05 06:54:54", "25.2803", "4", "TRUE"],
    ["שלום עולם", GUID, "2024-03-05", "2026-08-28 12:59:44", "1234.5678", "7", "FALSE"],
    ['\'=HYPERLINK("http://evil")', "", "", "", "0.00001", "-3", ""],
    ["'+1", "", "0001-01-01T00:00:00", "not a date", "N2", "2.5", "maybe"],
    ["'-x", "'@id", "2024-03-05 13:28:33", "2024-06-01 08:15:00", "-17.25", "0", "FALSE"],
    ["line one\r\nline two", "a,b", "", "", "8", "", "TRUE"],
]


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file, dialect="excel"))


def test_one_sheet_round_trips_through_the_target_itself(tmp_path: Path) -> None:
    target = tmp_path / "sales.csv"
    with open_writer(target, OutputFormat.CSV) as writer:
        sheet = writer.add_sheet("Sales", COLUMNS)
        for row in ROWS:
            sheet.write_row(row)
    assert sheet.rows == len(ROWS)
    assert writer.files == (target, tmp_path / "sales - About.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sales - About.csv", "sales.csv"]

    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    assert raw.count(b"\r\n") == len(EXPECTED) + 1  # CRLF after each record, plus the one inside a field
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert _read(target) == EXPECTED


def test_several_sheets_go_to_files_named_after_them(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    with open_writer(target, OutputFormat.CSV) as writer:
        lines = writer.add_sheet("Sale lines: 2024/25", COLUMNS)
        products = writer.add_sheet("Products", [ColumnSpec("SKU", "SKU")])
        for n, row in enumerate(ROWS):  # interleaved
            lines.write_row(row)
            products.write_row([f"SKU-{n}"])
    names = ["export - Sale lines- 2024-25.csv", "export - Products.csv", "export - About.csv"]
    assert writer.files == tuple(tmp_path / name for name in names)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
    assert _read(tmp_path / names[0]) == EXPECTED
    assert _read(tmp_path / names[1]) == [["SKU"]] + [[f"SKU-{n}"] for n in range(len(ROWS))]
    about = dict(_read(tmp_path / "export - About.csv")[1:])
    assert about["Rows in file export - Sale lines- 2024-25.csv"] == str(len(ROWS))
    assert about["Rows in file export - Products.csv"] == str(len(ROWS))


def test_csv_has_no_row_limit_and_truncates_like_excel(tmp_path: Path) -> None:
    target = tmp_path / "long.csv"
    with open_writer(target, OutputFormat.CSV, max_rows=3) as writer:
        sheet = writer.add_sheet("Notes", [ColumnSpec("a", "Notes")])
        for _ in range(5):
            sheet.write_row(["x" * 40_000])
    rows = _read(target)
    assert len(rows) == 6
    assert all(
        len(row[0]) == 32_767 and row[0].endswith("[truncated: 40,000 characters in DEAR]")
        for row in rows[1:]
    )
