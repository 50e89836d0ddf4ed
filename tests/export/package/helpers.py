"""Building user workbooks and comparing packages member by member, for the package tests."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from app.export import open_writer
from app.export.package.into import IntoWriter
from app.export.package.metadata import PlannedReport, ReportRecipe, WorkbookPlan
from app.models import ColumnSpec, OutputFormat, ValueKind

LINES = "Sale order lines"
COLUMNS = (
    ColumnSpec("Customer", "Customer"),
    ColumnSpec("Quantity", "Quantity", ValueKind.NUMBER),
    ColumnSpec("OrderDate", "Order date", ValueKind.DATE),
)


def plan(*, into: bool, snapshot: bool = False, dates: str | None = "last-month") -> WorkbookPlan:
    recipe = ReportRecipe(
        "sale-order-lines", "Acme", (("Status", "COMPLETED"),), dates, None, snapshot=snapshot
    )
    return WorkbookPlan((PlannedReport(recipe, LINES),), into=into)


def rows(count: int, start: int = 0) -> list[list[Any]]:
    return [[f"Customer {n % 3}", n, "2026-11-05T00:00:00"] for n in range(start, start + count)]


def write(
    target: Path,
    data: Sequence[Sequence[Any]],
    *,
    into: bool = True,
    snapshot: bool = False,
    max_rows: int = 1_048_576,
    today: date | None = None,
) -> None:
    """Write the lines report (our way) into ``target`` (or as a new export with ``into=False``)."""
    writer = (
        IntoWriter(target, plan=plan(into=True, snapshot=snapshot), max_rows=max_rows, today=today)
        if into
        else open_writer(target, OutputFormat.XLSX, plan=plan(into=False), max_rows=max_rows)
    )
    with writer:
        sheet = writer.add_sheet(LINES, COLUMNS)
        for row in data:
            sheet.write_row(row)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """Members that differ, or are gone (new members are not counted)."""
    return {name for name, data in before.items() if after.get(name) != data}


def add_members(path: Path, extra: dict[str, bytes], edits: dict[str, Any] | None = None) -> None:
    """Rewrite the zip at ``path`` with members added and some edited (``name -> fn(bytes) -> bytes``)."""
    old = members(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in old.items():
            edit = (edits or {}).get(name)
            archive.writestr(name, edit(data) if edit else data)
        for name, data in extra.items():
            archive.writestr(name, data)
