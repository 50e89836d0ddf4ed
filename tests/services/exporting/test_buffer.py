"""One company's sheets held back: rows come back in order, past the bound from disk, files removed."""

from __future__ import annotations

from pathlib import Path

from app.models import ColumnSpec
from app.services.exporting.buffer import BufferedSheets


def test_rows_come_back_in_order_from_disk_and_the_files_go(tmp_path: Path) -> None:
    columns = (ColumnSpec("A", "A"), ColumnSpec("B", "B"))
    with BufferedSheets(run_weight=50, folder=tmp_path) as sheets:
        first = sheets.add_sheet("First", columns)
        second = sheets.add_sheet("Second", columns)
        for n in range(1_000):
            first.write_row([n, f"row {n}"])
            if n % 10 == 0:
                second.write_row([-n, None])
        assert sheets.files  # past the bound: on disk, not in memory
        assert list(sheets.sheets[0].kept_rows()) == [[n, f"row {n}"] for n in range(1_000)]
        assert list(sheets.sheets[1].kept_rows()) == [[-n, None] for n in range(0, 1_000, 10)]
        assert (first.rows, second.rows) == (1_000, 100)
        held = sheets.files
    assert not any(path.exists() for path in held)
    assert list(tmp_path.iterdir()) == []
