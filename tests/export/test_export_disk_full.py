"""A full disk while saving: one plain message naming the right disk, old file untouched, nothing left."""

from __future__ import annotations

import errno
import gc
from pathlib import Path

import pytest

from app.errors import EXIT_OUTPUT, ExportError, exit_code_for
from app.export import open_writer
from app.models import ColumnSpec, OutputFormat
from app.models import ValueKind as K

OLD = b"the old export, which must survive"
COLUMNS = [ColumnSpec("n", "Number", K.INTEGER), ColumnSpec("t", "Text")]


def _write(target: Path, fmt: OutputFormat, rows: int = 200) -> None:
    with open_writer(target, fmt) as writer:
        for name in ("First", "Second"):
            sheet = writer.add_sheet(name, COLUMNS)
            for n in range(rows):
                sheet.write_row([n, f"row {n}"])


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_a_full_temporary_folder_is_named_and_not_blamed_on_the_target(
    out: Path,
    temp_folder: Path,
    full_disk,
    unraisable: list[str],  # type: ignore[no-untyped-def]
) -> None:
    target = out / "report.xlsx"
    target.write_bytes(OLD)
    full_disk.fill(temp_folder)
    with pytest.raises(ExportError) as caught:
        _write(target, OutputFormat.XLSX)
    gc.collect()
    error = caught.value
    assert full_disk.failures  # the fault did hit the workbook's row streams
    assert exit_code_for(error) == EXIT_OUTPUT
    assert "temporary folder" in error.message
    assert str(temp_folder) in error.message
    assert str(out) not in error.message
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in out.iterdir()) == ["report.xlsx"]
    assert list(temp_folder.iterdir()) == []
    assert unraisable == []


@pytest.mark.parametrize("fmt", list(OutputFormat))
@pytest.mark.parametrize("code", [errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)])
def test_a_full_disk_at_the_target_names_the_target_folder_once(
    out: Path,
    temp_folder: Path,
    fmt: OutputFormat,
    code: int,
    full_disk,
    unraisable: list[str],  # type: ignore[no-untyped-def]
) -> None:
    target = out / f"report.{fmt.value}"
    target.write_bytes(OLD)
    disk = full_disk
    disk.code = code
    disk.fill(out)
    with pytest.raises(ExportError) as caught:
        _write(target, fmt)
    gc.collect()
    error = caught.value
    assert disk.failures
    assert type(error) is ExportError and exit_code_for(error) == EXIT_OUTPUT
    assert error.message.startswith(f'The disk holding "{out}" is full')
    assert "temporary" not in error.message
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in out.iterdir()) == [target.name]
    assert list(temp_folder.iterdir()) == []
    assert unraisable == []  # no "Exception ignored in ..." traceback after the message
