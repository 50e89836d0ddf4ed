"""Workbooks as their users meet them: LibreOffice Calc opens, recalculates and edits an export.

The export runs as a scheduler runs it (``python -m app export`` against the sandbox over
loopback); LibreOffice (Debian's ``libreoffice-calc-nogui`` and ``python3-uno``, installed by
``scripts/test.py`` and ``.ci/run``) is then driven through its UNO bridge by
``libreoffice_driver.py`` under the system Python. Skipped where LibreOffice is missing, unless
``DEAR_REQUIRE_LIBREOFFICE`` is set (CI sets it): then it fails, so it can never be skipped there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.sandbox import Sandbox
from tests.cli_process import run_cli

DRIVER = Path(__file__).with_name("libreoffice_driver.py")
SYSTEM_PYTHON = Path("/usr/bin/python3")
REQUIRE = "DEAR_REQUIRE_LIBREOFFICE"
LINES = "Sale order lines"


def _missing() -> str | None:
    if shutil.which("soffice") is None:
        return "soffice is not installed"
    if not SYSTEM_PYTHON.exists():
        return f"{SYSTEM_PYTHON} is missing"
    probe = subprocess.run([str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True, check=False)
    return "python3-uno is not installed" if probe.returncode else None


@pytest.fixture
def libreoffice() -> None:
    reason = _missing()
    if reason is not None:
        if os.environ.get(REQUIRE):
            pytest.fail(f"{REQUIRE} is set but LibreOffice cannot be driven ({reason}).", pytrace=False)
        pytest.skip(f"LibreOffice cannot be driven here ({reason}); set {REQUIRE}=1 to make this a failure")


def _export(sb: Sandbox, target: Path, home: Path) -> None:
    endpoints = ("--endpoint", "customers", "--endpoint", "sale-order-lines")
    done = run_cli(sb, home, "export", "--out", str(target), *endpoints, timeout=180)
    assert done.returncode == 0, done.stderr


def _drive(source: Path, saved: Path, sheet: str, column: str) -> dict[str, Any]:
    done = subprocess.run(
        [str(SYSTEM_PYTHON), str(DRIVER), str(source), str(saved), sheet, column],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_libreoffice_opens_recalculates_and_edits_an_export(
    libreoffice: None, make_sandbox: Callable[..., Sandbox], tmp_path: Path, app_home: Path
) -> None:
    sb = make_sandbox(rate_limit=None, counts={"sale": 30})
    source, saved = tmp_path / "Export.xlsx", tmp_path / "Edited in Calc.xlsx"
    _export(sb, source, app_home)

    seen = _drive(source, saved, LINES, "Line total")

    ours = openpyxl.load_workbook(source)
    assert seen["sheets"] == ours.sheetnames
    sheet = ours[LINES]
    rows = seen["rows"]
    assert len(rows) == sheet.max_row
    # Every cell Calc shows is the one we wrote, with the type we meant: numbers and dates as
    # values (dates with a date format), text as text; nothing became a formula.
    for r, row in enumerate(sheet.iter_rows(), start=0):
        for c, cell in enumerate(row):
            calc = rows[r][c]
            value = cell.value
            if value is None or value == "":
                assert calc["type"] == "EMPTY", (cell.coordinate, calc)
            elif isinstance(value, bool):
                assert calc["type"] == "VALUE" and calc["value"] == float(value), (cell.coordinate, calc)
            elif isinstance(value, datetime):
                assert calc["type"] == "VALUE" and calc["date"], (cell.coordinate, calc)
                assert calc["text"].startswith(f"{value:%Y-%m-%d}"), (cell.coordinate, calc)
            elif isinstance(value, (int, float)):
                assert calc["type"] == "VALUE", (cell.coordinate, calc)
                assert calc["value"] == pytest.approx(float(value)), (cell.coordinate, calc)
            else:
                assert calc["type"] == "TEXT" and calc["text"] == value, (cell.coordinate, calc)

    # Money reads as money in Calc: two decimals shown, every digit kept in the cell.
    header = [cell.value for cell in sheet[1]]
    shown = 0
    for name in ("Price", "Tax", "Line total"):
        c = header.index(name)
        for r in range(1, len(rows)):
            value = sheet.cell(r + 1, c + 1).value
            if value is None:
                continue
            text = rows[r][c]["text"]
            assert re.fullmatch(r"-?\d{1,3}(,\d{3})*\.\d{2}", text), (name, r, text)
            assert abs(float(text.replace(",", "")) - value) <= 0.005 + 1e-9, (name, r, text, value)
            assert rows[r][c]["value"] == pytest.approx(value, abs=1e-12), (name, r)
            shown += 1
    assert shown > 30

    # The total a person types sums what we wrote, to the cent.
    column = seen["column"]
    expected = sum(row[column - 1].value or 0 for row in sheet.iter_rows(min_row=2))
    assert seen["total"] == pytest.approx(expected)

    # Saved by Calc, the workbook still holds our data, the person's formula and their text.
    edited = openpyxl.load_workbook(saved)
    edited_sheet = edited[LINES]
    assert [c.value for c in edited_sheet[1]] == [c.value for c in sheet[1]]
    assert edited_sheet.cell(seen["total_row"], column).value.upper().startswith("=SUM(")
    assert edited_sheet.cell(seen["note_row"], column).value == "=checked by hand"
    assert edited_sheet.cell(seen["note_row"], column).data_type == "s"
    recalculated = openpyxl.load_workbook(saved, data_only=True)[LINES]
    assert recalculated.cell(seen["total_row"], column).value == pytest.approx(expected)


def test_formula_like_customer_names_stay_text_in_calc(
    libreoffice: None, make_sandbox: Callable[..., Sandbox], tmp_path: Path, app_home: Path
) -> None:
    sb = make_sandbox(rate_limit=None, counts={"sale": 5})
    source = tmp_path / "Customers.xlsx"
    _export(sb, source, app_home)
    seen = _drive(source, tmp_path / "saved.xlsx", "Customers", "Credit limit")
    names = [row[0] for row in seen["rows"][1:]]
    formula_like = [name for name in names if name["text"].startswith(("=", "+", "-", "@"))]
    assert formula_like, "the sandbox should hold customer names that look like formulas"
    assert all(name["type"] == "TEXT" for name in formula_like), formula_like
