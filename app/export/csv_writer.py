"""The CSV writer: one UTF-8 (with BOM, so Excel reads it right) CSV file per sheet, CRLF lines.

With one sheet its rows go to the target itself; with several, each goes to
``<stem> - <sheet name>.csv`` beside it. The About information always goes to
``<stem> - About.csv``, so every CSV export explains itself the same way (including the
``'`` put in front of text that Excel could otherwise run as a formula). CSV has no row
limit, so sheets are never split. All files are moved into place together or not at all.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import IO, Any

from app.export.about import ABOUT_FILE_SUFFIX, SheetCount, about_rows
from app.export.atomic import check_target, commit_files, partial_path, remove_quietly, translate_os_error
from app.export.base import ExportWriter, SheetWriter
from app.export.sheetnames import SheetNamer, file_safe
from app.export.values import clean_text, csv_text, xlsx_converter
from app.models import CancelToken, ColumnSpec, OutputFormat, ValueKind

ENCODING = "utf-8-sig"
# Rows go out in large writes: each system call hands Python's interpreter lock over, and a
# worker that does so more often than the 1 ms switch interval starves the window's thread
# (docs/performance.md, "UI latency").
WRITE_BUFFER = 256 * 1024


class CsvSheet(SheetWriter):
    """One report's rows in a CSV file of its own."""

    def __init__(self, book: CsvWriter, name: str, columns: Sequence[ColumnSpec]) -> None:
        super().__init__(name, columns)
        self._book = book
        self._converters = [(xlsx_converter(column.kind), column.kind) for column in self.columns]
        self.partial = partial_path(book.target)
        # Text mode with newline="" is what the csv module needs to write its own CRLF.
        self._file: IO[str] | None = self.partial.open(
            "w", encoding=ENCODING, newline="", buffering=WRITE_BUFFER
        )
        self._csv = csv.writer(self._file, dialect="excel")
        try:
            self._csv.writerow(
                [csv_text(clean_text(column.header), ValueKind.TEXT) for column in self.columns]
            )
        except BaseException:
            # not yet one of the writer's sheets, so its clean-up would not find this file
            with suppress(OSError):
                self.close()
            remove_quietly(self.partial)
            raise

    def write_row(self, values: Sequence[Any]) -> None:
        """Write one row of raw DEAR values as CSV text (see :func:`app.export.values.csv_text`)."""
        self._check_width(values)
        row = [
            csv_text(convert(value), kind)
            for (convert, kind), value in zip(self._converters, values, strict=True)
        ]
        try:
            self._csv.writerow(row)
        except OSError as error:
            raise translate_os_error(error, self._book.target) from error
        self.rows += 1

    def close(self) -> None:
        """Flush and close the temporary file."""
        if self._file is not None:
            file, self._file = self._file, None
            file.close()


class CsvWriter(ExportWriter):
    """Writes one CSV file per sheet plus an About file; see :func:`app.export.open_writer`."""

    def __init__(self, target: Path, *, cancel: CancelToken | None = None) -> None:
        super().__init__(target, OutputFormat.CSV, cancel)
        self._namer = SheetNamer((ABOUT_FILE_SUFFIX,))
        self._sheets: list[CsvSheet] = []
        self._about_partial: Path | None = None

    def _add_sheet(self, name: str, columns: tuple[ColumnSpec, ...]) -> CsvSheet:
        sheet = CsvSheet(self, self._namer.claim(name), columns)
        self._sheets.append(sheet)
        return sheet

    def _sibling(self, label: str) -> Path:
        suffix = self.target.suffix or ".csv"
        return self.target.with_name(f"{self.target.stem} - {file_safe(label)}{suffix}")

    def _targets(self) -> list[Path]:
        if len(self._sheets) == 1:
            return [self.target]
        return [self._sibling(sheet.name) for sheet in self._sheets]

    def _commit(self) -> tuple[Path, ...]:
        try:
            for sheet in self._sheets:
                sheet.close()  # the last rows reach the disk only now
        except OSError as error:
            raise translate_os_error(error, self.target) from error
        self._check_cancel()
        targets = self._targets()
        about_target = self._sibling(ABOUT_FILE_SUFFIX)
        for target in [*targets, about_target]:
            check_target(target)
        counts = [
            SheetCount(target.name, sheet.rows) for sheet, target in zip(self._sheets, targets, strict=True)
        ]
        self._about_partial = partial_path(self.target)
        try:
            with self._about_partial.open("w", encoding=ENCODING, newline="") as file:
                writer = csv.writer(file, dialect="excel")
                writer.writerow(["Item", "Value"])
                for item, text in about_rows(self._about, counts, csv=True):
                    writer.writerow([csv_text(item, ValueKind.TEXT), csv_text(text, ValueKind.TEXT)])
        except OSError as error:
            raise translate_os_error(error, about_target) from error
        pairs = [(sheet.partial, target) for sheet, target in zip(self._sheets, targets, strict=True)]
        pairs.append((self._about_partial, about_target))
        commit_files(pairs, self.cancel)
        return (*targets, about_target)

    def _cleanup(self) -> None:
        for sheet in self._sheets:
            with suppress(OSError):  # the file goes anyway, just below
                sheet.close()
            remove_quietly(sheet.partial)
        if self._about_partial is not None:
            remove_quietly(self._about_partial)
