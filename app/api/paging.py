"""Walking a paginated DEAR list completely: every record once, and an honest count.

DEAR's list order is not stable, so rows can move between pages while we walk. Records
are de-duplicated by their ID (GUIDs compared case-insensitively) and, when the unique
count ends short of ``Total``, the pages are walked again a bounded number of times.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.api.events import ApiEvent, Rewalking
from app.errors import BadResponseError
from app.models import CancelToken, JsonDict

DEFAULT_PAGE_SIZE = 1000
"""DEAR's documented maximum ``Limit``."""

_NOT_LISTS = frozenset({"total", "page"})


@dataclass(frozen=True)
class ListStats:
    """How complete a list is: ``unique`` records against DEAR's latest ``Total``.

    For the few lists DEAR sends without a ``Total`` the walk ends on a short page and
    ``total`` equals ``unique``.
    """

    total: int
    unique: int
    complete: bool
    missing: int
    pages: int
    rewalks: int


@dataclass(frozen=True)
class _Page:
    records: list[Any]
    total: int | None


class PageSource(Protocol):
    """What the pager needs from the client (kept as a protocol to avoid a cycle)."""

    def get(
        self, path: str, params: Mapping[str, Any] | None = None, *, cancel: CancelToken | None = None
    ) -> Any:
        """One GET, decoded."""
        ...

    def map_ordered(
        self,
        fn: Callable[[int, CancelToken], _Page],
        items: Iterable[int],
        cancel: CancelToken | None,
    ) -> Iterator[tuple[int, _Page]]:
        """Concurrent fan-out within the governor, results in input order."""
        ...


def extract_records(
    body: Any, list_key: str | None, alt_list_keys: Sequence[str] = (), *, path: str = ""
) -> list[Any]:
    """Return the record array of a list answer: the documented key, an alternative, or the first array."""
    if isinstance(body, list):
        return body
    if not isinstance(body, dict):
        raise _shape_error(path, body)
    wanted = [k for k in (list_key, *alt_list_keys) if k]
    for key in wanted:
        if isinstance(body.get(key), list):
            return list(body[key])
    lowered = {str(k).lower(): v for k, v in body.items()}
    for key in wanted:
        if isinstance(lowered.get(key.lower()), list):
            return list(lowered[key.lower()])
    for key, value in body.items():
        if str(key).lower() not in _NOT_LISTS and isinstance(value, list):
            return list(value)
    # An empty list sometimes comes back as null, or with no array at all next to Total.
    if any(k.lower() in lowered for k in wanted) or "total" in lowered:
        return []
    raise _shape_error(path, body)


def read_total(body: Any) -> int | None:
    """DEAR's ``Total`` (records matching the filters across all pages), if it sent one."""
    if not isinstance(body, dict):
        return None
    for key, value in body.items():
        if str(key).lower() == "total":
            try:
                return int(value)
            except (TypeError, ValueError):
                return None
    return None


def _shape_error(path: str, body: Any) -> BadResponseError:
    return BadResponseError(
        f"DEAR's answer for {path or 'this list'} did not contain a list of records.",
        details=f"Unexpected answer shape: {type(body).__name__} with keys "
        f"{sorted(map(str, body))[:10] if isinstance(body, dict) else '-'}",
        endpoint=path,
    )


def record_key(record: Any, id_field: str | Sequence[str] | None) -> str:
    """Return the de-duplication key: the ID (lower-cased, as GUIDs vary in case) or the whole record."""
    fields: Sequence[str] = () if id_field is None else (id_field,) if isinstance(id_field, str) else id_field
    if fields and isinstance(record, dict):
        values = [record.get(name) for name in fields]
        if all(v is not None and v != "" for v in values):
            return "\x1f".join(str(v).lower() for v in values)
    # No usable ID: only a byte-identical record counts as the same one.
    return "\x1e" + json.dumps(record, sort_keys=True, default=str)


