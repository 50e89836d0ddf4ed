"""Test-wide setup: offscreen Qt, a private app home, an in-memory keyring."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Without a display Qt aborts the whole run (PLATFORM-NOTES); set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def app_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point every user folder (settings, data, logs, Documents) at a fresh temporary tree."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DEAR_EXPORT_HOME", str(home))
    yield home
