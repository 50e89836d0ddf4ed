"""Running ``user_workbook.py`` (LibreOffice through its UNO bridge) from the tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

DRIVER = Path(__file__).with_name("user_workbook.py")
SYSTEM_PYTHON = Path("/usr/bin/python3")
REQUIRE = "DEAR_REQUIRE_LIBREOFFICE"


def require_libreoffice() -> None:
    """Skip the test where LibreOffice cannot be driven (fail instead when CI requires it)."""
    reason = None
    if shutil.which("soffice") is None:
        reason = "soffice is not installed"
    elif not SYSTEM_PYTHON.exists():
        reason = f"{SYSTEM_PYTHON} is missing"
    elif subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True, check=False
    ).returncode:
        reason = "python3-uno is not installed"
    if reason is None:
        return
    if os.environ.get(REQUIRE):
        pytest.fail(f"{REQUIRE} is set but LibreOffice cannot be driven ({reason}).", pytrace=False)
    pytest.skip(f"LibreOffice cannot be driven here ({reason})")


def _run(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [str(SYSTEM_PYTHON), str(DRIVER), *args], capture_output=True, text=True, timeout=240, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def build_user_workbook(source: Path, saved: Path, sheet: str, table: str, column: str) -> dict[str, Any]:
    """A user adds a summary sheet (formulas, a chart, a pivot table) to ``source``, saved as ``saved``."""
    return _run("build", str(source), str(saved), sheet, table, column)


def read_recalculated(path: Path, sheet: str, *cells: str) -> dict[str, Any]:
    """Open ``path`` with recalculation on load and return the cells' values and the sheet names."""
    return _run("read", str(path), sheet, *cells)
