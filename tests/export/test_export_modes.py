"""Rows waiting in the temporary folder are the user's alone; the export itself follows the user's umask."""

from __future__ import annotations

from pathlib import Path

from app.export import open_writer
from app.models import ColumnSpec, OutputFormat
from tests.file_modes import POSIX_ONLY, mode, usual_umask  # noqa: F401 - usual_umask is autouse

pytestmark = POSIX_ONLY


def test_waiting_rows_are_private_and_the_workbook_is_the_users_document(
    tmp_path: Path, temp_folder: Path
) -> None:
    target = tmp_path / "report.xlsx"
    with open_writer(target, OutputFormat.XLSX) as writer:
        sheet = writer.add_sheet("S", [ColumnSpec("n", "N")])
        for n in range(200):
            sheet.write_row([str(n)])
        (scratch,) = temp_folder.iterdir()
        assert mode(scratch) == 0o700
        files = list(scratch.iterdir())
        assert files and all(mode(path) & 0o077 == 0 for path in files)
    assert mode(target) == 0o644  # a document like any other the user saves: their umask decides
