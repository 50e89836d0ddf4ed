"""The log files hold company names and report details: readable by the user only."""

from __future__ import annotations

import logging

from app.main import configure_logging
from app.paths import log_dir
from tests.file_modes import POSIX_ONLY, mode, usual_umask  # noqa: F401 - usual_umask is autouse

pytestmark = POSIX_ONLY


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
    assert mode(log_file) == 0o600
    handler.doRollover()
    logging.getLogger("app.test").warning("and the next export")
    handler.flush()
    assert mode(log_dir() / "dear-export.log.1") == 0o600
    assert mode(log_file) == 0o600
    assert mode(log_dir()) & 0o077 == 0


def test_an_old_log_readable_by_others_is_made_private() -> None:
    old = log_dir() / "dear-export.log"
    old.write_text("written by an earlier version\n")
    old.chmod(0o644)
    configure_logging(to_file="dear-export.log")
    assert mode(old) == 0o600
