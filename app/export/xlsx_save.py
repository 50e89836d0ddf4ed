"""Saving a write-only workbook: sheet streams in our scratch folder, a zip closed on failure, cancellable.

openpyxl streams each write-only sheet into a file and, at the save, copies each into the
.xlsx zip. Two things of ours sit around that:

* :class:`ScratchStream`: the sheet's stream file lives in our scratch folder
  (:mod:`app.export.scratch`), not as ``openpyxl.*`` in the temporary folder;
* :func:`save_workbook`: the zip is closed by us when the save fails (left to the garbage
  collector, a zip whose disk filled up fails a second time as it closes, and Python prints
  that as a traceback after our message), and the sheets are copied into it a megabyte at a
  time with a cancel check in between, so a cancel stops even a long save within a moment.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from app.errors import Cancelled
from app.models import CancelToken

__all__ = ["COPY_CHUNK", "ScratchStream", "save_workbook"]

COPY_CHUNK = 1 << 20
"""Bytes of a sheet copied into the zip between two cancel checks (a few hundredths of a second)."""


class ScratchStream(WorksheetWriter):  # type: ignore[misc] # openpyxl is untyped
    """openpyxl's stream of one write-only sheet, in a file of our scratch folder.

    openpyxl's own removes its file and also crosses it off a list of its own, which our
    files are not on.
    """

    def cleanup(self) -> None:
        """Remove the stream's file (once the sheet is in the workbook, or the save failed)."""
        Path(self.out).unlink(missing_ok=True)


class _CancellableZip:
    """The zip as openpyxl's writer uses it, copying sheet files in chunks with cancel checks."""

    def __init__(self, archive: ZipFile, cancel: CancelToken) -> None:
        self._archive = archive
        self._cancel = cancel

    def write(self, filename: str, arcname: str | None = None) -> None:
        """Copy the file ``filename`` into the zip as ``arcname``, checking for a cancel as it goes."""
        if self._cancel.cancelled:
            raise Cancelled()
        info = ZipInfo.from_file(filename, arcname)
        info.compress_type = self._archive.compression
        with Path(filename).open("rb") as source, self._archive.open(info, "w") as target:
            while chunk := source.read(COPY_CHUNK):
                if self._cancel.cancelled:
                    raise Cancelled()
                target.write(chunk)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._archive, name)


def save_workbook(
    workbook: Workbook,
    path: Path,
    cancel: CancelToken | None = None,
    wrap: Callable[[Any], Any] | None = None,
    compression: int = ZIP_DEFLATED,
) -> None:
    """Write ``workbook`` as an .xlsx file at ``path``; on any failure the file is closed, not finished.

    Raises Cancelled (the half-written file is the caller's to remove) once ``cancel`` is set.
    ``wrap`` may wrap the zip openpyxl writes into (to add parts openpyxl has no model for);
    ``compression`` ZIP_STORED suits a workbook that is only read again at once (by the package
    editor), which saves compressing its sheets twice.
    """
    workbook.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
    archive = ZipFile(path, "w", compression, allowZip64=True)
    try:
        target: Any = archive if cancel is None else _CancellableZip(archive, cancel)
        if wrap is not None:
            target = wrap(target)
        ExcelWriter(workbook, target).save()  # closes the archive when done
    except BaseException:
        with suppress(Exception):  # the error being raised says what went wrong
            archive.close()
        raise
