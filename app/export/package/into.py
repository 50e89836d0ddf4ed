"""Writing reports into an existing workbook (``export --into``), and dated snapshots.

:class:`IntoWriter` is the workbook writer with a different ending: our sheets are written as
usual into a workbook of our own in the scratch folder, then :func:`~app.export.package.transplant.transplant`
merges them into the user's workbook, written beside it and moved into place (so a failure or a
cancel at any point leaves the user's file as it was). A missing workbook is simply created.

The user's workbook is checked when the writer opens, before any request to DEAR: not a
workbook, password-protected or damaged is refused then, and open in Excel is the usual
FileInUseError.

A snapshot report's sheet gets a first column "Snapshot date" (today, a date cell): the rows of
earlier days are copied from the workbook first, today's rows (from an earlier run today) are
left out, then this run's rows follow. A snapshot report's child sheets (``--include-children``,
a stock check) keep their history the same way, each stamped with the same date, so a day's
lines stay beside that day's headers; its extra sheet (a summary) shows the latest run only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zipfile import ZIP_STORED

from app.errors import Cancelled
from app.export.base import SheetWriter
from app.export.package.metadata import WorkbookPlan
from app.export.package.transplant import transplant
from app.export.package.workbook_part import Package
from app.export.package.zipcopy import open_package, refuse
from app.export.values import EXCEL_MAX_ROWS
from app.export.xlsx import XlsxSheet, XlsxWriter
from app.models import CancelToken, ColumnSpec, ExtraSheet, ValueKind

SNAPSHOT_COLUMN = ColumnSpec("SnapshotDate", "Snapshot date", ValueKind.DATE)
_CANCEL_EVERY = 1_000


class SnapshotSheet(SheetWriter):
    """A report's sheet whose rows are stamped with the snapshot date as they are written."""

    def __init__(self, inner: XlsxSheet, day: date) -> None:
        super().__init__(inner.name, inner.columns[1:])
        self._inner = inner
        self._day = day

    def write_row(self, values: Sequence[Any]) -> None:
        """Write one row of raw DEAR values, after today's date."""
        self._check_width(values)
        self._inner.write_row([self._day, *values])
        self.rows += 1


class IntoWriter(XlsxWriter):
    """Writes the reports into the workbook at ``target``; see :func:`app.export.open_writer`."""

    def __init__(
        self,
        target: Path,
        *,
        max_rows: int = EXCEL_MAX_ROWS,
        cancel: CancelToken | None = None,
        plan: WorkbookPlan,
        today: date | None = None,
    ) -> None:
        super().__init__(target, max_rows=max_rows, cancel=cancel, plan=plan)
        self._today = today or date.today()
        self._existing = self.target.exists()
        # Snapshot reports already in the workbook: report key -> {"" (its main sheet) or a child
        # sheet's name (casefolded): the workbook's sheet whose earlier days are copied}.
        self._history: dict[str, dict[str, str]] = {}
        try:
            if self._existing:
                self._inspect(plan)
            elif self.target.suffix.lower() != ".xlsx":
                raise refuse(
                    self.target,
                    "does not exist, and a new workbook can only be an .xlsx file.",
                    hint="Give a name ending in .xlsx, or the name of an existing workbook.",
                )
        except BaseException:
            self._cleanup()
            raise

    def _inspect(self, plan: WorkbookPlan) -> None:
        """Refuse an unusable workbook now, and find the sheets snapshot reports continue."""
        with open_package(self.target) as archive:
            package = Package(archive, self.target)
            record, _ = package.record()
        names = {sheet.name.casefold(): sheet.name for sheet in package.sheets}
        for planned in plan.reports:
            old = record.report(planned.recipe.key) if record is not None else None
            if planned.recipe.snapshot and old is not None:
                ours = [entry for entry in old.sheets if not entry.extra and entry.name.casefold() in names]
                found = {entry.name.casefold(): names[entry.name.casefold()] for entry in ours[1:]}
                if old.sheets and old.sheets[0] in ours:
                    found[""] = names[old.sheets[0].name.casefold()]
                self._history[planned.recipe.key] = found

    def _add_sheet(self, name: str, columns: tuple[ColumnSpec, ...]) -> SheetWriter:
        planned = self._planned[0] if self._planned and self._planned[0].title == name else None
        # A sheet that is not a report's main sheet is its child sheet (--include-children, a
        # stock check): it keeps history like its main sheet, matched by its name.
        owner = planned or (self._groups[-1][0] if self._groups else None)
        if owner is None or not owner.recipe.snapshot:
            return super()._add_sheet(name, columns)
        sheet = super()._add_sheet(name, (SNAPSHOT_COLUMN, *columns))
        assert isinstance(sheet, XlsxSheet)
        earlier = self._history.get(owner.recipe.key, {}).get("" if planned else name.casefold())
        if earlier is not None:
            self._copy_history(earlier, sheet)
        return SnapshotSheet(sheet, self._today)

    def _add_extra_sheets(self, sheets: tuple[ExtraSheet, ...], before: SheetWriter) -> str:
        # A snapshot report's summary goes before its dated sheet, like any report's.
        inner = before._inner if isinstance(before, SnapshotSheet) else before
        return super()._add_extra_sheets(sheets, inner)

    def _copy_history(self, old_name: str, sheet: XlsxSheet) -> None:
        """Copy the earlier days' rows of a snapshot sheet, matching columns by their headers."""
        from openpyxl import load_workbook

        book = load_workbook(self.target, read_only=True, data_only=True)
        try:
            rows = book[old_name].iter_rows(values_only=True)
            header = next(rows, None) or ()
            where = {str(value): index for index, value in enumerate(header) if value is not None}
            positions = [where.get(name) for name in sheet.headers]
            stamp_at = positions[0]
            for count, row in enumerate(rows):
                if count % _CANCEL_EVERY == 0 and self.cancel is not None and self.cancel.cancelled:
                    raise Cancelled()
                stamp = row[stamp_at] if stamp_at is not None and stamp_at < len(row) else None
                if not isinstance(stamp, datetime) or stamp.date() == self._today:
                    continue  # today's rows are this run's to write; an undated row is no snapshot
                sheet.write_typed_row([row[p] if p is not None and p < len(row) else None for p in positions])
        finally:
            book.close()

    def _write_partial(self, partial: Path) -> None:
        if not self._existing:
            self._save(partial)
            return
        assert self._scratch is not None
        ours = self._scratch.new_file(".xlsx")
        try:
            # Stored, not compressed: it is read once, moments later, and its sheets are
            # compressed on their way into the user's workbook.
            self._save(ours, ZIP_STORED)
        except OSError as error:
            raise self.scratch_error(error) from error
        self._check_cancel()
        transplant(self.target, ours, partial, self.cancel)
