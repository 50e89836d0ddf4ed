"""A full disk for tests: writes below chosen folders fail as the operating system fails them."""

from __future__ import annotations

import builtins
import errno
import io
import os
from pathlib import Path
from typing import Any

import pytest


class _FullFile:
    """A file on a full disk: opening works, every write fails, and so does closing after a write."""

    def __init__(self, real: Any, disk: FullDisk) -> None:
        self._real = real
        self._disk = disk
        self._unwritten = False

    def write(self, data: Any) -> int:
        if not data:
            return 0
        self._unwritten = True
        self._disk.failures += 1
        raise self._disk.error()

    def flush(self) -> None:
        if self._unwritten:
            raise self._disk.error()

    def close(self) -> None:
        # A buffered file that could not write its data fails again when it is closed.
        self._real.close()
        if self._unwritten:
            self._unwritten = False
            raise self._disk.error()

    def __enter__(self) -> _FullFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class FullDisk:
    """Folders whose disk is full: files opened for writing below them cannot be written.

    The fault sits at ``open`` (both ``builtins.open`` and ``io.open``), below openpyxl, the
    zip writer, the CSV writer and every layer of ours, so the whole error path is the real one.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, code: int = errno.ENOSPC) -> None:
        self.folders: list[Path] = []
        self.code = code
        """The error number every write raises: ``ENOSPC`` (disk full) or ``EDQUOT`` (quota used up)."""
        self.failures = 0
        self._real_open = io.open
        monkeypatch.setattr(builtins, "open", self._open)
        monkeypatch.setattr(io, "open", self._open)

    def fill(self, folder: Path) -> None:
        """Make ``folder`` (and everything below it) sit on a full disk."""
        self.folders.append(folder.resolve())

    def error(self) -> OSError:
        """The error the operating system gives for a write that does not fit."""
        return OSError(self.code, os.strerror(self.code))

    def _covers(self, file: Any) -> bool:
        if not isinstance(file, (str, Path)):
            return False
        path = Path(file).resolve()
        return any(path.is_relative_to(folder) for folder in self.folders)

    def _open(self, file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        real = self._real_open(file, mode, *args, **kwargs)
        if any(flag in mode for flag in "wax+") and self._covers(file):
            return _FullFile(real, self)
        return real
