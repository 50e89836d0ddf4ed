"""Reading a cache file's figures without changing it, for ``cache info`` and finding caches by name."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.services.cache_db import SCHEMA_VERSION

__all__ = ["CachePeek", "names_from", "peek"]


@dataclass(frozen=True)
class CachePeek:
    """What a cache file holds, read without changing it (for ``cache info``)."""

    records: int
    last_saved: str | None
    last_refreshed: str | None
    meta: dict[str, str]


def peek(path: Path) -> CachePeek | None:
    """Read a cache file's figures read-only; None if it is not a cache this app can read.

    Read-only, so listing caches never repairs, migrates or locks a file an export is writing.
    """
    try:
        db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5.0)
    except (sqlite3.Error, OSError, ValueError):
        return None
    try:
        meta = {str(k): str(v) for k, v in db.execute("SELECT key, value FROM meta").fetchall()}
        if meta.get("schema") != SCHEMA_VERSION:
            return None
        count, newest = db.execute("SELECT COUNT(*), MAX(fetched_at) FROM details").fetchone()
        (refreshed,) = db.execute("SELECT MAX(refreshed_at) FROM refreshes").fetchone()
        return CachePeek(int(count), newest, refreshed, meta)
    except sqlite3.Error:
        return None
    finally:
        db.close()


def names_from(text: str | None) -> list[str]:
    """Return the connection names saved in a cache file's ``names`` metadata (newest first)."""
    if not text:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return [str(n) for n in value] if isinstance(value, list) else []
