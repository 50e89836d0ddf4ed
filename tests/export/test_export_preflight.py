"""The output folder is checked before any request: created if missing, writable, names not too long."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from app.errors import EXIT_OUTPUT, ExportError, exit_code_for
from app.export import atomic, open_writer, preflight_target
from app.models import ColumnSpec, OutputFormat

LONGEST_NAME = 255  # bytes in one name on NTFS, APFS and ext4 alike


def test_a_missing_folder_is_created_and_nothing_is_left_in_it(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "2026" / "sales.xlsx"
    preflight_target(target, OutputFormat.XLSX)
    assert target.parent.is_dir()
    assert list(target.parent.iterdir()) == []  # the probe file is gone again


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_a_writable_folder_passes_and_keeps_its_files(tmp_path: Path, fmt: OutputFormat) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    preflight_target(tmp_path / f"sales.{fmt.value}", fmt)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_folder_that_cannot_be_created_is_refused_in_plain_words(tmp_path: Path) -> None:
    (tmp_path / "reports").write_text("a file, where the folder should be")
    with pytest.raises(ExportError) as caught:
        preflight_target(tmp_path / "reports" / "sales.xlsx", OutputFormat.XLSX)
    assert exit_code_for(caught.value) == EXIT_OUTPUT
    assert "could not be created" in caught.value.message
    assert "reports" in caught.value.message
    assert caught.value.hint


def test_a_folder_that_refuses_new_files_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as an administrator, whom no folder permission stops: the refusal is made
    # where the operating system would make it, when the probe file is created.
    real_open = os.open

    def refuse_in(path: object, flags: int, mode: int = 0o777, **kwargs: object) -> int:
        if Path(str(path)).parent == tmp_path:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse_in)
    with pytest.raises(ExportError) as caught:
        preflight_target(tmp_path / "sales.xlsx", OutputFormat.XLSX)
    assert exit_code_for(caught.value) == EXIT_OUTPUT
    assert "permission to save files" in caught.value.message
    assert str(tmp_path) in caught.value.message


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_a_name_too_long_for_the_file_system_is_refused(tmp_path: Path, fmt: OutputFormat) -> None:
    target = tmp_path / ("x" * 250 + f".{fmt.value}")
    with pytest.raises(ExportError) as caught:
        preflight_target(target, fmt)
    assert exit_code_for(caught.value) == EXIT_OUTPUT
    assert "too long" in caught.value.message
    assert "shorter" in caught.value.hint
    assert list(tmp_path.iterdir()) == []


def test_a_name_that_fits_but_whose_temporary_name_does_not_is_refused_too(tmp_path: Path) -> None:
    # The workbook is written under a longer hidden name beside it first.
    name = "x" * (LONGEST_NAME - 10) + ".xlsx"
    assert len(name) <= LONGEST_NAME
    with pytest.raises(ExportError, match="too long"):
        preflight_target(tmp_path / name, OutputFormat.XLSX)


def test_a_long_name_that_does_fit_is_accepted_and_written(tmp_path: Path) -> None:
    target = tmp_path / ("x" * 200 + ".xlsx")
    preflight_target(target, OutputFormat.XLSX)
    with open_writer(target, OutputFormat.XLSX) as writer:
        writer.add_sheet("S", [ColumnSpec("n", "N")]).write_row(["1"])
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_name_too_long_at_save_time_is_an_export_error_not_a_crash(tmp_path: Path) -> None:
    # Without the check first: the writer itself refuses, with the same message (exit 5).
    with pytest.raises(ExportError, match="too long"):
        open_writer(tmp_path / ("y" * 300 + ".xlsx"), OutputFormat.XLSX)


def test_name_too_long_from_the_system_is_put_in_plain_words(tmp_path: Path) -> None:
    error = OSError(errno.ENAMETOOLONG, "File name too long")
    translated = atomic.translate_os_error(error, tmp_path / "sales.xlsx")
    assert "too long" in translated.message
    assert exit_code_for(translated) == EXIT_OUTPUT
