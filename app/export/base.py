"""What every writer offers: sheets, rows, an About section, and commit-or-discard.

A writer is used once: open it, add sheets (in any order, interleaved), write rows, then
``commit()`` (files appear) or ``discard()`` (nothing appears, old files untouched). As a
context manager it commits on a clean exit and discards on any exception, Cancelled included.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from app.errors import Cancelled, ExportError
from app.export.about import AboutInfo
from app.export.atomic import translate_os_error
from app.export.leftovers import sweep_folder, sweep_temporary
from app.export.preflight import check_writable
from app.models import CancelToken, ColumnSpec, ExtraSheet, OutputFormat

log = logging.getLogger(__name__)


class SheetWriter(ABC):
    """One report's rows: a sheet (continued on more sheets past Excel's limit) or a CSV file."""

    def __init__(self, name: str, columns: Sequence[ColumnSpec]) -> None:
        self.name = name
        self.columns = tuple(columns)
        self.rows = 0
        """Rows written so far, over every continuation sheet."""

    @abstractmethod
    def write_row(self, values: Sequence[Any]) -> None:
        """Write one row: raw DEAR JSON values, one per column, in column order."""

    def _check_width(self, values: Sequence[Any]) -> None:
        if len(values) != len(self.columns):
            raise ValueError(
                f"expected {len(self.columns)} values for sheet {self.name!r}, got {len(values)}"
            )


class ExportWriter(ABC):
    """Base of the workbook and CSV writers: state, the ``with`` protocol and error translation.

    ``cancel`` is checked as the save starts, between its steps and once more just before
    the finished file moves over the target: a cancel until then leaves the old file untouched.
    """

    def __init__(self, target: Path, fmt: OutputFormat, cancel: CancelToken | None = None) -> None:
        self.target = Path(target)
        self.cancel = cancel
        check_writable(self.target, fmt)
        # A save killed earlier (power cut, Task Manager) left files of ours; this one clears them.
        sweep_folder(self.target.parent)
        sweep_temporary()
        self._about = AboutInfo()
        self._files: tuple[Path, ...] = ()
        self._state = "open"

    # -- public interface

    @property
    def files(self) -> tuple[Path, ...]:
        """The files written, once committed; empty before (and after a discard)."""
        return self._files

    def set_about(self, about: AboutInfo) -> None:
        """Set what the About sheet (or file) says; may be called any time before commit."""
        self._about = about

    def add_sheet(self, name: str, columns: Sequence[ColumnSpec]) -> SheetWriter:
        """Start a new sheet with a bold header row; the name is made legal and unique."""
        self._require_open()
        if not columns:
            raise ValueError("a sheet needs at least one column")
        try:
            return self._add_sheet(name, tuple(columns))
        except OSError as error:
            self.discard()
            raise translate_os_error(error, self.target) from error

    def add_extra_sheets(self, sheets: Sequence[ExtraSheet], before: SheetWriter) -> str:
        """Add sheets a report computed from its rows (a summary, a chart), placed before its sheet.

        Returns a sentence for the result when they could not be part of this format ("" when written).
        """
        self._require_open()
        if not sheets:
            return ""
        try:
            return self._add_extra_sheets(tuple(sheets), before)
        except OSError as error:
            self.discard()
            raise translate_os_error(error, self.target) from error

    def commit(self) -> tuple[Path, ...]:
        """Finish every file and move them into place together; returns the files written.

        Raises Cancelled (and writes nothing) when the cancel token is set before the final move.
        """
        self._require_open()
        try:
            self._check_cancel()
            self._files = self._commit()
        except BaseException:
            self._state = "discarded"
            self._cleanup()
            raise
        self._state = "committed"
        return self._files

    def discard(self) -> None:
        """Throw away everything written; the target (and any old file there) is left untouched."""
        if self._state != "open":
            return
        self._state = "discarded"
        self._cleanup()

    def __enter__(self) -> ExportWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()

    # -- for subclasses

    def _check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.cancelled:
            raise Cancelled()

    def _require_open(self) -> None:
        if self._state != "open":
            raise ExportError(
                "This export has already finished.",
                hint="Start a new export.",
                details=f"writer state: {self._state}",
            )

    @abstractmethod
    def _add_sheet(self, name: str, columns: tuple[ColumnSpec, ...]) -> SheetWriter: ...

    def _add_extra_sheets(self, sheets: tuple[ExtraSheet, ...], before: SheetWriter) -> str:
        """Leave extra sheets out and say so (the default: formats without sheets, like CSV)."""
        names = " and ".join(f'"{sheet.name}"' for sheet in sheets)
        return f"The {names} sheet is made in Excel workbooks only; export to Excel to see it."

    @abstractmethod
    def _commit(self) -> tuple[Path, ...]: ...

    @abstractmethod
    def _cleanup(self) -> None:
        """Remove every temporary file; must not raise."""
