"""``python -m app demo``: the headless demo export from the built-in demo company."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from app import dates
from app.main import run
from app.sandbox import Dataset, SandboxConfig


def test_demo_exports_last_months_sale_lines_into_documents(
    app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["demo"])

    out, err = capsys.readouterr()
    assert code == 0, err
    window = dates.resolve("last-month", date.today())
    path = (
        app_home
        / "Documents"
        / (f"Sale order lines {window.start:%Y-%m-%d} to {window.end:%Y-%m-%d} (demo).xlsx")
    )
    assert f"Open it in Excel: {path}" in out
    assert "Starting the demo company" in err
    # The demo company is the sandbox's small dataset, seed 1, dated from today.
    dataset = Dataset(1, date.today(), SandboxConfig(seed=1, size="small").record_counts())
    expected = {
        sale["OrderNumber"]
        for sale in dataset.sales
        if sale["OrderDate"]
        and window.contains(date.fromisoformat(sale["OrderDate"][:10]))
        and (dataset.sale_detail(sale["SaleID"])["Order"] or {}).get("Lines")
    }
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book["Sale order lines"].iter_rows(values_only=True))
    book.close()
    assert rows[0][0] == "Order number"
    assert {row[0] for row in rows[1:]} == expected
