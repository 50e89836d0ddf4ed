"""Workbook and CSV writers: typed cells, safe text, legal sheets, files that appear only when complete.

::

    create_folder(target)              # before any request: the folder, created if missing
    writer = open_writer(target, OutputFormat.XLSX, cancel=cancel)   # checks names, lock, a probe file
    with writer:                       # any exception inside (Cancelled too) discards everything
        sheet = writer.add_sheet("Sale order lines", columns)
        sheet.write_row(values)        # raw DEAR JSON values, one per ColumnSpec
        writer.set_about(AboutInfo(...))
    files = writer.files

Every failure to write is an ExportError (exit status 5) in plain words: the folder cannot be
created or written, a name is too long for it, the disk holding the target or the temporary
folder is full (each named as such). What a killed save left behind is removed by the next.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.export.about import AboutInfo, ReportAbout, SheetCount
from app.export.base import ExportWriter, SheetWriter
from app.export.csv_writer import CsvWriter
from app.export.preflight import create_folder, preflight_target
from app.export.values import EXCEL_MAX_ROWS
from app.models import CancelToken, OutputFormat

if TYPE_CHECKING:
    from app.export.package.metadata import WorkbookPlan
    from app.export.xlsx import XlsxWriter

__all__ = [
    "EXCEL_MAX_ROWS",
    "AboutInfo",
    "CsvWriter",
    "ExportWriter",
    "ReportAbout",
    "SheetCount",
    "SheetWriter",
    "XlsxWriter",
    "create_folder",
    "open_writer",
    "preflight_target",
]


def open_writer(
    target: Path,
    fmt: OutputFormat,
    about: AboutInfo | None = None,
    *,
    cancel: CancelToken | None = None,
    max_rows: int = EXCEL_MAX_ROWS,
    plan: WorkbookPlan | None = None,
) -> ExportWriter:
    """Start writing an export to ``target``; nothing appears there until the writer commits.

    Opening checks the folder as :func:`preflight_target` does (without creating it) and
    removes what an earlier, killed save left behind.

    Args:
        target: the workbook (or, for CSV, the first file's) path.
        fmt: ``OutputFormat.XLSX`` or ``OutputFormat.CSV``.
        about: what the About sheet says; can also be given later with ``set_about``.
        cancel: checked while saving, last just before the file moves into place; once set,
            the commit raises Cancelled and the old file stays as it was.
        max_rows: rows per Excel sheet, header included, before a sheet continues on the
            next (Excel's own limit; smaller only in tests).
        plan: the reports' recipes, which a workbook records (:mod:`app.export.package.metadata`);
            with ``plan.into`` the reports go into the workbook at ``target`` (created when
            missing), every other part of it kept as it was (:mod:`app.export.package`).

    Raises:
        FileInUseError: the target is open in Excel (its lock file is beside it).
        ExportError: the folder does not exist or cannot be written, the target is a folder,
            or a name is too long for the folder.

    """
    writer: ExportWriter
    if fmt is OutputFormat.XLSX:
        # Imported here: openpyxl takes most of a second to load, and only a workbook needs it.
        from app.export.xlsx import XlsxWriter

        if plan is not None and plan.into:
            from app.export.package.into import IntoWriter

            writer = IntoWriter(Path(target), max_rows=max_rows, cancel=cancel, plan=plan)
        else:
            writer = XlsxWriter(Path(target), max_rows=max_rows, cancel=cancel, plan=plan)
    elif fmt is OutputFormat.CSV:
        writer = CsvWriter(Path(target), cancel=cancel)
    else:
        raise ValueError(f"unknown output format: {fmt!r}")
    if about is not None:
        writer.set_about(about)
    return writer


def __getattr__(name: str) -> Any:
    """Give ``XlsxWriter`` on first use, so importing this package does not load openpyxl."""
    if name == "XlsxWriter":
        from app.export.xlsx import XlsxWriter

        return XlsxWriter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
