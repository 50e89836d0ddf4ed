"""``python -m app endpoints``: every report key with its label and filters (table and JSON)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import catalogue, cli

ROOT = Path(__file__).resolve().parents[2]


def run_endpoints(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUTF8="1")
    return subprocess.run(
        [sys.executable, "-m", "app", "endpoints", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_table_lists_every_key_label_and_filter_by_group() -> None:
    done = run_endpoints()
    assert done.returncode == 0, done.stderr
    text = done.stdout
    lines = text.splitlines()
    for group, specs in catalogue.by_group().items():
        assert group.value in lines
        for spec in specs:
            row = next(line for line in lines if line.split()[:1] == [spec.key])
            assert spec.label in row
            for item in spec.filters:
                assert f"{item.name} (" in text
    position = [text.index(f"  {spec.key} ") for spec in catalogue.ENDPOINTS]
    assert position == sorted(position)


def test_json_is_complete_and_machine_readable(capsys: pytest.CaptureFixture[str]) -> None:
    # In this process: the same dispatcher as ``python -m app endpoints --json``.
    assert cli.dispatch(cli.parse(["endpoints", "--json"])) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["key"] for e in entries] == list(catalogue.keys())
    lines = next(e for e in entries if e["key"] == "sale-order-lines")
    assert lines["label"] == "Sale order lines" and lines["line_report"] is True
    assert lines["dear_endpoint"] == "saleList" and lines["detail_endpoint"] == "sale"
    status = next(f for f in lines["filters"] if f["name"] == "Status")
    assert status["kind"] == "choice" and "COMPLETED" in status["choices"]
    customers = next(e for e in entries if e["key"] == "customers")
    assert {c["label"] for c in customers["child_sheets"]} == {"Customer addresses", "Customer contacts"}
    assert any(c["field"] == "Name" and c["default"] for c in customers["columns"])
