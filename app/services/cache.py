"""The local cache of DEAR records: one SQLite file per DEAR company, and managing them.

* :class:`RecordCache` (in :mod:`app.services.cache_records`, re-exported here) is what an
  export uses: saved detail documents, served only while DEAR's list says they are unchanged.
  Its module docstring explains why the rows are always those a fresh export would write.
* :class:`CacheService` opens the cache of a connection's company, lists the caches
  (``cache info``), clears them (``cache clear``, the window's action) and removes a
  connection's cache with the connection (:meth:`CacheService.attach`).

Files live in ``<data folder>/cache``, named by a hash of the Account ID and the base URL
(never the key). No Qt.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from app.errors import AppError, CredentialError
from app.models import Connection
from app.services.cache_files import cache_file_paths, remove_cache_files
from app.services.cache_peek import names_from, peek
from app.services.cache_records import CacheRunStats, RecordCache, detail_source, stamp_field
from app.services.cache_stamps import parse_stamp

__all__ = [
    "CacheInfo",
    "CacheRunStats",
    "CacheService",
    "RecordCache",
    "cache_key",
    "detail_source",
    "format_age",
    "format_size",
    "stamp_field",
]

log = logging.getLogger(__name__)

CACHE_FOLDER = "cache"
CACHE_SUFFIX = ".sqlite3"


class ConnectionLike(Protocol):
    """What names a cache file: a ``Connection`` or a ``ConnectionInfo``."""

    @property
    def name(self) -> str:
        """The connection's display name."""
        ...

    @property
    def account_id(self) -> str:
        """DEAR's Account ID (not secret)."""
        ...

    @property
    def base_url(self) -> str:
        """The API's base URL."""
        ...


class ConnectionLister(Protocol):
    """Anything that lists saved connections without touching the keyring (``ConnectionStore``)."""

    def list(self) -> Sequence[ConnectionLike]:
        """Every saved connection."""
        ...


def cache_key(account_id: str, base_url: str) -> str:
    """Return the file stem for one DEAR company: a hash of Account ID and base URL, no secret."""
    normal_url = base_url.strip().rstrip("/").lower()
    text = f"{account_id.strip().lower()}\n{normal_url}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# ---------------------------------------------------------------------------- managing caches


@dataclass(frozen=True)
class CacheInfo:
    """One company's cache, for ``cache info`` and the window's cache dialog."""

    connection: str  # the connection name last used with it ("" if unknown)
    base_url: str
    path: Path
    size_bytes: int
    records: int
    created: datetime | None
    last_saved: datetime | None
    last_refreshed: datetime | None

    @property
    def size_text(self) -> str:
        """The size in words a person reads (``12.4 MB``)."""
        return format_size(self.size_bytes)

    def age_text(self, now: datetime | None = None) -> str:
        """How long ago the cache last received a record (``3 hours ago``, ``never``)."""
        newest = max((m for m in (self.last_saved, self.last_refreshed) if m is not None), default=None)
        return format_age(newest, now)


