"""``--selftest``: passes on a good installation, fails on a missing resource or an unbundled keyring."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

import app.paths
from app.ui.selftest import run_selftest

pytestmark = pytest.mark.gui


def test_selftest_passes_and_reports_each_check(qtbot) -> None:
    out = io.StringIO()
    assert run_selftest(out) == 0
    text = out.getvalue()
    for name in ("Qt", "Resources", "Keyring", "Window", "Export"):
        assert f"OK    {name}:" in text
    assert "Passed" in text


def test_selftest_fails_when_a_listed_resource_is_missing(qtbot, tmp_path: Path, monkeypatch) -> None:
    copy = tmp_path / "resources"
    shutil.copytree(app.paths.resources_dir(), copy)
    (copy / "icons" / "app-48.png").unlink()
    monkeypatch.setattr(app.paths, "resources_dir", lambda: copy)
    out = io.StringIO()
    assert run_selftest(out) == 1
    assert "FAIL  Resources: missing icons/app-48.png" in out.getvalue()


def test_selftest_fails_on_the_fail_keyring_when_a_secret_service_is_reachable(qtbot, monkeypatch) -> None:
    keyring.set_keyring(fail.Keyring())  # the autouse fixture restores the previous backend
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    out = io.StringIO()
    assert run_selftest(out) == 1
    assert "FAIL  Keyring:" in out.getvalue()


def test_selftest_accepts_the_fail_keyring_without_a_secret_service(qtbot, monkeypatch) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    out = io.StringIO()
    assert run_selftest(out) == 0
    assert "OK    Keyring: Nowhere safe" in out.getvalue()
