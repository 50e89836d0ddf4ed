"""A report's extra sheet (a summary with its chart) written into a user's workbook, again and again.

The summary is the report's own: it is replaced in place with its chart (never a second chart
left behind), it pairs with the summary of the next run even when the report gains child sheets,
and it goes, chart and all, when a run makes none.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from app.export.package.into import IntoWriter
from app.export.package.metadata import PlannedReport, ReportRecipe, WorkbookPlan
from app.export.package.workbook_part import Package, resolve
from app.export.package.xmltext import parse_relationships
from app.models import ColumnSpec, ExtraChart, ExtraSheet, ExtraTable, ValueKind
from tests.export.package.helpers import members
from tests.services.exporting.test_run import sheet_rows

MAIN, CHILD, SUMMARY = "Profit lines", "Profit children", "Summary"
COLUMNS = (ColumnSpec("Customer", "Customer"), ColumnSpec("Profit", "Profit", ValueKind.NUMBER))


def summary(total: float) -> ExtraSheet:
    table = ExtraTable("By customer", COLUMNS, (("A", total), ("B", 2.0)), ExtraChart("Profit", ("Profit",)))
    return ExtraSheet(SUMMARY, (table,))


def write(target: Path, total: float | None, *, child: bool = False) -> None:
    recipe = ReportRecipe("sale-profit-lines", "Acme", include_children=child)
    with IntoWriter(target, plan=WorkbookPlan((PlannedReport(recipe, MAIN),), into=True)) as writer:
        main = writer.add_sheet(MAIN, COLUMNS)
        children = writer.add_sheet(CHILD, COLUMNS) if child else None
        main.write_row(["A", total or 0])
        if children is not None:
            children.write_row(["child", 1])
        if total is not None:
            writer.add_extra_sheets([summary(total)], before=main)


def user_workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Mine"
    sheet["A1"] = "notes"
    book.save(path)


def drawings(path: Path) -> dict[str, list[str]]:
    """Each sheet's drawing parts and their charts, after checking no link of the package dangles."""
    with zipfile.ZipFile(path) as archive:
        package = Package(archive, path)
        names = set(archive.namelist())
        for rels in (n for n in names if n.endswith(".rels")):
            source = rels.replace("_rels/", "").removesuffix(".rels")
            for rel in parse_relationships(archive.read(rels)):
                assert rel.external or resolve(source, rel.target) in names, (rels, rel.target)
        found = {}
        for sheet in package.sheets:
            part = package.sheet_part(sheet)
            _, rels = package.part_rels(part)
            for rel in rels:
                member = resolve(part, rel.target)
                if member.startswith("xl/drawings/"):
                    _, inner = package.part_rels(member)
                    found[sheet.name] = [member, *(resolve(member, r.target) for r in inner)]
        loose = {n for n in names if n.startswith(("xl/charts/chart", "xl/drawings/drawing"))}
        assert loose == {m for parts in found.values() for m in parts}, "no chart is left behind"
        return found


def test_the_summary_is_replaced_with_its_chart_pairs_with_itself_and_goes_when_not_made(
    tmp_path: Path,
) -> None:
    target = tmp_path / "mine.xlsx"
    user_workbook(target)
    mine = members(target)["xl/worksheets/sheet1.xml"]
    write(target, 5.0)
    assert openpyxl.load_workbook(target, read_only=True).sheetnames == [
        "Mine",
        SUMMARY,
        MAIN,
        "About this export",
    ]
    assert list(drawings(target)) == [SUMMARY]
    write(target, 7.0)  # again: the summary replaced in place, one chart
    assert openpyxl.load_workbook(target, read_only=True).sheetnames == [
        "Mine",
        SUMMARY,
        MAIN,
        "About this export",
    ]
    assert list(drawings(target)) == [SUMMARY] and len(drawings(target)[SUMMARY]) == 2
    assert ("A", 7) in sheet_rows(target, SUMMARY)

    write(target, 9.0, child=True)  # the report gains a child sheet: the summary stays the summary
    names = openpyxl.load_workbook(target, read_only=True).sheetnames
    assert names == ["Mine", SUMMARY, MAIN, "About this export", CHILD]
    assert ("A", 9) in sheet_rows(target, SUMMARY) and sheet_rows(target, CHILD)[1] == ("child", 1)
    assert list(drawings(target)) == [SUMMARY]

    write(target, None, child=True)  # no summary this time: its sheet and chart go
    assert openpyxl.load_workbook(target, read_only=True).sheetnames == [
        "Mine",
        MAIN,
        "About this export",
        CHILD,
    ]
    assert drawings(target) == {}
    assert members(target)["xl/worksheets/sheet1.xml"] == mine
