"""The Excel workbook writer: openpyxl in write-only mode, streaming rows with flat memory.

Each sheet gets a bold, frozen header row and column widths sampled from the header and its
first rows, and its data is an Excel table named after the report ("Sale order lines" ->
``SaleOrderLines``), so formulas such as ``=SUM(SaleOrderLines[Quantity])``, pivot tables and
charts follow the rows as they grow or shrink; the table carries the filter buttons (a
sheet-level autofilter beside it would clash with the table's own). A sheet that would pass
Excel's row limit continues on "<name> (2)", placed right after it, with a table of its own
(``SaleOrderLines_2``: a table cannot span sheets). The About sheet comes last; a workbook
also carries what made it (:mod:`app.export.package.metadata`) when the writer is given it.

Rows wait in files of this save's own scratch folder (:mod:`app.export.scratch`) until the
save, so a failure while writing rows is a failure of the temporary folder's disk, and one
while saving is a failure of the target's: each is named as such.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from app.errors import ExportError
from app.export.about import ABOUT_SHEET, SheetCount, about_rows
from app.export.atomic import commit_files, partial_path, remove_quietly, translate_os_error
from app.export.base import ExportWriter, SheetWriter
from app.export.extra_sheets import write_extra_sheet
from app.export.package.custom_xml import MetadataArchive
from app.export.package.metadata import PlannedReport, WorkbookPlan, WorkbookRecord, to_xml, workbook_record
from app.export.package.tablenames import TableNamer, column_names
from app.export.package.tables import add_table
from app.export.scratch import ScratchFolder
from app.export.sheetnames import SheetNamer
from app.export.values import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    EXCEL_MAX_ROWS,
    MONEY_FORMAT,
    Typed,
    clean_text,
    is_date_only,
    xlsx_converter,
)
from app.export.xlsx_save import ScratchStream, save_workbook
from app.models import CancelToken, ColumnSpec, ExtraSheet, OutputFormat, ValueKind

log = logging.getLogger(__name__)

EXCEL_MAX_COLUMNS = 16_384

MIN_WIDTH = 8
MAX_WIDTH = 60
SAMPLE_ROWS = 50
"""Rows held back at the start of a sheet to size its columns before anything is written."""

# Strings openpyxl would store as a formula ("=") or an error value ("#N/A"); the other
# characters are forced too, so no text cell can ever be anything but text.
_FORCE_TEXT = ("=", "+", "-", "@", "#")
_BOLD = Font(bold=True)
_NUMBERS = (int, float, Decimal)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def _style_of(ws: Any, number_format: str) -> Any:
    """Return the style array of a cell with ``number_format``, to stamp on date cells.

    Setting ``number_format`` cell by cell looks the format up every time; openpyxl's
    ``Cell`` takes a finished style array instead, and dates are a quarter of DEAR's columns.
    """
    template = WriteOnlyCell(ws)
    template.number_format = number_format
    return template._style


def _same(value: Any) -> Typed:
    return value  # type: ignore[no-any-return]


def _display_width(value: Typed) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 10 if is_date_only(value) else 19
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    return len(str(value))


class XlsxSheet(SheetWriter):
    """One report's sheet(s) in the workbook."""

    def __init__(self, book: XlsxWriter, name: str, columns: Sequence[ColumnSpec]) -> None:
        super().__init__(name, columns)
        self._book = book
        self._converters = [xlsx_converter(column.kind) for column in self.columns]
        # (business date, money) per column: the columns whose cells get a format of their own
        self._flags = [(c.kind is ValueKind.DATE, c.kind is ValueKind.MONEY) for c in self.columns]
        self.sheet_names: list[str] = [name]
        """Every sheet this report fills, continuation sheets included, in order."""
        self.table_names: list[str] = [book.tables.claim(name)]
        """The table of each sheet in ``sheet_names``."""
        self.headers = column_names([clean_text(column.header) for column in self.columns])
        """The header cells' text, which is also the table's column names (unique, one line)."""
        self._part_rows: list[int] = [0]
        self._ws = book._workbook.create_sheet(name)
        self._pending: list[list[Typed]] | None = []
        self._widths: list[float] = []
        self._date_style = _style_of(self._ws, DATE_FORMAT)
        self._datetime_style = _style_of(self._ws, DATETIME_FORMAT)
        self._money_style = _style_of(self._ws, MONEY_FORMAT)

    # -- writing

    def write_row(self, values: Sequence[Any]) -> None:
        """Write one row of raw DEAR values (see :mod:`app.export.values` for the rules)."""
        self._write(values, self._converters)

    def write_typed_row(self, values: Sequence[Typed]) -> None:
        """Write one row of values already converted (read back from a workbook, say)."""
        self._write(values, [_same] * len(self.columns))

    def _write(self, values: Sequence[Any], converters: Sequence[Callable[[Any], Typed]]) -> None:
        self._check_width(values)
        try:
            if self._part_rows[-1] >= self._book.max_rows - 1:
                self._start_continuation()
            if self._pending is None:
                self._ws.append(self._cells(values, converters))
            else:
                self._pending.append([convert(value) for convert, value in zip(converters, values)])  # noqa: B905
                if len(self._pending) >= SAMPLE_ROWS:
                    self._flush_pending()
        except OSError as error:  # rows stream into a file in the temporary folder
            raise self._book.scratch_error(error) from error
        self._part_rows[-1] += 1
        self.rows += 1

    def _cells(self, values: Sequence[Any], converters: Sequence[Callable[[Any], Typed]]) -> list[Any]:
        """Convert a row and wrap what needs it in cells; one pass, as this runs for every value."""
        ws = self._ws
        out: list[Any] = []
        for convert, (date_column, money), value in zip(converters, self._flags, values):  # noqa: B905
            typed = convert(value)
            kind = typed.__class__
            if money and kind in _NUMBERS:  # every digit kept, 2 decimals shown (values.MONEY_FORMAT)
                typed = Cell(ws, row=1, column=1, value=typed, style_array=self._money_style)
            elif kind is str:
                if typed and typed[0] in _FORCE_TEXT:  # type: ignore[index]
                    cell = WriteOnlyCell(ws, typed)
                    cell.data_type = "s"
                    typed = cell
            elif kind is datetime:
                # Stored the way Excel stores dates, a serial day number with a date format;
                # handing openpyxl the datetime costs a format check on every cell.
                style = self._date_style if date_column and is_date_only(typed) else self._datetime_style  # type: ignore[arg-type]
                typed = Cell(ws, row=1, column=1, value=to_excel(typed), style_array=style)
            out.append(typed)
        return out

    def _header(self) -> list[WriteOnlyCell]:
        cells = []
        for header in self.headers:
            cell = WriteOnlyCell(self._ws, header)
            cell.data_type = "s"  # a header is never a formula either
            cell.font = _BOLD
            cells.append(cell)
        return cells

    def _prepare(self) -> None:
        """Widths, frozen header and the header row: what write-only mode needs before any row."""
        ws = self._ws
        for index, width in enumerate(self._widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A2"
        self._book.start_stream(ws)
        ws.append(self._header())

    def _flush_pending(self) -> None:
        pending = self._pending or []
        self._pending = None
        widths = []
        for index, column in enumerate(self.columns):
            longest = max([len(column.header)] + [_display_width(row[index]) for row in pending])
            widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))))
        self._widths = widths
        self._prepare()
        same = [_same] * len(self.columns)
        for row in pending:
            self._ws.append(self._cells(row, same))

    def _close_part(self) -> None:
        if self._pending is not None:
            self._flush_pending()
        # The table's range is only known now; write-only sheets write it when they close.
        add_table(self._ws, self.table_names[-1], self.headers, self._part_rows[-1])

    def _start_continuation(self) -> None:
        self._close_part()
        workbook = self._book._workbook
        position = workbook.index(self._ws) + 1
        name = self._book._namer.continuation(self.name, len(self.sheet_names) + 1)
        self._ws = workbook.create_sheet(name, position)
        self.sheet_names.append(name)
        self.table_names.append(self._book.tables.continuation(self.table_names[0], len(self.sheet_names)))
        self._part_rows.append(0)
        self._prepare()

    def finish(self) -> list[SheetCount]:
        """Close the last part and its stream; the rows of each sheet, for the About sheet."""
        self._close_part()
        self._ws.close()  # the stream's last bytes, still in the temporary folder
        return [SheetCount(name, rows) for name, rows in zip(self.sheet_names, self._part_rows, strict=True)]


