"""The composition root: what reaches the user's terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_an_unreachable_host_gives_one_plain_line_without_library_noise(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        DEAR_BASE_URL="http://127.0.0.1:9/ExternalApi/v2/",  # the discard port: connection refused
        DEAR_ACCOUNT_ID="account",
        DEAR_APPLICATION_KEY="not-a-real-key",
        DEAR_EXPORT_HOME=str(tmp_path / "home"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "app", "export", "--endpoint", "customers", "--out", str(tmp_path / "x.xlsx")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 4
    assert "Error: Could not reach DEAR at 127.0.0.1:9." in done.stderr
    # urllib3's own retry warnings go to the log file, not to the user.
    assert "Retrying" not in done.stderr
    assert "Retrying" in (tmp_path / "home" / "logs" / "dear-export.log").read_text(encoding="utf-8")
    assert not (tmp_path / "x.xlsx").exists()
