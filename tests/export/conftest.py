"""Faults for the file-writing tests: a full disk below every layer of ours, and dead processes."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.export.faults import FullDisk


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> FullDisk:
    """Folders to fill with ``full_disk.fill(folder)``."""
    return FullDisk(monkeypatch)


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary folder of this test's own, where ``tempfile`` (and so openpyxl) puts files."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Errors Python could only print (``Exception ignored in ...``: a traceback the user sees)."""
    seen: list[str] = []

    def hook(info: Any) -> None:
        seen.append(f"{info.exc_type.__name__}: {info.exc_value} in {info.object!r}")

    monkeypatch.setattr(sys, "unraisablehook", hook)
    yield seen


@pytest.fixture
def dead_pid() -> int:
    """The process ID of a process that has ended (as a killed export's would be)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid
