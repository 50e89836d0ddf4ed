"""``export`` and the output folder: checked before any request, full disks named, leftovers cleared.

Each case asserts exit status 5, one plain "Error: ..." line, no traceback, and (through the
sandbox's request counters) that DEAR was not asked anything when the folder was the problem.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app import cli
from app.errors import EXIT_OUTPUT
from app.export.atomic import computer_tag
from app.sandbox import Sandbox
from tests.export.faults import FullDisk

ROOT = Path(__file__).resolve().parents[2]


def _env(sb: Sandbox) -> dict[str, str]:
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
    return env


def _export(
    sb: Sandbox, cwd: Path, out: Path | str, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "app",
        "export",
        "--rate-limit",
        "1000/1",
        "--endpoint",
        "sale-order-lines",
    ]
    return subprocess.run(
        [*command, "--out", str(out), *extra],
        cwd=cwd,
        env=env or _env(sb),
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def _one_plain_line(stderr: str) -> str:
    """The one error line (progress lines come before it), with no traceback anywhere."""
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, stderr
    return errors[0]


@pytest.fixture
def sb(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return make_sandbox(rate_limit=None, counts={"sale": 12})


def _dispatch(sb: Sandbox, monkeypatch: pytest.MonkeyPatch, out: Path) -> int:
    for name, value in _env(sb).items():
        monkeypatch.setenv(name, value)
    args = ["export", "--rate-limit", "1000/1", "--endpoint", "sale-order-lines", "--out", str(out)]
    return cli.dispatch(cli.parse(args))


def test_a_name_too_long_exits_5_before_any_request(sb: Sandbox, tmp_path: Path) -> None:
    done = _export(sb, tmp_path, tmp_path / ("x" * 300 + ".xlsx"))
    assert done.returncode == EXIT_OUTPUT, done.stderr
    assert "too long" in _one_plain_line(done.stderr)
    assert sb.total_calls == 0
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_created_exits_5_before_any_request(sb: Sandbox, tmp_path: Path) -> None:
    (tmp_path / "reports").write_text("a file where the folder should be")
    done = _export(sb, tmp_path, tmp_path / "reports" / "2026" / "sales.xlsx")
    assert done.returncode == EXIT_OUTPUT, done.stderr
    line = _one_plain_line(done.stderr)
    assert "could not be created" in line and "reports" in line
    assert sb.total_calls == 0


def test_a_missing_folder_is_created_and_the_export_written(sb: Sandbox, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "2026" / "sales.xlsx"
    done = _export(sb, tmp_path, target)
    assert done.returncode == 0, done.stderr
    assert target.is_file()


def test_a_folder_that_refuses_files_exits_5_before_any_request(
    sb: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "read only"
    out.mkdir()
    real_open = os.open

    def refuse_in(path: object, flags: int, mode: int = 0o777, **kwargs: object) -> int:
        # tests may run as an administrator, whom folder permissions do not stop
        if Path(str(path)).parent == out:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse_in)
    assert _dispatch(sb, monkeypatch, out / "sales.xlsx") == EXIT_OUTPUT
    assert "permission to save files" in _one_plain_line(capsys.readouterr().err)
    assert sb.total_calls == 0


@pytest.mark.parametrize("full", ["target", "temporary"])
def test_a_full_disk_while_saving_exits_5_with_one_message_naming_it(
    sb: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    full: str,
) -> None:
    out, temp = tmp_path / "out", tmp_path / "temp"
    out.mkdir()
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    target = out / "sales.xlsx"
    target.write_bytes(b"last week's export")
    disk = FullDisk(monkeypatch)
    disk.fill(out if full == "target" else temp)
    assert _dispatch(sb, monkeypatch, target) == EXIT_OUTPUT
    line = _one_plain_line(capsys.readouterr().err)
    assert disk.failures
    if full == "target":
        assert f'The disk holding "{out}" is full' in line
    else:
        assert f'temporary folder "{temp}" is full' in line
    assert target.read_bytes() == b"last week's export"
    assert [p.name for p in out.iterdir()] == ["sales.xlsx"]
    assert list(temp.iterdir()) == []


def test_the_next_run_removes_a_killed_saves_leftovers(sb: Sandbox, tmp_path: Path) -> None:
    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()
    temp = tmp_path / "temp"
    temp.mkdir()
    partial = tmp_path / f".sales.xlsx.partial-{computer_tag()}-{killed.pid}-0a1b2c3d"
    partial.write_bytes(b"half a workbook")
    scratch = temp / f"dear-export-{killed.pid}-k1ll3d"
    scratch.mkdir()
    (scratch / "tmp1234.xml").write_bytes(b"<row/>" * 1000)
    (tmp_path / "notes.txt").write_text("mine")
    env = _env(sb)
    env.update({"TMPDIR": str(temp), "TEMP": str(temp), "TMP": str(temp)})
    done = _export(sb, tmp_path, tmp_path / "sales.xlsx", env=env)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "sales.xlsx", "temp"]
    assert list(temp.iterdir()) == []
