"""Commit or nothing: cancel, failures and "open in Excel" leave no file, no temp file, old file intact."""

from __future__ import annotations

import errno
from pathlib import Path

import openpyxl
import openpyxl.worksheet._writer as openpyxl_writer
import pytest

from app.errors import Cancelled, ExportError, FileInUseError
from app.export import atomic, open_writer
from app.models import ColumnSpec, OutputFormat
from app.models import ValueKind as K

OLD = b"the old export, which must survive"
COLUMNS = [ColumnSpec("n", "Number", K.INTEGER), ColumnSpec("t", "Text")]


def _fill(writer, rows: int = 120) -> None:  # type: ignore[no-untyped-def]
    first = writer.add_sheet("First", COLUMNS)
    second = writer.add_sheet("Second", COLUMNS)
    for n in range(rows):
        first.write_row([n, f"row {n}"])
        second.write_row([n, "=1+1"])


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_cancel_inside_the_block_leaves_nothing_and_keeps_the_old_file(
    tmp_path: Path, fmt: OutputFormat
) -> None:
    target = tmp_path / f"report.{fmt.value}"
    target.write_bytes(OLD)
    streams_before = set(openpyxl_writer.ALL_TEMP_FILES)
    with pytest.raises(Cancelled), open_writer(target, fmt) as writer:
        _fill(writer)
        raise Cancelled()
    assert _listing(tmp_path) == [target.name]
    assert target.read_bytes() == OLD
    assert writer.files == ()
    # openpyxl's own per-sheet stream files are gone too, not left until the app exits
    leftovers = set(openpyxl_writer.ALL_TEMP_FILES) - streams_before
    assert not [path for path in leftovers if Path(path).exists()]


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_any_failure_inside_the_block_leaves_no_file(tmp_path: Path, fmt: OutputFormat) -> None:
    target = tmp_path / f"report.{fmt.value}"
    with pytest.raises(RuntimeError, match="boom"), open_writer(target, fmt) as writer:
        _fill(writer, rows=3)
        raise RuntimeError("boom")
    assert _listing(tmp_path) == []


