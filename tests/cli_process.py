"""The command line run as a scheduler runs it: ``python -m app ...`` in its own process, against a sandbox.

Shared by the tests that need the real process boundary (exit statuses, stdout wording, files
left behind) rather than ``app.cli.main`` called in-process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[1]
QUICK = ("--rate-limit", "1000/1", "--yes")  # no pacing against the loopback sandbox, no questions


def cli_env(sb: Sandbox, home: Path) -> dict[str, str]:
    """This environment plus the sandbox's connection, ``home`` as the user folder and UTF-8 output."""
    return dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        DEAR_ACCOUNT_ID=sb.account_id,
        DEAR_APPLICATION_KEY=sb.application_key,
        DEAR_BASE_URL=sb.base_url,
        DEAR_EXPORT_HOME=str(home),
        PYTHONUTF8="1",
    )


def run_cli(sb: Sandbox, home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``python -m app *args --rate-limit 1000/1 --yes``; return the finished process, output as text."""
    return subprocess.run(
        [sys.executable, "-m", "app", *args, *QUICK],
        env=cli_env(sb, home),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