class XlsxWriter(ExportWriter):
    """Writes one .xlsx workbook; see :func:`app.export.open_writer`."""

    def __init__(
        self,
        target: Path,
        *,
        max_rows: int = EXCEL_MAX_ROWS,
        cancel: CancelToken | None = None,
        plan: WorkbookPlan | None = None,
    ) -> None:
        if max_rows < 2:
            raise ValueError("max_rows must leave room for the header and one row")
        super().__init__(target, OutputFormat.XLSX, cancel)
        self.max_rows = max_rows
        self._workbook = Workbook(write_only=True)
        self._namer = SheetNamer((ABOUT_SHEET,))
        self.tables = TableNamer()
        """Table names handed out in this workbook."""
        self._planned = list(plan.reports) if plan is not None else []
        self._groups: list[tuple[PlannedReport, list[XlsxSheet]]] = []
        self._extras: dict[str, list[str]] = {}
        """Each planned report's extra sheets (a summary), by report key: its for a refresh."""
        self._sheets: list[XlsxSheet] = []
        self._partial: Path | None = None
        try:
            self._scratch: ScratchFolder | None = ScratchFolder()
        except OSError as error:
            raise translate_os_error(error, self.target, temporary=ScratchFolder.base()) from error

    def start_stream(self, ws: Any) -> None:
        """Give a sheet its stream file in our scratch folder, just before its first row.

        (openpyxl would otherwise make one in the temporary folder, named ``openpyxl.*``.)
        Column widths and frozen panes must be set before: they are written first.
        """
        if self._scratch is None:
            raise ExportError("This export has already finished.", hint="Start a new export.")
        stream = ScratchStream(ws, out=str(self._scratch.new_file(".xml")))
        stream.write_top()
        ws._writer = stream

    def scratch_error(self, error: OSError) -> ExportError:
        """Translate a failure to write rows into the temporary folder."""
        return translate_os_error(error, self.target, temporary=ScratchFolder.base())

    def _add_sheet(self, name: str, columns: tuple[ColumnSpec, ...]) -> SheetWriter:
        if len(columns) > EXCEL_MAX_COLUMNS:
            raise ValueError(f"Excel sheets hold at most {EXCEL_MAX_COLUMNS:,} columns")
        sheet = XlsxSheet(self, self._namer.claim(name), columns)
        self._sheets.append(sheet)
        # A planned report starts with the sheet of its title; the sheets after it (its children)
        # are its too, so a refresh knows every sheet a report fills.
        if self._planned and self._planned[0].title == name:
            self._groups.append((self._planned.pop(0), [sheet]))
        elif self._groups:
            self._groups[-1][1].append(sheet)
        return sheet

    def _add_extra_sheets(self, sheets: tuple[ExtraSheet, ...], before: SheetWriter) -> str:
        workbook = self._workbook
        position = workbook.sheetnames.index(before.sheet_names[0]) if isinstance(before, XlsxSheet) else None
        owner = next((p.recipe.key for p, group in self._groups if before in group), None)
        for extra in sheets:
            ws = workbook.create_sheet(self._namer.claim(extra.name), position)
            if owner is not None:
                self._extras.setdefault(owner, []).append(ws.title)
            if position is not None:
                position += 1
            try:
                write_extra_sheet(ws, extra, self.start_stream)
            except OSError as error:  # its rows stream into the temporary folder
                raise self.scratch_error(error) from error
        return ""

    def record(self, refreshed: datetime) -> WorkbookRecord:
        """Return what this workbook holds, for its metadata part (sheet IDs: positions, as saved)."""
        ids = [ws.title for ws in self._workbook.worksheets]
        groups = [
            (p, [(n, t) for s in sheets for n, t in zip(s.sheet_names, s.table_names, strict=True)])
            for p, sheets in self._groups
        ]
        return workbook_record(groups, ids, ABOUT_SHEET, refreshed, self._extras)

    def _write_about(self, counts: list[SheetCount]) -> None:
        ws = self._workbook.create_sheet(ABOUT_SHEET)
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 100
        self.start_stream(ws)
        title = WriteOnlyCell(ws, ABOUT_SHEET)
        title.font = _BOLD
        ws.append([title])
        for item, text in about_rows(self._about, counts, csv=False):
            label = WriteOnlyCell(ws, item)
            label.data_type = "s"
            label.font = _BOLD
            label.alignment = _WRAP_TOP
            value = WriteOnlyCell(ws, text)
            value.data_type = "s"
            value.alignment = _WRAP_TOP
            ws.append([label, value])

    def _finish_sheets(self) -> None:
        """Close every sheet's stream and write the About sheet (all still in the temporary folder)."""
        counts: list[SheetCount] = []
        try:
            for sheet in self._sheets:
                counts.extend(sheet.finish())
                self._check_cancel()
            self._write_about(counts)
            self._workbook.worksheets[-1].close()
        except OSError as error:
            raise self.scratch_error(error) from error
        self._check_cancel()

    def _save(self, path: Path, compression: int = ZIP_DEFLATED) -> None:
        """Save the workbook, our metadata part included, at ``path``."""
        metadata = to_xml(self.record(datetime.now(UTC)))
        wrap = lambda archive: MetadataArchive(archive, metadata)  # noqa: E731 - one use, right here
        save_workbook(self._workbook, path, self.cancel, wrap, compression)

    def _write_partial(self, partial: Path) -> None:
        """Write the finished file at ``partial`` (beside the target), to be moved into place."""
        self._save(partial)

    def _commit(self) -> tuple[Path, ...]:
        self._finish_sheets()
        self._partial = partial_path(self.target)
        try:
            self._write_partial(self._partial)
        except OSError as error:
            raise translate_os_error(error, self.target) from error
        commit_files([(self._partial, self.target)], self.cancel)
        self._partial = None
        self._remove_scratch()
        return (self.target,)

    def _remove_scratch(self) -> None:
        scratch, self._scratch = self._scratch, None
        if scratch is not None:
            scratch.remove()

    def _cleanup(self) -> None:
        # Write-only sheets stream into temporary files of their own; without this they would
        # stay on disk until the app exits.
        for ws in self._workbook.worksheets:
            writer = getattr(ws, "_writer", None)
            if writer is None:
                continue
            if not ws.closed:
                # Closing the row stream first lets its generator end cleanly; a sheet that
                # failed half-way may refuse, and that must not hide the original error.
                with suppress(Exception):
                    ws.close()
            # A stream whose disk filled up fails again as it closes; closed here, that second
            # failure cannot reach the garbage collector (which prints it as a traceback).
            with suppress(Exception):
                writer.close()
            with suppress(OSError, ValueError):
                writer.cleanup()
        if self._partial is not None:
            remove_quietly(self._partial)
            self._partial = None
        self._remove_scratch()