def test_discard_without_with(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    writer = open_writer(target, OutputFormat.XLSX)
    _fill(writer, rows=60)
    writer.discard()
    writer.discard()  # twice is harmless
    assert _listing(tmp_path) == []
    with pytest.raises(ExportError):
        writer.add_sheet("Again", COLUMNS)


def test_commit_without_with_and_no_second_commit(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    writer = open_writer(target, OutputFormat.XLSX)
    _fill(writer, rows=2)
    assert writer.commit() == (target,)
    assert writer.files == (target,)
    assert _listing(tmp_path) == ["report.xlsx"]
    assert openpyxl.load_workbook(target).sheetnames == ["First", "Second", "About this export"]
    with pytest.raises(ExportError):
        writer.commit()


def test_excel_lock_file_before_starting_gives_file_in_use(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(OLD)
    (tmp_path / "~$report.xlsx").write_bytes(b"lock")
    with pytest.raises(FileInUseError) as caught:
        open_writer(target, OutputFormat.XLSX)
    assert "report.xlsx" in caught.value.message
    assert "Excel" in caught.value.message
    assert "Close the file" in caught.value.hint
    assert target.read_bytes() == OLD
    assert _listing(tmp_path) == ["report.xlsx", "~$report.xlsx"]


def test_file_opened_in_excel_during_the_export_is_caught_at_commit(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(OLD)
    with pytest.raises(FileInUseError), open_writer(target, OutputFormat.XLSX) as writer:
        _fill(writer, rows=5)
        (tmp_path / "~$report.xlsx").write_bytes(b"lock")
    assert target.read_bytes() == OLD
    assert _listing(tmp_path) == ["report.xlsx", "~$report.xlsx"]


def test_libreoffice_lock_file_counts_too(tmp_path: Path) -> None:
    (tmp_path / ".~lock.report.xlsx#").write_text("lock")
    with pytest.raises(FileInUseError):
        open_writer(tmp_path / "report.xlsx", OutputFormat.XLSX)


def test_replace_refused_as_on_windows_gives_file_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(OLD)

    def refuse(source: object, destination: object) -> None:
        raise PermissionError(
            13, "The process cannot access the file because it is being used by another process"
        )

    monkeypatch.setattr(atomic, "_replace", refuse)
    with pytest.raises(FileInUseError) as caught, open_writer(target, OutputFormat.XLSX) as writer:
        _fill(writer, rows=5)
    assert "open in another program" in caught.value.message
    assert target.read_bytes() == OLD
    assert _listing(tmp_path) == ["report.xlsx"]


def test_disk_full_at_the_end_is_explained_in_plain_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.xlsx"

    def full(source: object, destination: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_replace", full)
    with pytest.raises(ExportError) as caught, open_writer(target, OutputFormat.XLSX) as writer:
        _fill(writer, rows=5)
    assert type(caught.value) is ExportError
    assert "not enough free disk space" in caught.value.message
    assert _listing(tmp_path) == []


def test_missing_folder_is_refused_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as caught:
        open_writer(tmp_path / "no such folder" / "report.xlsx", OutputFormat.XLSX)
    assert "does not exist" in caught.value.message
    assert type(caught.value) is ExportError


def test_a_folder_as_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "report.xlsx").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        open_writer(tmp_path / "report.xlsx", OutputFormat.CSV)


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "do not have permission"),
        (FileNotFoundError(errno.ENOENT, "No such file or directory"), "does not exist"),
        (OSError(errno.ENOSPC, "No space left on device"), "not enough free disk space"),
        (OSError(errno.EIO, "Input/output error"), "could not be saved"),
    ],
)
def test_os_errors_in_plain_words(tmp_path: Path, error: OSError, words: str) -> None:
    translated = atomic.translate_os_error(error, tmp_path / "report.xlsx")
    assert type(translated) is ExportError
    assert words in translated.message
    assert type(error).__name__ in translated.details


def test_the_temporary_file_sits_beside_the_target_hidden_and_not_like_an_excel_lock(tmp_path: Path) -> None:
    partial = atomic.partial_path(tmp_path / "report.xlsx")
    assert partial.parent == tmp_path
    assert partial.name.startswith(".report.xlsx.partial-")
    assert not partial.name.startswith("~$")
    assert partial != atomic.partial_path(tmp_path / "report.xlsx")


def test_several_csv_files_commit_together_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.csv"
    first, second = tmp_path / "report - First.csv", tmp_path / "report - Second.csv"
    first.write_bytes(b"old first")
    second.write_bytes(b"old second")
    real = atomic._replace
    moves: list[str] = []

    def refuse_the_second_file(source: Path, destination: Path) -> None:
        if Path(destination) == second and ".partial-" in Path(source).name:
            raise PermissionError(13, "in use")
        moves.append(Path(destination).name)
        real(source, destination)

    monkeypatch.setattr(atomic, "_replace", refuse_the_second_file)
    with pytest.raises(FileInUseError), open_writer(target, OutputFormat.CSV) as writer:
        _fill(writer, rows=4)
    assert "report - First.csv" in moves  # the first file had been replaced, and was put back
    assert first.read_bytes() == b"old first"
    assert second.read_bytes() == b"old second"
    assert _listing(tmp_path) == ["report - First.csv", "report - Second.csv"]


def test_another_workbooks_lock_file_does_not_block(tmp_path: Path) -> None:
    (tmp_path / "~$port.xlsx").write_bytes(b"lock of port.xlsx, open in Excel")
    with open_writer(tmp_path / "report.xlsx", OutputFormat.XLSX) as writer:
        writer.add_sheet("S", COLUMNS).write_row([1, "x"])
    assert writer.files == (tmp_path / "report.xlsx",)
