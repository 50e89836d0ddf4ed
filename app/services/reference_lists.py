"""DEAR's reference lists (locations, customers, accounts...) read once per connection, for picking by name.

Filters that take an ID or a code are offered as names (:mod:`app.catalogue.name_lists`); this
service reads the list behind them from DEAR, keeps the few fields needed, and remembers it in
memory per connection, so a second report (or a second look at the same report) costs nothing.
Nothing here touches Qt: the window runs :meth:`ReferenceLists.fetch` on a worker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from app import catalogue
from app.catalogue.name_lists import NameList, name_list
from app.models import CancelToken, Connection
from app.services.closing import closing_client
from app.services.exporting.wording import errors_in_words, group_area

PAGE = 1000  # DEAR's largest page (docs/dear-api.md §2)
MAX_PAGES = 20  # a list longer than 20,000 records is shown in part: typing a name still works
KEEP_SECONDS = 30 * 60.0  # a list is read again after this long (a location added in DEAR shows up)


@dataclass(frozen=True)
class NameChoice:
    """One record of a name list: what the user sees, and the fields a filter may send."""

    label: str
    fields: Mapping[str, str]

    def value(self, field: str) -> str:
        """Return the field a filter sends ("" when the record has none)."""
        return self.fields.get(field, "")


@dataclass(frozen=True)
class NameListResult:
    """A name list as read from DEAR: the choices in name order, and whether it is complete."""

    key: str
    choices: tuple[NameChoice, ...]
    complete: bool = True


class ListClient(Protocol):
    """The part of :class:`app.api.DearClient` reading a list needs."""

    def get(
        self, path: str, params: Mapping[str, Any] | None = None, *, cancel: CancelToken | None = None
    ) -> Any:
        """GET one DEAR endpoint and return the decoded JSON."""
        ...


class ClientFactory(Protocol):
    """Makes the client for a connection (``DearClient`` fits)."""

    def __call__(self, connection: Connection) -> ListClient:
        """Return a client for ``connection``."""
        ...


def connection_key(connection: Connection) -> tuple[str, str, str]:
    """Return what identifies a company's data: lists are kept apart per connection (key excluded)."""
    return (connection.name.casefold(), connection.account_id.strip().lower(), connection.base_url)


def label_of(item: NameList, row: Mapping[str, Any]) -> str:
    """Return how a record is shown: its name, with its code first for accounts ("200 · Sales")."""
    name = str(row.get(item.name_field) or "").strip()
    code = str(row.get(item.code_field) or "").strip() if item.code_field else ""
    return f"{code} · {name}" if code and name else code or name


def choices_from(item: NameList, rows: list[Mapping[str, Any]]) -> tuple[NameChoice, ...]:
    """Return the choices of a list's rows: named records only, each once, in name order."""
    seen: set[str] = set()
    choices: list[NameChoice] = []
    for row in rows:
        label = label_of(item, row)
        if not label or label.casefold() in seen:
            continue
        seen.add(label.casefold())
        fields = {name: str(row.get(name) or "") for name in item.fields}
        choices.append(NameChoice(label, fields))
    return tuple(sorted(choices, key=lambda choice: choice.label.casefold()))


class ReferenceLists:
    """Reads DEAR's reference lists and keeps them in memory per connection for a while (thread-safe)."""

    def __init__(
        self,
        client_factory: ClientFactory | None = None,
        *,
        keep_seconds: float = KEEP_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client_factory = client_factory
        self._keep_seconds = keep_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._kept: dict[tuple[tuple[str, str, str], str], tuple[float, NameListResult]] = {}

    def __repr__(self) -> str:
        return f"ReferenceLists(kept={len(self._kept)})"

    def cached(self, connection: Connection, key: str) -> NameListResult | None:
        """Return a list read for this connection less than ``keep_seconds`` ago (None: read it)."""
        with self._lock:
            kept = self._kept.get((connection_key(connection), key))
        if kept is None or self._clock() - kept[0] > self._keep_seconds:
            return None
        return kept[1]

    def forget(self, connection: Connection | None = None) -> None:
        """Drop the lists kept for one connection (all of them for None), so they are read again."""
        with self._lock:
            if connection is None:
                self._kept.clear()
                return
            company = connection_key(connection)
            for kept in [k for k in self._kept if k[0] == company]:
                del self._kept[kept]

    def fetch(self, connection: Connection, key: str, cancel: CancelToken | None = None) -> NameListResult:
        """Return the name list ``key`` for ``connection``: kept, or read from DEAR (a few requests).

        Raises ApiError (worded for the list, never by endpoint) and Cancelled.
        """
        kept = self.cached(connection, key)
        if kept is not None:
            return kept
        item = name_list(key)
        spec = catalogue.get(item.report)
        rows: list[Mapping[str, Any]] = []
        complete = True
        words = errors_in_words(f"the list of {item.noun}s", group_area(spec.group))
        with closing_client(self._client(connection)) as client, words:
            page = 1
            while True:
                params: dict[str, Any] = dict(spec.fixed_params)
                if spec.paginated:
                    params.update(Page=page, Limit=PAGE)
                document = client.get(spec.path, params, cancel=cancel)
                batch = _rows_of(document, spec.list_key)
                rows.extend(batch)
                total = document.get("Total") if isinstance(document, Mapping) else None
                if not spec.paginated or len(batch) < PAGE or (isinstance(total, int) and len(rows) >= total):
                    break
                if page >= MAX_PAGES:
                    complete = False
                    break
                page += 1
        result = NameListResult(key, choices_from(item, rows), complete)
        with self._lock:
            self._kept[(connection_key(connection), key)] = (self._clock(), result)
        return result

    def _client(self, connection: Connection) -> ListClient:
        if self._client_factory is not None:
            return self._client_factory(connection)
        # Imported here: requests is only needed once a list is read, not while the window starts.
        from app.api import DearClient

        return DearClient(connection)


def _rows_of(document: Any, list_key: str | None) -> list[Mapping[str, Any]]:
    rows = document.get(list_key) if isinstance(document, Mapping) and list_key else document
    return [row for row in rows if isinstance(row, Mapping)] if isinstance(rows, list) else []
