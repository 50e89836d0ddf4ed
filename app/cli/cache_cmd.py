"""Command line: ``cache info`` and ``cache clear [--connection NAME]`` for the local cache.

::

    dear-export cache info [--json]
    dear-export cache clear [--connection NAME]

Exit status 0 when done (also when there was nothing to clear), 2 when ``--connection``
names neither a saved connection nor a cache, 1 when a cache file cannot be deleted.
"""

from __future__ import annotations

import argparse
import json
import logging
from typing import TYPE_CHECKING, Any

from app import paths
from app.errors import EXIT_OK, ConfigurationError

if TYPE_CHECKING:
    from app.services.cache import CacheInfo, ConnectionLister

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``cache`` command and its ``info`` and ``clear`` sub-commands."""
    parser = subparsers.add_parser(
        "cache",
        help="show or clear the local cache that makes repeat exports fast",
        description="The local cache keeps the records an export fetched, so the next export "
        "asks DEAR only for what changed. Clearing it is always safe: the next export fetches "
        "everything again.",
    )
    actions = parser.add_subparsers(dest="cache_action", metavar="ACTION")
    actions.required = True

    info = actions.add_parser("info", help="size and age of each connection's cache")
    info.add_argument("--json", action="store_true", help="print JSON instead of a table")
    info.set_defaults(handler=_info)

    clear = actions.add_parser("clear", help="delete the cache (every connection's, or one)")
    clear.add_argument("--connection", metavar="NAME", help="clear only this connection's cache")
    clear.set_defaults(handler=_clear)


def _connections() -> ConnectionLister | None:
    try:
        from app.services.connections import ConnectionStore  # lazy: reads the settings file

        return ConnectionStore()
    except Exception:  # names are a nicety here; a broken settings file must not stop a clear
        log.debug("Saved connections could not be read", exc_info=True)
        return None


def _info(args: argparse.Namespace) -> int:
    # Imported here so that building the parser (and --version) does not load the API client.
    from app.services.cache import CacheService

    service = CacheService(paths.data_dir(), connections=_connections())
    caches = service.info()
    if args.json:
        print(json.dumps([_as_json(item) for item in caches], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not caches:
        print("There is no local cache yet. It fills up the first time you export a line report.")
        print(f"Folder: {service.folder}")
        return EXIT_OK
    rows = [("Connection", "Records", "Size", "Last updated")]
    rows += [
        (item.connection or "(unknown)", f"{item.records:,}", item.size_text, item.age_text())
        for item in caches
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    print(f"Folder: {service.folder}")
    return EXIT_OK


def _clear(args: argparse.Namespace) -> int:
    # Imported here so that building the parser (and --version) does not load the API client.
    from app.services.cache import CacheService

    connections = _connections()
    service = CacheService(paths.data_dir(), connections=connections)
    name: str | None = args.connection
    if name is None:
        removed = service.clear(None)
        print(
            f"Cleared {removed} local cache{'' if removed == 1 else 's'}. The next export fetches everything."
            if removed
            else "There was no local cache to clear."
        )
        return EXIT_OK
    removed = service.clear(name)
    if removed:
        print(f"Cleared the local cache of '{name}'. Its next export fetches everything.")
        return EXIT_OK
    known = connections is not None and any(
        item.name.casefold() == name.strip().casefold() for item in connections.list()
    )
    if not known:
        raise ConfigurationError(
            f"There is no connection or local cache named '{name}'.",
            hint="Run 'dear-export cache info' to see the caches, or check the spelling.",
        )
    print(f"There was no local cache for '{name}'.")
    return EXIT_OK


def _as_json(item: CacheInfo) -> dict[str, Any]:
    def when(moment: Any) -> str | None:
        return None if moment is None else moment.isoformat()

    return {
        "connection": item.connection,
        "base_url": item.base_url,
        "file": str(item.path),
        "size_bytes": item.size_bytes,
        "records": item.records,
        "created": when(item.created),
        "last_saved": when(item.last_saved),
        "last_refreshed": when(item.last_refreshed),
    }
