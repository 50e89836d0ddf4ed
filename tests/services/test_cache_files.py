"""The cache file holds company data: it and SQLite's companion files are readable by the user only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.services.cache_db import CacheStore
from app.services.cache_files import cache_file_paths
from tests.file_modes import POSIX_ONLY, mode, usual_umask  # noqa: F401 - usual_umask is autouse

pytestmark = POSIX_ONLY


def _fill(store: CacheStore) -> None:
    for n in range(30):
        store.put(
            "sale?id|Updated", f"id-{n}", "2026-01-01T00:00:00.0000000Z", {"Customer": "Acme Ltd", "N": n}
        )
    store.flush()


def test_a_new_cache_and_its_companion_files_are_for_the_user_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "cache" / "abc.sqlite3"
    store = CacheStore(path)
    _fill(store)
    present = [p for p in cache_file_paths(path) if p.exists()]
    assert len(present) == 3  # the database, its write-ahead log and its index, while open
    assert {p.name: mode(p) for p in present} == {p.name: 0o600 for p in present}
    assert mode(path.parent) & 0o077 == 0
    store.close()
    assert mode(path) == 0o600


def test_an_old_cache_readable_by_others_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "abc.sqlite3"
    CacheStore(path).close()
    path.chmod(0o644)
    store = CacheStore(path)
    _fill(store)
    assert all(mode(p) == 0o600 for p in cache_file_paths(path) if p.exists())
    store.close()


def test_a_rollback_journal_is_private_too(tmp_path: Path) -> None:
    # Where WAL cannot be used (some network drives) SQLite writes a -journal file instead;
    # it takes the database file's permissions.
    path = tmp_path / "abc.sqlite3"
    store = CacheStore(path)
    _fill(store)
    store.close()
    db = sqlite3.connect(path, isolation_level=None)
    try:
        assert db.execute("PRAGMA journal_mode=DELETE").fetchone() == ("delete",)
        db.execute("BEGIN IMMEDIATE")
        db.execute("DELETE FROM details")
        journal = path.with_name(path.name + "-journal")
        assert mode(journal) == 0o600
        db.execute("ROLLBACK")
    finally:
        db.close()
