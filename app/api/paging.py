"""Walking a paginated DEAR list completely: every record once, and an honest count.

DEAR's list order is not stable, so rows can move between pages while we walk: a row that
moves from a page not yet read to one already read is missed. Records are de-duplicated by
their ID (GUIDs compared case-insensitively) and, when the unique count ends short of
``Total``, the missing part is recovered in passes that differ from the first walk:

1. with the list's "changed since" filter (when the caller names it), the rows changed since
   shortly before the walk began: the rows most likely to have moved, usually one page,
   and one answer is one consistent view;
2. walks that alternate a page size whose boundaries fall between the first walk's (a row
   that keeps sliding across one boundary is read from the middle of a page) with the first
   walk's own size, each stopping as soon as the count is complete.

Passes go on up to ``max_rewalks`` walks (the slice comes on top), unless a whole walk sees
exactly the rows, in exactly the order, of the first: then the list is not moving, and DEAR's
Total is simply more than it lists.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from app.api.events import ApiEvent, Rewalking
from app.errors import BadResponseError
from app.models import CancelToken, JsonDict

DEFAULT_PAGE_SIZE = 1000
"""DEAR's documented maximum ``Limit``."""

_NOT_LISTS = frozenset({"total", "page"})
# How far before the walk the "changed since" pass reaches back: covers a computer clock that is
# a few minutes off DEAR's (rows changed a little earlier only come back as duplicates).
CHANGED_MARGIN = timedelta(minutes=15)


@dataclass(frozen=True)
class ListStats:
    """How complete a list is: ``unique`` records against DEAR's latest ``Total``.

    For the few lists DEAR sends without a ``Total`` the walk ends on a short page and
    ``total`` equals ``unique``. ``pages`` counts list answers read (all passes), ``rewalks``
    the recovery passes made after the first walk.
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
    ``changed_since`` names the list's "changed since" filter (``ModifiedSince``,
    ``UpdatedSince``; the catalogue's ``since_filter``) for the first recovery pass.
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
        max_rewalks: int = 5,
        on_event: Callable[[ApiEvent], None] | None = None,
        changed_since: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
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
        taken = {str(k).lower() for k in self._params}
        # A caller's own value of that filter already bounds the list; ours could only widen it.
        self._changed_since = changed_since if changed_since and changed_since.lower() not in taken else None
        self._clock = clock
        self._seen: set[str] = set()
        self._total: int | None = None
        self._pages = 0
        self._rewalks = 0
        self._started = False
        self._finished = False
        self._view: bytes | None = None  # the last whole walk's rows, in order, as a digest

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
        began = self._clock()
        yield from self._walk(self._params, self._page_size, stop_when_complete=False)
        first_view = self._view
        passes = self._recovery_passes(began)
        # The "changed since" slice is one cheap answer: it does not use up one of the walks.
        allowed = self._max_rewalks + (1 if self._changed_since is not None and self._max_rewalks else 0)
        while self._short_of_total() and self._rewalks < allowed:
            self._rewalks += 1
            if self._on_event is not None:
                self._on_event(Rewalking(self._path, len(self._seen), self._total or 0, self._rewalks))
            params, size = next(passes)
            yield from self._walk(params, size, stop_when_complete=True)
            if self._view is not None and self._view == first_view:
                break  # nothing moved: walking again would show the same rows again
        self._finished = True

    def _recovery_passes(self, began: datetime) -> Iterator[tuple[dict[str, Any], int | None]]:
        """Yield the (filters, page size) of each recovery pass, in order."""
        if self._changed_since is not None:
            since = (began - CHANGED_MARGIN).astimezone(UTC)
            # DEAR wants UTC without a "Z" (a Z has made saleList's UpdatedSince fail).
            yield {**self._params, self._changed_since: since.strftime("%Y-%m-%dT%H:%M:%S")}, self._page_size
        while True:
            # Boundaries between the first walk's, then the first walk's again: a row stuck at a
            # boundary is found by the one, a row that merely moved at random by either, and a
            # walk of the first page size costs one page less.
            yield self._params, self._shifted_size(1)
            yield self._params, self._page_size

    def _shifted_size(self, shift: int) -> int | None:
        """Return a page size whose boundaries fall between the first walk's (``shift`` more pages)."""
        size, total = self._page_size, self._total
        if size is None or total is None or total <= size:
            return size  # a single page is one consistent answer already
        return max(1, math.ceil(total / (math.ceil(total / size) + shift)))

    def _short_of_total(self) -> bool:
        return self._total is not None and len(self._seen) < self._total

    # ------------------------------------------------------------------ one walk over the pages

    def _walk(
        self, params: Mapping[str, Any], limit: int | None, *, stop_when_complete: bool
    ) -> Iterator[list[JsonDict]]:
        """One pass over the pages of ``params`` (the whole list, or a slice of it)."""
        whole = params is self._params  # the recovery passes hand the very same dict for the whole list
        self._view = None
        view = hashlib.blake2b(digest_size=16)  # the rows of this walk in order, whatever the page size

        def fetch(page: int, cancel: CancelToken | None) -> _Page:
            return self._fetch(params, limit, page, cancel)

        first = self._take(fetch(1, self._cancel), whole)
        yield from self._new(first.records, view)
        if limit is None or len(first.records) < limit:
            self._view = view.digest() if whole else None
            return
        if first.total is None:
            # Without Total we cannot plan ahead: one page at a time until a short page.
            page = 1
            while True:
                page += 1
                result = self._take(fetch(page, self._cancel), whole)
                yield from self._new(result.records, view)
                if len(result.records) < limit:
                    self._view = view.digest() if whole else None
                    return
        last = max(1, math.ceil(first.total / limit))
        last_full = True
        if last > 1:
            for _, result in self._source.map_ordered(fetch, range(2, last + 1), self._cancel):
                self._take(result, whole)
                last_full = len(result.records) >= limit
                yield from self._new(result.records, view)
                if stop_when_complete and not self._short_of_total():
                    return  # the missing records have all turned up: the rest would be repeats
        # Rows added while we walked push Total up: keep going while the last page was full.
        page = last
        while last_full and page * limit < ((self._total if whole else first.total) or 0):
            page += 1
            result = self._take(fetch(page, self._cancel), whole)
            last_full = len(result.records) >= limit
            yield from self._new(result.records, view)
        self._view = view.digest() if whole else None

    def _fetch(
        self, params: Mapping[str, Any], limit: int | None, page: int, cancel: CancelToken | None
    ) -> _Page:
        query: dict[str, Any] = dict(params)
        if limit is not None:
            query["Page"] = page
            query["Limit"] = limit
        body = self._source.get(self._path, query, cancel=cancel)
        return _Page(
            extract_records(body, self._list_key, self._alt_list_keys, path=self._path), read_total(body)
        )

    def _take(self, page: _Page, whole: bool) -> _Page:
        self._pages += 1
        if page.total is not None and whole:  # a slice's Total is not the list's
            self._total = page.total
        return page

    def _new(self, records: list[Any], view: hashlib.blake2b) -> Iterator[list[JsonDict]]:
        fresh: list[JsonDict] = []
        for record in records:
            key = record_key(record, self._id_field)
            view.update(key.encode("utf-8", "surrogatepass") + b"\x1d")
            if key not in self._seen:
                self._seen.add(key)
                fresh.append(record)
        if fresh:
            yield fresh
