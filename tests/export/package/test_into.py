"""Writing reports into the user's workbook: ours replaced or added, every other member untouched."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName

from app.errors import FileInUseError
from app.export.package import xmltext
from app.export.package.metadata import from_xml
from app.export.package.zipcopy import WorkbookRefused
from tests.export.package.helpers import LINES, add_members, changed, members, rows, write

SHARED = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"}
USER_XML = b'<?xml version="1.0"?><budget xmlns="urn:example:budget"><year>2026</year></budget>'


def _user_workbook(path: Path) -> None:
    """A workbook a user made: their own "Sale order lines" sheet, formulas, a comment, a name."""
    book = openpyxl.Workbook()
    mine = book.active
    mine.title = LINES  # the same name our report's sheet would take
    mine.append(["Plan", "Quantity"])
    mine.append(["North", 5])
    mine.append(["South", 7])
    mine["B4"] = "=SUM(B2:B3)"
    mine["A2"].comment = Comment("checked by Sam", "Sam")
    notes = book.create_sheet("Notes")
    notes["A1"] = "Keep me"
    book.defined_names["Budget"] = DefinedName("Budget", attr_text=f"'{LINES}'!$B$2:$B$3")
    book.save(path)
    rels_add = (
        b'<Relationship Id="rIdUser9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/customXml" Target="../customXml/item1.xml"/></Relationships>'
    )
    add_members(
        path,
        {"customXml/item1.xml": USER_XML},
        {"xl/_rels/workbook.xml.rels": lambda data: data.replace(b"</Relationships>", rels_add)},
    )


def _record(path: Path):  # type: ignore[no-untyped-def]
    data = members(path)
    ours = [
        d
        for name, d in data.items()
        if re.fullmatch(r"customXml/item\d+\.xml", name) and b"urn:dear-export" in d
    ]
    assert len(ours) == 1
    return from_xml(ours[0])


def test_into_a_missing_workbook_creates_it_with_table_and_record(tmp_path: Path) -> None:
    target = tmp_path / "new.xlsx"
    write(target, rows(3))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [LINES, "About this export"]
    assert book[LINES].tables["SaleOrderLines"].ref == "A1:C4"
    record = _record(target)
    (report,) = record.reports
    assert report.recipe.key == "sale-order-lines"
    assert report.recipe.dates == "last-month"
    assert report.recipe.filters == (("Status", "COMPLETED"),)
    assert [(s.name, s.table) for s in report.sheets] == [(LINES, "SaleOrderLines")]


def test_user_parts_stay_byte_identical_and_a_same_named_user_sheet_is_never_overwritten(
    tmp_path: Path,
) -> None:
    target = tmp_path / "mine.xlsx"
    _user_workbook(target)
    before = members(target)
    write(target, rows(4))
    after = members(target)
    # Only the shared parts changed; the user's sheets, comments, custom XML... are the same bytes.
    assert changed(before, after) <= SHARED
    assert after["customXml/item1.xml"] == USER_XML
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [LINES, "Notes", f"{LINES} (2)", "About this export"]
    assert book[LINES]["B4"].value == "=SUM(B2:B3)"
    assert book[LINES]["A2"].comment.text == "checked by Sam"
    assert "Budget" in book.defined_names
    ours = book[f"{LINES} (2)"]
    assert [c.value for c in ours[1]] == ["Customer", "Quantity", "Order date"]
    assert [ours.cell(row=r, column=2).value for r in range(2, 6)] == [0, 1, 2, 3]
    assert ours["A1"].font.bold
    assert ours["C2"].value == datetime(2026, 11, 5)
    assert ours["C2"].number_format == "yyyy-mm-dd"
    assert ours.tables["SaleOrderLines"].ref == "A1:C5"
    (report,) = _record(target).reports
    assert report.sheets[0].name == f"{LINES} (2)"
    # The workbook recalculates on opening, so the user's formulas show the new figures.
    assert b'fullCalcOnLoad="1"' in after["xl/workbook.xml"]


def test_a_report_already_there_keeps_its_position_sheet_id_and_table(tmp_path: Path) -> None:
    target = tmp_path / "mine.xlsx"
    _user_workbook(target)
    write(target, rows(4))
    first = members(target)
    write(target, rows(9, start=100))
    second = members(target)
    assert changed(first, second) - SHARED, "our sheet must change"
    # The same members, nothing added: the sheet, its table and our record were replaced in place.
    assert set(first) == set(second)
    changed_parts = changed(first, second) - SHARED
    assert all(n.startswith(("xl/worksheets/sheet", "xl/tables/", "customXml/item")) for n in changed_parts)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [LINES, "Notes", f"{LINES} (2)", "About this export"]
    ours = book[f"{LINES} (2)"]
    assert ours.max_row == 10
    assert ours.cell(row=10, column=2).value == 108
    assert ours.tables["SaleOrderLines"].ref == "A1:C10"
    ids = [m.group(0) for m in xmltext.elements(second["xl/workbook.xml"], "sheet")]
    assert ids == [m.group(0) for m in xmltext.elements(first["xl/workbook.xml"], "sheet")]
    # The styles part grows once: the second write finds our formats already there.
    assert second["xl/styles.xml"] == first["xl/styles.xml"]


def test_sheets_a_report_no_longer_fills_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "mine.xlsx"
    _user_workbook(target)
    write(target, rows(7), max_rows=4)  # header + 3 rows a sheet: three sheets
    book = openpyxl.load_workbook(target)
    # Our report's sheet is "... (2)" (the user has the plain name); its parts continue from it.
    ours = f"{LINES} (2)"
    assert book.sheetnames == [LINES, "Notes", ours, f"{ours} (2)", f"{ours} (3)", "About this export"]
    write(target, rows(2), max_rows=4)
    after = members(target)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [LINES, "Notes", f"{LINES} (2)", "About this export"]
    assert book[f"{LINES} (2)"].max_row == 3
    (report,) = _record(target).reports
    assert [s.name for s in report.sheets] == [f"{LINES} (2)"]
    listed = xmltext.override_types(after["[Content_Types].xml"])
    assert all(name in after for name in listed), "every listed part exists"
    tables = [name for name in after if name.startswith("xl/tables/")]
    assert len(tables) == 1


def test_an_xlsm_keeps_its_macros_and_stays_macro_enabled(tmp_path: Path) -> None:
    target = tmp_path / "macros.xlsm"
    _user_workbook(target)
    macro_type = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    vba = bytes(range(256)) * 40
    add_members(
        target,
        {"xl/vbaProject.bin": vba},
        {
            "[Content_Types].xml": lambda d: d.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", macro_type
            ).replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
            ),
            "xl/_rels/workbook.xml.rels": lambda d: d.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
                b'vbaProject" Target="vbaProject.bin"/></Relationships>',
            ),
        },
    )
    write(target, rows(3))
    after = members(target)
    assert after["xl/vbaProject.bin"] == vba
    assert macro_type in after["[Content_Types].xml"]
    assert b"vbaProject.bin" in after["xl/_rels/workbook.xml.rels"]
    assert openpyxl.load_workbook(target, keep_vba=True)[f"{LINES} (2)"]["B4"].value == 2


def _refused_untouched(target: Path, match: str) -> None:
    before = target.read_bytes()
    with pytest.raises(WorkbookRefused, match=match):
        write(target, rows(2))
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_a_password_protected_workbook_is_refused_untouched(tmp_path: Path) -> None:
    target = tmp_path / "locked.xlsx"
    target.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)
    _refused_untouched(target, "protected with a password")


def test_a_file_that_is_not_a_workbook_is_refused_untouched(tmp_path: Path) -> None:
    target = tmp_path / "notes.xlsx"
    target.write_text("just some text, not a workbook")
    _refused_untouched(target, "is not an Excel workbook")


def test_a_damaged_workbook_is_refused_untouched(tmp_path: Path) -> None:
    target = tmp_path / "broken.xlsx"
    _user_workbook(target)
    target.write_bytes(target.read_bytes()[:-300])  # the zip's directory is cut off
    _refused_untouched(target, "is damaged")


def test_a_workbook_open_in_excel_is_left_untouched(tmp_path: Path) -> None:
    target = tmp_path / "open.xlsx"
    _user_workbook(target)
    (tmp_path / "~$open.xlsx").write_bytes(b"lock")
    before = target.read_bytes()
    with pytest.raises(FileInUseError):
        write(target, rows(2))
    assert target.read_bytes() == before


def test_snapshots_append_a_day_and_replace_todays_rows(tmp_path: Path) -> None:
    target = tmp_path / "history.xlsx"
    _user_workbook(target)
    first, second = date(2026, 11, 30), date(2026, 12, 1)
    write(target, rows(3), snapshot=True, today=first)
    write(target, rows(3, start=10), snapshot=True, today=first)  # again the same day: replaced
    write(target, rows(2, start=20), snapshot=True, today=second)  # a new day: appended
    ws = openpyxl.load_workbook(target)[f"{LINES} (2)"]
    assert [c.value for c in ws[1]] == ["Snapshot date", "Customer", "Quantity", "Order date"]
    got = [(r[0].value, r[2].value) for r in ws.iter_rows(min_row=2)]
    day1, day2 = datetime(2026, 11, 30), datetime(2026, 12, 1)
    assert got == [(day1, 10), (day1, 11), (day1, 12), (day2, 20), (day2, 21)]
    assert ws["A2"].number_format == "yyyy-mm-dd"
    assert ws.tables["SaleOrderLines"].ref == "A1:D6"
    (report,) = _record(target).reports
    assert report.recipe.snapshot


def test_members_are_copied_with_their_compressed_bytes(tmp_path: Path) -> None:
    target = tmp_path / "mine.xlsx"
    _user_workbook(target)
    with zipfile.ZipFile(target) as archive:
        before = {i.filename: (i.CRC, i.compress_size) for i in archive.infolist()}
    write(target, rows(2))
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        after = {i.filename: (i.CRC, i.compress_size) for i in archive.infolist()}
    for name in before.keys() - SHARED:
        assert after[name] == before[name], name


def test_a_table_the_user_turned_into_a_range_is_made_again(tmp_path: Path) -> None:
    target = tmp_path / "mine.xlsx"
    _user_workbook(target)
    write(target, rows(3))
    data = members(target)
    sheet = "xl/worksheets/sheet3.xml"  # ours, after the user's two sheets
    table = next(n for n in data if n.startswith("xl/tables/"))
    assert b"SaleOrderLines" in data[table]
    # As Excel's "Convert to Range" leaves it: no table part, no link, no <tableParts>.
    add_members(
        target,
        {},
        {
            sheet: lambda d: re.sub(rb"<tableParts.*?</tableParts>", b"", d),
            "xl/worksheets/_rels/sheet3.xml.rels": lambda d: re.sub(
                rb"<Relationship [^>]*table[^>]*/>", b"", d
            ),
            "[Content_Types].xml": lambda d: d.replace(table.encode(), b"xl/gone.xml"),
        },
    )
    with zipfile.ZipFile(target) as archive, zipfile.ZipFile(tmp_path / "cut.xlsx", "w") as cut:
        for info in archive.infolist():
            if info.filename != table:
                cut.writestr(info, archive.read(info))
    (tmp_path / "cut.xlsx").replace(target)
    assert "SaleOrderLines" not in openpyxl.load_workbook(target)[f"{LINES} (2)"].tables
    write(target, rows(5))
    ws = openpyxl.load_workbook(target)[f"{LINES} (2)"]
    assert ws.tables["SaleOrderLines"].ref == "A1:C6"
