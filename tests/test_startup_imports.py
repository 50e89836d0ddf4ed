"""Start-up stays light: the command-line parser and the window's start load no heavy library.

openpyxl (most of a second), the sandbox and requests are imported only when an export, a look-up
or the demo starts. Each check runs in a fresh interpreter, since this test process has long since
imported everything. The private app home the test-wide fixture sets is inherited, and the null
keyring keeps the machine's own keyring out of it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("openpyxl", "app.sandbox", "requests")


def loaded_after(code: str) -> set[str]:
    """Run ``code`` in a new interpreter and return which of ``HEAVY`` it left in ``sys.modules``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_probe_sees_a_heavy_import() -> None:
    # Without this, a probe that never reported anything would pass every test below.
    assert loaded_after("import app.export.xlsx, app.sandbox, app.api.client") == set(HEAVY)


def test_building_the_parser_loads_no_heavy_library() -> None:
    assert loaded_after("import app.cli\napp.cli.build_parser()") == set()


def test_the_version_option_loads_no_heavy_library() -> None:
    code = "import app.main\ntry:\n    app.main.run(['--version'])\nexcept SystemExit:\n    pass"
    assert loaded_after(code) == set()


@pytest.mark.parametrize(
    "code",
    [
        "import app.ui.main_window",
        # What the window builds before it shows: the real services, with a demo session not yet started.
        "import app.ui.application, app.ui.main_window\nfrom app.ui.context import default_services\n"
        "default_services()",
        # The composition root every command and the window build their services with.
        "from app.wiring import user_services\nuser_services()",
    ],
)
def test_the_window_start_loads_no_heavy_library(code: str) -> None:
    assert loaded_after(code) == set()


def test_the_export_package_loads_openpyxl_only_for_a_workbook() -> None:
    assert loaded_after("import app.export") == set()
    assert "openpyxl" in loaded_after("from app.export import XlsxWriter")
