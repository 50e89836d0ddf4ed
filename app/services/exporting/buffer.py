"""One company's sheets held back until every company is read: rows kept in order, on disk past a bound.

Several companies are read side by side, but each sheet holds the rows of one company together,
so a company's rows wait here until the companies before it are written. A
:class:`BufferedSheets` stands in for the export writer while a company is read
(:class:`~app.services.exporting.reports.ReportRunner` only adds sheets and writes rows); its
rows go to a :class:`~app.services.exporting.spill.SortedSpill` keyed by arrival, so memory
stays bounded (at most a run's weight per sheet, the rest pickled to our own temporary files)
and the files are removed when the buffer closes, whatever happened.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from app.export import SheetWriter
from app.models import CancelToken, ColumnSpec, ExtraSheet
from app.services.exporting.spill import RUN_WEIGHT, SortedSpill


class BufferedSheet(SheetWriter):
    """A sheet whose rows are kept (in memory, then on disk) to be written later, in order."""

    def __init__(self, name: str, columns: Sequence[ColumnSpec], spill: SortedSpill[list[Any]]) -> None:
        super().__init__(name, columns)
        self._spill = spill

    def write_row(self, values: Sequence[Any]) -> None:
        """Keep one row (its values are copied: the caller may reuse its list)."""
        self._check_width(values)
        self._spill.add(self.rows, list(values), values=len(values))
        self.rows += 1

    def kept_rows(self) -> Iterator[list[Any]]:
        """Yield the rows in the order they were written."""
        return self._spill.items()


class BufferedSheets:
    """Stands in for the export writer while one company is read: sheets in order, rows kept.

    ``run_weight`` bounds the memory of each sheet (see :mod:`app.services.exporting.spill`).
    Close it (or use it as a context manager) to remove its files.
    """

    def __init__(
        self, *, run_weight: int = RUN_WEIGHT, folder: Path | None = None, cancel: CancelToken | None = None
    ) -> None:
        self._run_weight = run_weight
        self._folder = folder
        self._cancel = cancel
        self.sheets: list[BufferedSheet] = []
        self._spills: list[SortedSpill[list[Any]]] = []

    def add_sheet(self, name: str, columns: Sequence[ColumnSpec]) -> SheetWriter:
        """Start a sheet (the real one is made when the rows are written)."""
        spill: SortedSpill[list[Any]] = SortedSpill(
            run_weight=self._run_weight, folder=self._folder, cancel=self._cancel
        )
        self._spills.append(spill)
        sheet = BufferedSheet(name, columns, spill)
        self.sheets.append(sheet)
        return sheet

    def add_extra_sheets(self, sheets: Sequence[ExtraSheet], before: SheetWriter) -> str:
        """Summary sheets are made from one company's rows only: say so instead of mixing companies."""
        if not sheets:
            return ""
        names = ", ".join(f'"{sheet.name}"' for sheet in sheets)
        return (
            f"The {names} sheet is made when one company is exported; export a company on its own to see it."
        )

    @property
    def files(self) -> tuple[Path, ...]:
        """The temporary files holding rows now (empty while everything fits in memory)."""
        return tuple(path for spill in self._spills for path in spill.files)

    def close(self) -> None:
        """Forget every row and remove the temporary files (safe to call twice)."""
        spills, self._spills = self._spills, []
        for spill in spills:
            spill.close()

    def __enter__(self) -> BufferedSheets:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