class ListPager:
    """Iterate for batches of NEW unique records; read :attr:`stats` at the end.

    Page 1 is fetched alone (it tells us ``Total``); the remaining pages are requested
    concurrently through the client, so slow pages do not waste the limit budget.
    """

    def __init__(
        self,
        source: PageSource,
        path: str,
        list_key: str | None,
        *,
        params: Mapping[str, Any] | None = None,
        id_field: str | Sequence[str] | None = "ID",
        page_size: int | None = DEFAULT_PAGE_SIZE,
        alt_list_keys: Sequence[str] = (),
        cancel: CancelToken | None = None,
        max_rewalks: int = 3,
        on_event: Callable[[ApiEvent], None] | None = None,
    ) -> None:
        if page_size is not None and page_size < 1:
            raise ValueError("page_size must be at least 1 (or None for an unpaginated list)")
        self._source = source
        self._path = path
        self._list_key = list_key
        self._alt_list_keys = tuple(alt_list_keys)
        # Page and Limit are ours to set; drop any the caller passed, whatever their case.
        self._params = {k: v for k, v in (params or {}).items() if str(k).lower() not in ("page", "limit")}
        self._id_field = id_field
        self._page_size = page_size
        self._cancel = cancel
        self._max_rewalks = max(0, max_rewalks)
        self._on_event = on_event
        self._seen: set[str] = set()
        self._total: int | None = None
        self._pages = 0
        self._rewalks = 0
        self._started = False
        self._finished = False

    def __repr__(self) -> str:
        return f"ListPager(path={self._path!r}, pages={self._pages}, unique={len(self._seen)})"

    @property
    def finished(self) -> bool:
        """True once the iteration ran to its end."""
        return self._finished

    @property
    def stats(self) -> ListStats:
        """Completeness so far (final once :attr:`finished`)."""
        unique = len(self._seen)
        total = unique if self._total is None else self._total
        return ListStats(
            total=total,
            unique=unique,
            complete=unique >= total,
            missing=max(0, total - unique),
            pages=self._pages,
            rewalks=self._rewalks,
        )

    def __iter__(self) -> Iterator[list[JsonDict]]:
        if self._started:
            raise RuntimeError("A ListPager can be iterated only once.")
        self._started = True
        yield from self._walk()
        while self._short_of_total() and self._rewalks < self._max_rewalks:
            self._rewalks += 1
            if self._on_event is not None:
                total = self._total or 0
                self._on_event(Rewalking(self._path, len(self._seen), total, self._rewalks))
            yield from self._walk()
        self._finished = True

    def _short_of_total(self) -> bool:
        return self._total is not None and len(self._seen) < self._total

    # ------------------------------------------------------------------ one walk over the pages

    def _walk(self) -> Iterator[list[JsonDict]]:
        first = self._take(self._fetch(1, self._cancel))
        yield from self._new(first.records)
        limit = self._page_size
        if limit is None or len(first.records) < limit:
            return
        if first.total is None:
            # Without Total we cannot plan ahead: one page at a time until a short page.
            page = 1
            while True:
                page += 1
                result = self._take(self._fetch(page, self._cancel))
                yield from self._new(result.records)
                if len(result.records) < limit:
                    return
        last = max(1, math.ceil(first.total / limit))
        last_full = True
        if last > 1:
            for _, result in self._source.map_ordered(self._fetch, range(2, last + 1), self._cancel):
                self._take(result)
                last_full = len(result.records) >= limit
                yield from self._new(result.records)
        # Rows added while we walked push Total up: keep going while the last page was full.
        page = last
        while last_full and self._total is not None and page * limit < self._total:
            page += 1
            result = self._take(self._fetch(page, self._cancel))
            last_full = len(result.records) >= limit
            yield from self._new(result.records)

    def _fetch(self, page: int, cancel: CancelToken | None) -> _Page:
        params: dict[str, Any] = dict(self._params)
        if self._page_size is not None:
            params["Page"] = page
            params["Limit"] = self._page_size
        body = self._source.get(self._path, params, cancel=cancel)
        return _Page(
            extract_records(body, self._list_key, self._alt_list_keys, path=self._path), read_total(body)
        )

    def _take(self, page: _Page) -> _Page:
        self._pages += 1
        if page.total is not None:
            self._total = page.total
        return page

    def _new(self, records: list[Any]) -> Iterator[list[JsonDict]]:
        fresh: list[JsonDict] = []
        for record in records:
            key = record_key(record, self._id_field)
            if key not in self._seen:
                self._seen.add(key)
                fresh.append(record)
        if fresh:
            yield fresh
