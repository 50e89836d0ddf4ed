"""A cancel while saving stops before the final move: the old file stays, nothing is left."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import Cancelled
from app.export import open_writer, xlsx
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
