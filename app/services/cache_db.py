"""The cache's SQLite file: schema, saving in small batches, and a JSON codec that keeps decimals.

One file per DEAR company. WAL mode, so a reader (``cache info``) never blocks the
export that is writing; one writer thread at a time. Every method holds a lock, so a
``CacheStore`` may be created on one thread and used on another.

A cache must never stop an export: a file that is not a database, or that SQLite finds
damaged at any moment (on opening or in the middle of an export), is set aside and a new,
empty one takes its place at once (:mod:`app.services.cache_files`), so the export goes on
filling it; a file with an older layout is emptied. Callers treat :class:`CacheUnavailable`
(locked, disk full, unreadable) as "no cache this time".
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from app.models import JsonDict
from app.services.cache_codec import decode_document, encode_document
from app.services.cache_files import is_damage, make_private, set_aside
from app.services.cache_stamps import utc_now_text

log = logging.getLogger(__name__)

_T = TypeVar("_T")

SCHEMA_VERSION = "1"
_IN_CHUNK = 500  # stay well below SQLite's bound-parameter limit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS details (
    source     TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    modified   TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    products   TEXT NOT NULL DEFAULT '',
    body       BLOB NOT NULL,
    PRIMARY KEY (source, record_id)
);
CREATE TABLE IF NOT EXISTS refreshes (
    source       TEXT PRIMARY KEY,
    refreshed_at TEXT NOT NULL,
    records      INTEGER NOT NULL
);
"""


class CacheUnavailable(Exception):  # noqa: N818 - a state, not a failure the user sees
    """The cache file cannot be used right now (disk full, locked, unreadable)."""


@dataclass(frozen=True)
class CachedEntry:
    """What the cache knows about one record, without its document."""

    modified: str
    fetched_at: str
    products: tuple[str, ...] = ()  # lower-case product IDs the document mentions


