"""Shared by the tests of file modes: they run on POSIX only, under the usual umask of 022."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

POSIX_ONLY = pytest.mark.skipif(
    os.name != "posix", reason="file modes are POSIX; on Windows the user's profile keeps others out"
)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """Run the test under umask 022, the usual default, which makes new files readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    """The permission bits of ``path``."""
    return stat.S_IMODE(path.stat().st_mode)
