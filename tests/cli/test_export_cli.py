"""``python -m app export`` as schedulers run it: a subprocess against a sandbox in this process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from app import cli
from app.api import DearClient
from app.cli import export_cmd, presets_cmd
from app.errors import EXIT_INCOMPLETE
from app.models import RateLimit, ReportRequest
from app.sandbox import Sandbox
from app.services.exporting import ExportService
from app.services.presets import Preset
from app.wiring import user_services
from tests.services.exporting.test_faults import deleting, moving_list

ROOT = Path(__file__).resolve().parents[2]
SALES = 40


def env_for(sb: Sandbox, **overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "DEAR_ACCOUNT_ID": sb.account_id,
            "DEAR_APPLICATION_KEY": sb.application_key,
            "DEAR_BASE_URL": sb.base_url,
            "PYTHONUTF8": "1",
        }
    )
    env.update(overrides)
    return env


def export(
    sb: Sandbox, cwd: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "app", "export", "--rate-limit", "1000/1", *args]
    return subprocess.run(
        command,
        cwd=cwd,
        env=env or env_for(sb),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def sb(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return make_sandbox(rate_limit=None, counts={"sale": SALES})


def test_export_writes_a_workbook_and_a_summary(sb: Sandbox, tmp_path: Path) -> None:
    done = export(sb, tmp_path, "--endpoint", "sale-order-lines", "--out", "lines.xlsx")
    assert done.returncode == 0, done.stderr
    lines = sum(len(sb.dataset.detail("sale", i)["Order"]["Lines"]) for i in range(SALES))
    book = openpyxl.load_workbook(tmp_path / "lines.xlsx", read_only=True)
    assert book.sheetnames == ["Sale order lines", "About this export"]
    assert sum(1 for _ in book["Sale order lines"].iter_rows(values_only=True)) == lines + 1
    book.close()
    # A workbook Excel opens without a repair prompt: every part is well-formed XML, the
    # content types name every part, and a full (not read-only) load succeeds.
    with zipfile.ZipFile(tmp_path / "lines.xlsx") as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
        overrides = {e.get("PartName", "").lstrip("/") for e in types}
        for name in names:
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))
        assert {n for n in names if n.startswith("xl/worksheets/sheet")} <= overrides
    full = openpyxl.load_workbook(tmp_path / "lines.xlsx")
    assert full["Sale order lines"].max_row == lines + 1
    assert full["Sale order lines"].freeze_panes == "A2"
    full.close()
    summary = done.stdout.strip()
    assert summary.startswith(f"Wrote {lines:,} rows (Sale order lines) to lines.xlsx in ")
    assert summary.endswith(f"; all {SALES} sales arrived.")
    progress = done.stderr.strip().splitlines()
    assert progress and len(progress) < 15
    assert sb.application_key not in done.stdout + done.stderr


def test_filters_columns_and_csv(sb: Sandbox, tmp_path: Path) -> None:
    done = export(
        sb,
        tmp_path,
        "--endpoint",
        "sales",
        "--endpoint",
        "customers",
        "--filter",
        "Status=completed",
        "--filter",
        "Name=T",
        "--columns",
        "OrderNumber,SaleID",
        "--columns",
        "Name",
        "--out",
        "out.csv",
    )
    assert done.returncode == 0, done.stderr
    sales = (tmp_path / "out - Sales.csv").read_text(encoding="utf-8-sig").splitlines()
    assert sales[0] == "Order number,Sale ID"
    completed = sorted(
        (s["OrderNumber"], s["SaleID"]) for s in sb.dataset.sales if s["Status"] == "COMPLETED"
    )
    assert completed and sales[1:] == [f"{number},{sale_id}" for number, sale_id in completed]
    customers = (tmp_path / "out - Customers.csv").read_text(encoding="utf-8-sig").splitlines()
    assert customers[0] == "Customer"
    assert customers[1:] and all(name.lstrip('"').startswith("T") for name in customers[1:])


def test_bad_filter_exits_2(sb: Sandbox, tmp_path: Path) -> None:
    done = export(sb, tmp_path, "--endpoint", "sales", "--out", "x.xlsx", "--filter", "Nonsense=1")
    assert done.returncode == 2, done.stderr
    assert "Nonsense" in done.stderr and "UpdatedSince" in done.stderr
    assert sb.total_calls == 0
    assert list(tmp_path.iterdir()) == []


def dispatch(argv: list[str]) -> int:
    """Run the command line in this process (same dispatcher and exit codes, no start-up cost)."""
    return cli.dispatch(cli.parse(argv))


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--filter", "Status=FINISHED"], "FINISHED"),
        (["--filter", "UpdatedSince=yesterday"], "not a date"),
        (["--filter", "Status"], "NAME=VALUE"),
        (["--columns", "Colour"], "Colour"),
        (["--rate-limit", "fast"], "CALLS/SECONDS"),
    ],
)
def test_bad_usage_exits_2(
    sb: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    words: str,
) -> None:
    for name, value in env_for(sb).items():
        monkeypatch.setenv(name, value)
    code = dispatch(["export", "--endpoint", "sales", "--out", str(tmp_path / "x.xlsx"), *args])
    assert code == 2
    assert words in capsys.readouterr().err
    assert sb.total_calls == 0
    assert list(tmp_path.iterdir()) == []


def test_unknown_endpoint_and_missing_credentials_exit_2(
    sb: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in env_for(sb).items():
        monkeypatch.setenv(name, value)
    assert dispatch(["export", "--endpoint", "sale-lines", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "sale-order-lines" in capsys.readouterr().err
    monkeypatch.delenv("DEAR_APPLICATION_KEY")
    assert dispatch(["export", "--endpoint", "sales", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "DEAR_APPLICATION_KEY" in capsys.readouterr().err


def test_wrong_key_exits_3(sb: Sandbox, tmp_path: Path) -> None:
    wrong = "11111111-2222-3333-4444-555555555555"
    done = export(
        sb, tmp_path, "--endpoint", "sales", "--out", "x.xlsx", env=env_for(sb, DEAR_APPLICATION_KEY=wrong)
    )
    assert done.returncode == 3, done.stderr
    assert "Account ID" in done.stderr and wrong not in done.stderr + done.stdout
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_exits_5(sb: Sandbox, tmp_path: Path) -> None:
    (tmp_path / "a file").write_text("not a folder")
    done = export(sb, tmp_path, "--endpoint", "sales", "--out", str(tmp_path / "a file" / "x.xlsx"))
    assert done.returncode == 5, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("Error: ")
    assert sb.total_calls == 0


def test_a_folder_as_output_exits_5(
    sb: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in env_for(sb).items():
        monkeypatch.setenv(name, value)
    (tmp_path / "taken").mkdir()
    assert dispatch(["export", "--endpoint", "sales", "--out", str(tmp_path / "taken")]) == 5
    assert capsys.readouterr().err.startswith("Error: ")
    assert sb.total_calls == 0


def test_fault_storm_exits_4(make_sandbox: Callable[..., Sandbox], tmp_path: Path) -> None:
    storm = make_sandbox(rate_limit=None, fault_rate=1.0, counts={"sale": 5})
    done = export(storm, tmp_path, "--endpoint", "sales", "--out", "x.xlsx")
    assert done.returncode == 4, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("Error: ")
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT, a POSIX signal")
def test_ctrl_c_cancels_cleanly_with_130(make_sandbox: Callable[..., Sandbox], tmp_path: Path) -> None:
    slow = make_sandbox(rate_limit=None, latency_ms=100, counts={"sale": 200})
    command = [sys.executable, "-m", "app", "export", "--rate-limit", "1000/1"]
    command += ["--endpoint", "sale-order-lines", "--out", "lines.xlsx"]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env_for(slow), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while slow.call_counts().get("sale", 0) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert "cancelled" in err.lower()
    assert list(tmp_path.iterdir()) == []
    assert slow.call_counts().get("sale", 0) < 200


def test_saved_connection_is_used_with_overrides(
    sb: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # In-process, so the test's in-memory keyring holds the saved key.
    user_services().connections.add(
        "Sandbox NZ", sb.account_id, sb.application_key, base_url="http://127.0.0.1:9/"
    )
    args = cli.parse(
        [
            "export",
            "--connection",
            "Sandbox NZ",
            "--base-url",
            sb.base_url,
            "--rate-limit",
            "500/1",
            "--endpoint",
            "units",
            "--out",
            str(tmp_path / "units.xlsx"),
            "--no-cache",
        ]
    )
    connection = export_cmd.resolve_connection(args)
    assert connection.base_url == sb.base_url and connection.rate_limit == RateLimit(500, 1)
    assert cli.dispatch(args) == 0
    assert "Wrote 6 rows (Units of measure) to units.xlsx" in capsys.readouterr().out


@pytest.mark.skipif(sys.platform == "win32", reason="sends POSIX signals")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_stop_while_rows_are_written_ends_within_a_second_and_keeps_the_old_file(
    make_sandbox: Callable[..., Sandbox], tmp_path: Path, stop: signal.Signals
) -> None:
    big = make_sandbox(rate_limit=None, counts={"product": 15_000})  # about 5 s of writing rows
    out, scratch = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    scratch.mkdir()
    target = out / "products.xlsx"
    target.write_bytes(b"PK last week's workbook, which must survive")
    before = target.read_bytes()
    command = [sys.executable, "-m", "app", "export", "--rate-limit", "1000/1", "--endpoint", "products"]
    command += ["--out", str(target), "--yes"]
    # TMPDIR: the sort runs and openpyxl's sheet streams go there, and must be gone afterwards.
    env = env_for(big, TMPDIR=str(scratch))
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stderr is not None
        seen = []
        for line in process.stderr:
            seen.append(line)
            if line.startswith("Writing "):
                break
        else:
            pytest.fail(f"the export never started writing: {''.join(seen)}")
        time.sleep(1.0)  # well into the rows (the list is read and sorted by now)
        assert process.poll() is None, "the export finished before it could be stopped"
        sent = time.monotonic()
        process.send_signal(stop)
        process.wait(timeout=30)
        took = time.monotonic() - sent
        err = "".join(seen) + process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert took < 1.0, f"took {took:.2f} s to stop"
    assert "cancelled" in err.lower()
    assert target.read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["products.xlsx"]
    assert list(scratch.iterdir()) == []


def _service_with(factory: Callable[..., DearClient]) -> Callable[[], ExportService]:
    return lambda: ExportService(factory, cache=None)


def test_an_incomplete_export_writes_the_file_and_exits_6(
    sb: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in env_for(sb).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(export_cmd, "default_service", _service_with(moving_list("saleList")))
    target = tmp_path / "sales.xlsx"
    assert dispatch(["export", "--endpoint", "sales", "--out", str(target)]) == EXIT_INCOMPLETE
    out, err = capsys.readouterr()
    assert target.exists() and out.startswith(f"Wrote {SALES:,} rows (Sales)")
    reason = err.strip().splitlines()[-1]
    assert reason.startswith("Error: the export is incomplete. 1 of 41 sales could not be read because")


def test_run_preset_of_an_incomplete_export_exits_6(
    sb: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    services = user_services()
    services.connections.add("Sandbox", sb.account_id, sb.application_key, base_url=sb.base_url)
    services.presets.save(Preset("Sales", "Sandbox", (ReportRequest("sales"),), output_folder=str(tmp_path)))
    services.exporter = _service_with(moving_list("saleList"))()
    monkeypatch.setattr(presets_cmd, "_services", lambda: services)
    assert dispatch(["run-preset", "Sales"]) == EXIT_INCOMPLETE
    out, err = capsys.readouterr()
    assert "Saved " in out
    assert "Error: the export is incomplete. 1 of 41 sales could not be read" in err
    assert err.strip().endswith("Run the preset again.")


def test_a_record_deleted_while_exporting_is_named_and_the_export_exits_0(
    sb: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in env_for(sb).items():
        monkeypatch.setenv(name, value)
    victim = sb.dataset.sales[3]
    monkeypatch.setattr(export_cmd, "default_service", _service_with(deleting({victim["SaleID"]})))
    target = tmp_path / "lines.xlsx"
    assert dispatch(["export", "--endpoint", "sale-order-lines", "--out", str(target)]) == 0
    out, err = capsys.readouterr()
    number = victim["OrderNumber"]
    assert f"{number} was deleted in DEAR while the export ran, so it is not in this export." in out
    assert f"Note: {number} was deleted in DEAR while the export ran; it is not in the file." in err
    assert target.exists()