class CacheService:
    """Open, list and clear the local caches (one file per DEAR company).

    ``data_dir`` is the app's data folder (``app.paths.data_dir()`` for the user's own; a
    temporary folder in tests): the caches live in its ``cache`` folder. ``connections`` (a
    ``ConnectionStore``) lets ``info`` and ``clear`` use today's connection names; without
    it the names saved in each cache file are used.
    """

    def __init__(self, data_dir: Path, *, connections: ConnectionLister | None = None) -> None:
        self._data_dir = Path(data_dir)
        self._connections = connections

    @property
    def folder(self) -> Path:
        """The folder that holds the cache files."""
        return self._data_dir / CACHE_FOLDER

    def path_for(self, connection: ConnectionLike) -> Path:
        """Return the cache file of a connection's DEAR company."""
        return self.folder / f"{cache_key(connection.account_id, connection.base_url)}{CACHE_SUFFIX}"

    def open(self, connection: Connection) -> RecordCache:
        """Open the cache for an export with ``connection`` (close it when the export ends)."""
        return RecordCache(
            self.path_for(connection), connection_name=connection.name, base_url=connection.base_url
        )

    def info(self) -> list[CacheInfo]:
        """Every cache file with its size, record count and age, by connection name."""
        names = self._names_by_key()
        found: list[CacheInfo] = []
        if not self.folder.is_dir():
            return found
        for path in sorted(self.folder.glob(f"*{CACHE_SUFFIX}")):
            # the -shm index file is SQLite's scratch space, not stored records
            size = sum(p.stat().st_size for p in cache_file_paths(path)[:2] if p.exists())
            seen = peek(path)
            if seen is None:
                log.warning("Could not read the cache file %s; clearing the cache removes it.", path.name)
            meta = seen.meta if seen is not None else {}
            saved_names = names_from(meta.get("names"))
            current = names.get(path.stem, [])
            label = ", ".join(current) if current else (saved_names[0] if saved_names else "")
            found.append(
                CacheInfo(
                    connection=label,
                    base_url=meta.get("base_url", ""),
                    path=path,
                    size_bytes=size,
                    records=seen.records if seen is not None else 0,
                    created=parse_stamp(meta.get("created")),
                    last_saved=parse_stamp(seen.last_saved) if seen is not None else None,
                    last_refreshed=parse_stamp(seen.last_refreshed) if seen is not None else None,
                )
            )
        return sorted(found, key=lambda item: (item.connection.casefold(), item.path.name))

    def clear(self, connection: ConnectionLike | str | None = None) -> int:
        """Delete one connection's cache (by ``Connection``, ``ConnectionInfo`` or name), or all.

        Returns how many cache files were removed (0 when there was nothing to remove).
        Raises AppError when a file cannot be deleted (on Windows: an export has it open).
        """
        if connection is None:
            targets = sorted(self.folder.glob(f"*{CACHE_SUFFIX}")) if self.folder.is_dir() else []
        elif isinstance(connection, str):
            targets = self._paths_named(connection)
        else:
            targets = [self.path_for(connection)]
        removed = 0
        for path in targets:
            existed = path.exists()
            try:
                remove_cache_files(path)
            except PermissionError as error:
                raise AppError(
                    "The local cache is in use by an export that is still running.",
                    hint="Wait for the export to finish (or cancel it) and clear the cache again.",
                    details=str(error),
                ) from error
            except OSError as error:
                raise AppError(
                    "The local cache could not be deleted.",
                    hint="Check that you can change files in the app's data folder.",
                    details=str(error),
                ) from error
            removed += int(existed)
        if removed:
            log.info("Cleared %d local cache file(s).", removed)
        return removed

    def connection_removed(self, connection: ConnectionLike) -> None:
        """Delete a removed connection's cache (the hook for ``ConnectionStore.on_removed``).

        A cache still used by another saved connection to the same DEAR company is kept.
        """
        key = cache_key(connection.account_id, connection.base_url)
        others = [n for n in self._names_by_key().get(key, []) if n != connection.name]
        if others:
            log.info("Kept the local cache: '%s' uses the same DEAR company.", others[0])
            return
        self.clear(connection)

    def attach(self, store: Any) -> None:
        """Register :meth:`connection_removed` on a ``ConnectionStore`` (idempotent)."""
        hooks = store.on_removed
        if self.connection_removed not in hooks:
            hooks.append(self.connection_removed)

    # ------------------------------------------------------------------ names

    def _saved_connections(self) -> list[ConnectionLike]:
        if self._connections is None:
            return []
        try:
            return list(self._connections.list())
        except (CredentialError, OSError, ValueError) as error:
            log.warning("Could not read the saved connections: %s", error)
            return []

    def _names_by_key(self) -> dict[str, list[str]]:
        names: dict[str, list[str]] = {}
        for item in self._saved_connections():
            names.setdefault(cache_key(item.account_id, item.base_url), []).append(item.name)
        return names

    def _paths_named(self, name: str) -> list[Path]:
        wanted = name.strip().casefold()
        paths_found: list[Path] = [
            self.folder / f"{cache_key(item.account_id, item.base_url)}{CACHE_SUFFIX}"
            for item in self._saved_connections()
            if item.name.casefold() == wanted
        ]
        if self.folder.is_dir():
            for path in sorted(self.folder.glob(f"*{CACHE_SUFFIX}")):
                if path in paths_found:
                    continue
                seen = peek(path)
                saved = names_from(seen.meta.get("names")) if seen is not None else []
                if any(n.casefold() == wanted for n in saved):
                    paths_found.append(path)
        return paths_found


def format_size(size: int) -> str:
    """Bytes as a person reads them."""
    amount = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if amount < 1024 or unit == "GB":
            return f"{int(amount)} bytes" if unit == "bytes" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{amount:.1f} GB"


def format_age(moment: datetime | None, now: datetime | None = None) -> str:
    """``just now``, ``5 minutes ago``, ``3 days ago`` or ``never``."""
    if moment is None:
        return "never"
    seconds = max(0.0, ((now or datetime.now(UTC)) - moment).total_seconds())
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"
