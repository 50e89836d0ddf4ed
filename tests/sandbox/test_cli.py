"""``python -m app sandbox`` prints one line with its details and serves until stopped."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import requests

ROOT = Path(__file__).parents[2]


def test_sandbox_command_prints_its_line_and_serves(tmp_path: Path) -> None:
    env = {**os.environ, "DEAR_EXPORT_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "sandbox", "--port", "0", "--seed", "3", "--rate-limit", "30/3"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(
            r"(http://127\.0\.0\.1:\d+/ExternalApi/v2/)\s+Account ID: (\S+)\s+Application Key: (\S+)", line
        )
        assert match, line
        url, account, key = match.groups()
        headers = {"api-auth-accountid": account, "api-auth-applicationkey": key}
        body = requests.get(
            url + "product", params={"Page": 2, "Limit": 5}, headers=headers, timeout=10
        ).json()
        assert body["Page"] == 2 and len(body["Products"]) == 5 and body["Total"] > 100
        assert requests.get(url + "product", headers={}, timeout=10).status_code == 403
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_ctrl_c_stops_it_cleanly_with_status_0(tmp_path: Path) -> None:
    env = {**os.environ, "DEAR_EXPORT_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    flags = subprocess.CREATE_NEW_PROCESS_GROUP if os.name == "nt" else 0
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "sandbox", "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        creationflags=flags,
    )
    assert process.stdout is not None
    assert "Application Key:" in process.stdout.readline()
    process.send_signal(signal.CTRL_C_EVENT if os.name == "nt" else signal.SIGINT)
    assert process.wait(timeout=10) == 0


def test_bad_rate_limit_is_a_usage_error(tmp_path: Path) -> None:
    env = {**os.environ, "DEAR_EXPORT_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "app", "sandbox", "--rate-limit", "lots"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert "CALLS/SECONDS" in done.stderr


def test_drift_rows_option_makes_lists_move_between_requests(tmp_path: Path) -> None:
    env = {**os.environ, "DEAR_EXPORT_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "sandbox", "--port", "0", "--rate-limit", "none", "--drift-rows", "3"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"(http://\S+/ExternalApi/v2/)\s+Account ID: (\S+)\s+Application Key: (\S+)", line)
        assert match, line
        url, account, key = match.groups()
        headers = {"api-auth-accountid": account, "api-auth-applicationkey": key}

        def order() -> list[str]:
            body = requests.get(url + "saleList", params={"Limit": 1000}, headers=headers, timeout=10).json()
            return [row["SaleID"] for row in body["SaleList"]]

        first, second = order(), order()
        assert sorted(first) == sorted(second) and first != second
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_negative_drift_rows_is_a_usage_error(tmp_path: Path) -> None:
    env = {**os.environ, "DEAR_EXPORT_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "app", "sandbox", "--drift-rows", "-2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert "negative" in done.stderr