class CacheStore:
    """One company's cache file.

    ``put`` queues a document; the queue is written in one transaction every
    ``batch_size`` documents or ``batch_seconds``, and by :meth:`flush` and
    :meth:`close`, so a crash loses at most one small batch.
    """

    def __init__(
        self, path: Path, *, batch_size: int = 10, batch_seconds: float = 1.0, busy_seconds: float = 10.0
    ) -> None:
        self.path = path
        self._busy_seconds = busy_seconds  # how long to wait for another export's write
        self._batch_size = max(1, batch_size)
        self._batch_seconds = batch_seconds
        self._lock = threading.RLock()
        self._pending: list[tuple[str, str, str, str, str, bytes]] = []
        self._last_flush = time.monotonic()
        self._meta: dict[str, str] = {}  # what set_meta stored, to store again in a new file
        self._db: sqlite3.Connection | None = self._open()

    # ------------------------------------------------------------------ opening

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            make_private(self.path)
            return self._connect_checked()
        except sqlite3.Error as error:
            if not is_damage(error):
                raise CacheUnavailable(str(error)) from error
            return self._start_again(error)
        except OSError as error:
            raise CacheUnavailable(str(error)) from error

    def _start_again(self, damage: sqlite3.Error) -> sqlite3.Connection:
        """Set the damaged file aside and open a new, empty one in its place."""
        # why: a damaged file is only a cache; warning every export and fetching everything
        # again, forever, would cost far more than starting again now
        try:
            aside = set_aside(self.path)
            make_private(self.path)
            db = self._connect_checked()
            for key, value in self._meta.items():
                db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
        except (sqlite3.Error, OSError) as error:
            raise CacheUnavailable(f"{damage}; it could not be replaced: {error}") from error
        log.warning(
            "The local cache was damaged, so a new one was started: this export fetches what it "
            "needs from DEAR and fills it again. (Kept for support as %s: %s)",
            aside.name,
            damage,
        )
        return db

    def _connect_checked(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            self.path, timeout=self._busy_seconds, isolation_level=None, check_same_thread=False
        )
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            version = self._schema_version(db)
            if version not in (None, SCHEMA_VERSION):
                log.info("The local cache has an older layout (%s); starting it again.", version)
                db.executescript("DROP TABLE IF EXISTS details; DROP TABLE IF EXISTS refreshes;")
                db.execute("DELETE FROM meta")
            db.executescript(_SCHEMA)
            db.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', ?), ('created', ?)",
                (SCHEMA_VERSION, utc_now_text()),
            )
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (SCHEMA_VERSION,))
        except BaseException:
            db.close()
            raise
        return db

    @staticmethod
    def _schema_version(db: sqlite3.Connection) -> str | None:
        row = db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        if row is None:
            return None
        found = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        return None if found is None else str(found[0])

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise CacheUnavailable("The cache is closed.")
        return self._db

    # ------------------------------------------------------------------ metadata

    def get_meta(self, key: str) -> str | None:
        """Return a value from the file's metadata table."""
        with self._lock:
            row = self._run(lambda db: db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone())
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Store a metadata value (a connection name, a base URL)."""
        with self._lock:
            self._meta[key] = value
            self._run(
                lambda db: db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
            )

    # ------------------------------------------------------------------ documents

    def entries(self, source: str, record_ids: Iterable[str]) -> dict[str, CachedEntry]:
        """Return what is stored for these records (lower-case IDs), without their documents."""
        ids = list(dict.fromkeys(record_ids))
        found: dict[str, CachedEntry] = {}
        with self._lock:
            self._flush_locked()
            for start in range(0, len(ids), _IN_CHUNK):
                chunk = ids[start : start + _IN_CHUNK]
                marks = ",".join("?" * len(chunk))
                # only '?' marks are formatted into the statement; the values are bound
                sql = (
                    "SELECT record_id, modified, fetched_at, products FROM details "  # noqa: S608
                    f"WHERE source=? AND record_id IN ({marks})"
                )
                args = (source, *chunk)
                rows = self._run(lambda db: db.execute(sql, args).fetchall())  # noqa: B023 - called at once
                for record_id, modified, fetched_at, products in rows:
                    found[str(record_id)] = CachedEntry(
                        str(modified), str(fetched_at), tuple(str(products).split())
                    )
        return found

    def load(self, source: str, record_id: str) -> JsonDict | None:
        """One stored document, or None if it is missing or unreadable."""
        with self._lock:
            row = self._run(
                lambda db: db.execute(
                    "SELECT body FROM details WHERE source=? AND record_id=?", (source, record_id)
                ).fetchone()
            )
        if row is None:
            return None
        try:
            return decode_document(bytes(row[0]))
        except (ValueError, zlib.error):
            log.warning("A cached document could not be read; it will be fetched again.")
            return None

    def put(
        self,
        source: str,
        record_id: str,
        modified: str,
        document: Mapping[str, Any],
        products: Iterable[str] = (),
    ) -> None:
        """Queue one document for saving (written with the next batch)."""
        body = encode_document(document)
        mentioned = " ".join(sorted(set(products)))
        with self._lock:
            self._pending.append((source, record_id, modified, utc_now_text(), mentioned, body))
            due = time.monotonic() - self._last_flush >= self._batch_seconds
            if len(self._pending) >= self._batch_size or due:
                self._flush_locked()

    def flush(self) -> None:
        """Write every queued document now."""
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        self._last_flush = time.monotonic()
        if not self._pending:
            return
        batch, self._pending = self._pending, []

        def write(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany(
                    "INSERT OR REPLACE INTO details(source, record_id, modified, fetched_at, products, body) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    batch,
                )
            except BaseException:
                with contextlib.suppress(sqlite3.Error):  # the error being raised says what went wrong
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

        self._run(write)

    def mark_refreshed(self, source: str, when: str, records: int) -> None:
        """Remember that every record of ``source`` was checked against DEAR at ``when``."""
        with self._lock:
            self._flush_locked()
            self._run(
                lambda db: db.execute(
                    "INSERT OR REPLACE INTO refreshes(source, refreshed_at, records) VALUES (?, ?, ?)",
                    (source, when, records),
                )
            )

    def refreshed_at(self, source: str) -> str | None:
        """When ``source`` was last checked completely (UTC text), if ever."""
        with self._lock:
            row = self._run(
                lambda db: db.execute(
                    "SELECT refreshed_at FROM refreshes WHERE source=?", (source,)
                ).fetchone()
            )
        return None if row is None else str(row[0])

    def summary(self) -> tuple[int, str | None, str | None]:
        """(documents, newest fetch time, newest complete check), for ``cache info``."""
        with self._lock:
            self._flush_locked()
            count, newest = self._run(
                lambda db: db.execute("SELECT COUNT(*), MAX(fetched_at) FROM details").fetchone()
            )
            (refreshed,) = self._run(
                lambda db: db.execute("SELECT MAX(refreshed_at) FROM refreshes").fetchone()
            )
        return int(count), newest, refreshed

    def iter_sources(self) -> Iterator[tuple[str, int]]:
        """Each source (detail endpoint) and how many documents it holds."""
        with self._lock:
            rows = self._run(
                lambda db: db.execute(
                    "SELECT source, COUNT(*) FROM details GROUP BY source ORDER BY source"
                ).fetchall()
            )
        for source, count in rows:
            yield str(source), int(count)

    # ------------------------------------------------------------------ closing

    def close(self) -> None:
        """Write what is queued and close the file (safe to call twice)."""
        with self._lock:
            if self._db is None:
                return
            try:
                self._flush_locked()
            except CacheUnavailable:
                log.warning("The last few cached records could not be saved.")
            finally:
                db, self._db = self._db, None
                # why: fold the WAL back so the folder holds one file and its size is honest
                with contextlib.suppress(sqlite3.Error):
                    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                db.close()

    def _run(self, action: Callable[[sqlite3.Connection], _T]) -> _T:
        try:
            return action(self._conn())
        except sqlite3.Error as error:
            if not is_damage(error):
                raise CacheUnavailable(str(error)) from error
            damage = error
        # Damaged in the middle (found only when a damaged page is read): start again at once
        # and do the same on the new file (a read finds nothing there, a write is kept).
        old, self._db = self._db, None
        if old is not None:
            with contextlib.suppress(sqlite3.Error):
                old.close()
        self._db = self._start_again(damage)
        try:
            return action(self._db)
        except sqlite3.Error as error:
            raise CacheUnavailable(str(error)) from error

    def __enter__(self) -> CacheStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
