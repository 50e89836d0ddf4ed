"""A cancel while saving stops before the final move: the old file stays, nothing is left."""

from __future__ import annotations

import builtins
import io
from pathlib import Path
from typing import Any

import pytest

from app.errors import Cancelled
from app.export import open_writer, xlsx, xlsx_save
from app.models import CancelToken, ColumnSpec, OutputFormat

OLD = b"the old export, which must survive"


def _fill(writer, rows: int = 300) -> None:  # type: ignore[no-untyped-def]
    for name in ("First", "Second"):
        sheet = writer.add_sheet(name, [ColumnSpec("n", "N"), ColumnSpec("t", "T")])
        for n in range(rows):
            sheet.write_row([str(n), "text"])


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_a_cancel_before_the_commit_keeps_the_old_file(
    tmp_path: Path, temp_folder: Path, fmt: OutputFormat
) -> None:
    target = tmp_path / f"report.{fmt.value}"
    target.write_bytes(OLD)
    cancel = CancelToken()
    with pytest.raises(Cancelled), open_writer(target, fmt, cancel=cancel) as writer:
        _fill(writer)
        cancel.cancel()  # the rows are all there; the user cancels as the save starts
    assert target.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir() if p.name != "temp"] == [target.name]
    assert list(temp_folder.iterdir()) == []
    assert writer.files == ()


def test_a_cancel_during_the_save_stops_before_the_final_move(
    tmp_path: Path, temp_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(OLD)
    cancel = CancelToken()
    real_save = xlsx.save_workbook

    def save_then_cancel(*args: object, **kwargs: object) -> None:
        real_save(*args, **kwargs)  # type: ignore[arg-type]
        cancel.cancel()  # pressed while the zip was being written

    monkeypatch.setattr(xlsx, "save_workbook", save_then_cancel)
    with pytest.raises(Cancelled), open_writer(target, OutputFormat.XLSX, cancel=cancel) as writer:
        _fill(writer)
    assert target.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir() if p.name != "temp"] == [target.name]
    assert list(temp_folder.iterdir()) == []


class _CancelOnceZipping(CancelToken):
    """Presses Cancel once the save has read the first chunk of a sheet's rows into the zip."""

    def __init__(self, read: dict[str, int]) -> None:
        super().__init__()
        self._read = read

    @property
    def cancelled(self) -> bool:
        if sum(self._read.values()) >= 2 * xlsx_save.COPY_CHUNK:
            self.cancel()
        return super().cancelled


def test_a_cancel_stops_a_long_save_within_a_chunk(
    tmp_path: Path, temp_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_save, "COPY_CHUNK", 64 * 1024)
    target = tmp_path / "report.xlsx"
    target.write_bytes(OLD)
    read: dict[str, int] = {}
    sizes: dict[str, int] = {}
    real_open = io.open

    class Counted:
        def __init__(self, file: Any, name: str) -> None:
            self._file, self._name = file, name
            sizes[name] = Path(name).stat().st_size

        def read(self, size: int = -1) -> bytes:
            data: bytes = self._file.read(size)
            read[self._name] = read.get(self._name, 0) + len(data)
            return data

        def __enter__(self) -> Counted:
            return self

        def __exit__(self, *exc: object) -> None:
            self._file.close()

        def __getattr__(self, name: str) -> Any:
            return getattr(self._file, name)

    def spy(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        opened = real_open(file, mode, *args, **kwargs)
        if mode == "rb" and str(file).endswith(".xml") and Path(str(file)).is_relative_to(temp_folder):
            return Counted(opened, str(file))  # a sheet's rows, read back to go into the zip
        return opened

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    cancel = _CancelOnceZipping(read)
    with pytest.raises(Cancelled), open_writer(target, OutputFormat.XLSX, cancel=cancel) as writer:
        _fill(writer, rows=20_000)
    assert cancel.cancelled
    assert sum(sizes.values()) > 10 * xlsx_save.COPY_CHUNK  # a save with much more to copy...
    assert sum(read.values()) <= 3 * xlsx_save.COPY_CHUNK  # ...stopped one chunk after the press
    assert target.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir() if p.name != "temp"] == [target.name]
    assert list(temp_folder.iterdir()) == []
