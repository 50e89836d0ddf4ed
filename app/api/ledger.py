"""One API budget per key for every process of the user: a small SQLite ledger of slots.

A window, a scheduled run and a command line can use the same Application Key at once; DEAR
counts all their calls together, so each process must see the others' calls. The ledger lives
in the user's data folder. Each row is one call: the key's fingerprint (a salted hash, never
the key), the owner's process id, when it was sent, whether it is still in flight and when it
was last known to be running or finished. A transaction (``BEGIN IMMEDIATE``) makes "count,
then take" atomic across processes; sqlite3 is in the standard library on Windows and macOS too.

A process that dies mid-call leaves rows in flight. Its call may still have reached DEAR, so
such a row is never dropped: it is closed as finished at the moment its owner is found dead
(or once it has been in flight for longer than any request can take) and keeps its slot for a
full window from then, like any finished call.
"""

from __future__ import annotations

import hmac
import logging
import os
import random
import secrets
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from app.models import RateLimit

log = logging.getLogger(__name__)

Clock = Callable[[], float]
T = TypeVar("T")

FILE_NAME = "api-budget.sqlite3"
STALE_IN_FLIGHT = 300.0
"""Seconds after which a call still marked in flight counts as finished (requests time out well before)."""
KEEP_SECONDS = 3600.0
"""Finished rows older than this are deleted; every window DEAR uses is far shorter."""
_EDGE_MARGIN = 0.02
_TIDY_EVERY = 30.0
_LOCKED_PATIENCE = 10.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS slots (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    pid INTEGER NOT NULL,
    started REAL NOT NULL,
    ended REAL NOT NULL,
    in_flight INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS slots_by_key ON slots (key, in_flight, ended);
CREATE TABLE IF NOT EXISTS pauses (key TEXT PRIMARY KEY, until REAL NOT NULL);
"""


@dataclass(frozen=True)
class Wait:
    """No slot now: try again in ``seconds``; ``paused`` when DEAR asked the key to pause."""

    seconds: float
    paused: bool = False


class SharedLedger:
    """The slots of one key as every process of this user sees them. Not thread-safe: the governor locks."""

    def __init__(self, path: Path, application_key: str, *, clock: Clock = time.time) -> None:
        # Wall-clock time, because monotonic clocks are not comparable between processes everywhere.
        self._clock = clock
        self._path = path
        self._pid = os.getpid()
        self._db = _when_free(lambda: _open(path))
        try:
            self._key = self._fingerprint(application_key)
        except sqlite3.Error:
            self._db.close()
            raise
        self._next_tidy = 0.0

    @classmethod
    def for_user(cls, application_key: str) -> SharedLedger | None:
        """Open the ledger in the user's data folder; None (with a warning) if it cannot be used."""
        from app import paths  # the folder is looked up when first needed, so tests can move it

        try:
            return cls(paths.data_dir() / FILE_NAME, application_key)
        except (OSError, sqlite3.Error) as exc:
            log.warning("The shared API budget file cannot be used (%s); pacing this program alone.", exc)
            return None

    def __repr__(self) -> str:
        return f"SharedLedger(path={str(self._path)!r})"

    @property
    def path(self) -> Path:
        """Where the ledger file is."""
        return self._path

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    # ------------------------------------------------------------------ slots

    def take(self, limit: RateLimit) -> int | Wait:
        """Take a slot (its row id) if fewer than ``limit.calls`` are busy across all processes."""
        with _Transaction(self._db):
            now = self._clock()
            until = self._db.execute("SELECT until FROM pauses WHERE key = ?", (self._key,)).fetchone()
            if until is not None and until[0] > now:
                return Wait(until[0] - now, paused=True)
            in_flight = self._settle(now)
            oldest = self._recent(now, limit.seconds)
            if in_flight + oldest[0] >= limit.calls:
                if oldest[1] is None:  # only calls in flight: nothing frees before a window after they end
                    return Wait(limit.seconds)
                return Wait(max(0.0, oldest[1] + limit.seconds + _EDGE_MARGIN - now))
            cursor = self._db.execute(
                "INSERT INTO slots (key, pid, started, ended, in_flight) VALUES (?, ?, ?, ?, 1)",
                (self._key, self._pid, now, now),
            )
            return int(cursor.lastrowid or 0)

    def finish(self, slot_id: int) -> None:
        """Mark a call answered: its slot stays taken for a full window from now."""
        with _Transaction(self._db):
            self._db.execute(
                "UPDATE slots SET ended = ?, in_flight = 0 WHERE id = ?", (self._clock(), slot_id)
            )

    def pause(self, seconds: float) -> None:
        """Hold every process's requests on this key for ``seconds`` (a later end is never cut short)."""
        with _Transaction(self._db):
            until = self._clock() + max(0.0, seconds)
            self._db.execute(
                "INSERT INTO pauses (key, until) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET until = MAX(until, excluded.until)",
                (self._key, until),
            )

    def free_slots(self, limit: RateLimit) -> int:
        """How many calls could start now across all processes (0 while the key is paused)."""
        with _Transaction(self._db):
            now = self._clock()
            until = self._db.execute("SELECT until FROM pauses WHERE key = ?", (self._key,)).fetchone()
            if until is not None and until[0] > now:
                return 0
            in_flight = self._settle(now)
            recent, _ = self._recent(now, limit.seconds)
            return max(0, limit.calls - in_flight - recent)

    # ------------------------------------------------------------------ inside a transaction

    def _recent(self, now: float, window: float) -> tuple[int, float | None]:
        """Finished calls still inside the window, and when the oldest of them finished."""
        count, oldest = self._db.execute(
            "SELECT COUNT(*), MIN(ended) FROM slots WHERE key = ? AND in_flight = 0 AND ended > ?",
            (self._key, now - window - _EDGE_MARGIN),
        ).fetchone()
        return int(count), oldest

    def _settle(self, now: float) -> int:
        """Close the in-flight rows of dead processes or stale calls; return how many stay in flight."""
        in_flight = 0
        for row_id, pid, started in self._db.execute(
            "SELECT id, pid, started FROM slots WHERE key = ? AND in_flight = 1", (self._key,)
        ).fetchall():
            if now - started > STALE_IN_FLIGHT or (pid != self._pid and not process_alive(pid)):
                # Its call may have reached DEAR just before the end: count it as finishing now.
                self._db.execute("UPDATE slots SET ended = ?, in_flight = 0 WHERE id = ?", (now, row_id))
            else:
                in_flight += 1
        if now >= self._next_tidy:
            self._next_tidy = now + _TIDY_EVERY
            # A clock set back must not leave slots finishing in the future (they would block that long).
            self._db.execute("UPDATE slots SET ended = ? WHERE ended > ?", (now, now + 1.0))
            self._db.execute("DELETE FROM slots WHERE in_flight = 0 AND ended < ?", (now - KEEP_SECONDS,))
            self._db.execute("DELETE FROM pauses WHERE until < ?", (now - KEEP_SECONDS,))
        return in_flight

    def _fingerprint(self, application_key: str) -> str:
        with _Transaction(self._db):
            self._db.execute(
                "INSERT OR IGNORE INTO meta (name, value) VALUES ('salt', ?)", (secrets.token_hex(16),)
            )
            salt = self._db.execute("SELECT value FROM meta WHERE name = 'salt'").fetchone()[0]
        return hmac.new(bytes.fromhex(salt), application_key.encode("utf-8"), "sha256").hexdigest()


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (or ``ROLLBACK``): one writer at a time across processes."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        _when_free(lambda: self._db.execute("BEGIN IMMEDIATE"))

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self._db.execute("ROLLBACK" if exc_type is not None else "COMMIT")


def _when_free(action: Callable[[], T]) -> T:
    """Run ``action``, trying again while another process holds the file in a way SQLite will not wait for.

    SQLite's busy timeout covers ordinary waits, but some (two processes creating the file and
    switching it to WAL at the same moment) answer "database is locked" at once.
    """
    deadline = time.monotonic() + _LOCKED_PATIENCE
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if ("locked" not in text and "busy" not in text) or time.monotonic() >= deadline:
                raise
            time.sleep(random.uniform(0.01, 0.05))


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Readable by this user only; Windows ignores the mode, but the user's data folder is private there.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    db = sqlite3.connect(path, timeout=_LOCKED_PATIENCE, isolation_level=None, check_same_thread=False)
    try:
        # WAL: readers never block, and a commit needs no disk flush, which keeps each call cheap.
        if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
    except sqlite3.Error:
        db.close()
        raise
    return db


def process_alive(pid: int) -> bool:
    """Tell whether a process with this id is running (True when unsure: keeping a slot is the safe side)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists (POSIX)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but belongs to someone else
    return True


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import ctypes

    def _windows_process_alive(pid: int) -> bool:
        # os.kill(pid, 0) would TERMINATE the process on Windows; ask the kernel instead.
        synchronize, query_limited = 0x00100000, 0x1000
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(synchronize | query_limited, False, pid)
        if not handle:
            return bool(kernel32.GetLastError() == 5)  # access denied: it exists
        try:
            return bool(kernel32.WaitForSingleObject(handle, 0) == 0x102)  # WAIT_TIMEOUT: still running
        finally:
            kernel32.CloseHandle(handle)
