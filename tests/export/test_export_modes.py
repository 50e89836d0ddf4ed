"""Rows waiting in the temporary folder are the user's alone; the export itself follows the user's umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.export import open_writer
from app.models import ColumnSpec, OutputFormat

pytestmark = pytest.mark.skipif(
    os.name != "posix", reason="file modes are POSIX; on Windows the user's profile keeps others out"
)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # the usual default, which makes new files readable by everyone
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_waiting_rows_are_private_and_the_workbook_is_the_users_document(
    tmp_path: Path, temp_folder: Path
) -> None:
    target = tmp_path / "report.xlsx"
    with open_writer(target, OutputFormat.XLSX) as writer:
        sheet = writer.add_sheet("S", [ColumnSpec("n", "N")])
        for n in range(200):
            sheet.write_row([str(n)])
        (scratch,) = temp_folder.iterdir()
        assert _mode(scratch) == 0o700
        files = list(scratch.iterdir())
        assert files and all(_mode(path) & 0o077 == 0 for path in files)
    assert _mode(target) == 0o644  # a document like any other the user saves: their umask decides
