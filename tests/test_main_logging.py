"""The log files hold company names and report details: readable by the user only."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.main import configure_logging
from app.paths import log_dir

pytestmark = pytest.mark.skipif(
    os.name != "posix", reason="file modes are POSIX; Windows protects the profile"
)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # the usual default, which makes new files readable by everyone
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _file_handler() -> logging.handlers.RotatingFileHandler:
    (handler,) = [
        h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler)
    ]
    return handler


def test_the_log_and_its_rotated_files_are_for_the_user_only() -> None:
    configure_logging(to_file="dear-export.log")
    logging.getLogger("app.test").warning("Exported 12 sales of Acme Ltd")
    handler = _file_handler()
    handler.flush()
    log_file = log_dir() / "dear-export.log"
    assert _mode(log_file) == 0o600
    handler.doRollover()
    logging.getLogger("app.test").warning("and the next export")
    handler.flush()
    assert _mode(log_dir() / "dear-export.log.1") == 0o600
    assert _mode(log_file) == 0o600
    assert _mode(log_dir()) & 0o077 == 0


def test_an_old_log_readable_by_others_is_made_private() -> None:
    old = log_dir() / "dear-export.log"
    old.write_text("written by an earlier version\n")
    old.chmod(0o644)
    configure_logging(to_file="dear-export.log")
    assert _mode(old) == 0o600
