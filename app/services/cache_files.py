"""The files one cache is made of: keeping them private, removing them, setting a damaged one aside.

A cache holds company data, so its file is created readable by the user only (SQLite gives
its write-ahead log, index and journal files the database file's own permissions). A file
SQLite reports as damaged is renamed ``<name>.damaged-<UTC time>`` (with its write-ahead log)
and a new cache is started in its place; only the newest damaged copy of each cache is kept,
for a support case, and ``cache clear`` removes it too.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

__all__ = ["DAMAGED_MARK", "cache_file_paths", "is_damage", "make_private", "remove_cache_files", "set_aside"]

DAMAGED_MARK = ".damaged-"
_PRIVATE = 0o600
# SQLite's primary result codes for "this file is damaged" and "this file is not a database".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


def cache_file_paths(path: Path) -> tuple[Path, ...]:
    """Return the database file and SQLite's companion files beside it (log, index, journal)."""
    return (
        path,
        path.with_name(path.name + "-wal"),
        path.with_name(path.name + "-shm"),
        path.with_name(path.name + "-journal"),
    )


def _damaged_copies(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{glob.escape(path.name)}{DAMAGED_MARK}*"))


def remove_cache_files(path: Path) -> None:
    """Delete a cache file, its companions and any damaged copy set aside (missing files are fine)."""
    for candidate in (*cache_file_paths(path), *_damaged_copies(path)):
        candidate.unlink(missing_ok=True)


def make_private(path: Path) -> None:
    """Create the cache file readable by the user only, or make an existing one so.

    On Windows the user's profile folder already keeps other users out; modes mean little there.
    """
    if not path.exists():
        flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
        os.close(os.open(path, flags, _PRIVATE))  # SQLite takes an empty file as a new database
    if os.name != "posix":
        return
    for candidate in cache_file_paths(path):
        # (files of an earlier version were readable by everyone)
        with contextlib.suppress(FileNotFoundError):
            if candidate.stat().st_mode & 0o077:
                candidate.chmod(_PRIVATE)


def is_damage(error: sqlite3.Error) -> bool:
    """Tell whether SQLite says the file is damaged or not a database (not merely busy or full)."""
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(error).lower()
    return "malformed" in text or "not a database" in text


def set_aside(path: Path) -> Path:
    """Rename a damaged cache (and its write-ahead log) out of the way; return the new name.

    Its index and journal files are removed: left beside the new file, SQLite would read them
    as the new file's own. Raises OSError when the file cannot be moved (another export has it
    open on Windows).
    """
    for old in _damaged_copies(path):
        old.unlink(missing_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}{DAMAGED_MARK}{stamp}")
    path.replace(aside)
    _, wal, shm, journal = cache_file_paths(path)
    if wal.exists():
        wal.replace(aside.with_name(aside.name + "-wal"))
    for leftover in (shm, journal):
        leftover.unlink(missing_ok=True)
    return aside
