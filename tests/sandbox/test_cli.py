"""``python -m app sandbox`` prints one line with its details and serves until stopped."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).parents[2]


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "DEAR_EXPORT_HOME": str(home), "PYTHONPATH": str(ROOT)}


def _start(home: Path, *args: str, **popen: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "sandbox", *args],
        cwd=ROOT,
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


@contextmanager
def _serving(home: Path, *args: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Start the command, read its one line, and yield the address and the headers it printed."""
    process = _start(home, *args)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(
            r"(http://127\.0\.0\.1:\d+/ExternalApi/v2/)\s+Account ID: (\S+)\s+Application Key: (\S+)", line
        )
        assert match, line
        url, account, key = match.groups()
        yield url, {"api-auth-accountid": account, "api-auth-applicationkey": key}
    finally:
        process.terminate()
        process.wait(timeout=10)


def _usage_error(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "sandbox", *args],
        cwd=ROOT,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_sandbox_command_prints_its_line_and_serves(tmp_path: Path) -> None:
    with _serving(tmp_path, "--port", "0", "--seed", "3", "--rate-limit", "30/3") as (url, headers):
        body = requests.get(
            url + "product", params={"Page": 2, "Limit": 5}, headers=headers, timeout=10
        ).json()
        assert body["Page"] == 2 and len(body["Products"]) == 5 and body["Total"] > 100
        assert requests.get(url + "product", headers={}, timeout=10).status_code == 403


def test_ctrl_c_stops_it_cleanly_with_status_0(tmp_path: Path) -> None:
    flags = subprocess.CREATE_NEW_PROCESS_GROUP if os.name == "nt" else 0
    process = _start(tmp_path, "--port", "0", creationflags=flags)
    assert process.stdout is not None
    assert "Application Key:" in process.stdout.readline()
    process.send_signal(signal.CTRL_C_EVENT if os.name == "nt" else signal.SIGINT)
    assert process.wait(timeout=10) == 0


def test_bad_rate_limit_is_a_usage_error(tmp_path: Path) -> None:
    done = _usage_error(tmp_path, "--rate-limit", "lots")
    assert done.returncode == 2
    assert "CALLS/SECONDS" in done.stderr


def test_drift_rows_option_makes_lists_move_between_requests(tmp_path: Path) -> None:
    with _serving(tmp_path, "--port", "0", "--rate-limit", "none", "--drift-rows", "3") as (url, headers):

        def order() -> list[str]:
            body = requests.get(url + "saleList", params={"Limit": 1000}, headers=headers, timeout=10).json()
            return [row["SaleID"] for row in body["SaleList"]]

        first, second = order(), order()
        assert sorted(first) == sorted(second) and first != second


def test_negative_drift_rows_is_a_usage_error(tmp_path: Path) -> None:
    done = _usage_error(tmp_path, "--drift-rows", "-2")
    assert done.returncode == 2
    assert "negative" in done.stderr
