"""Saved detail documents: repeat exports fetch only what changed, and a stopped export resumes.

How it stays correct (the rule the whole module follows)
--------------------------------------------------------
A line report first reads DEAR's summary list with the user's own filters, exactly as an
export without a cache does (list pages are cheap: one request per 1,000 records). Only
the per-record detail requests (about 99% of an export's requests) go through the cache:
a record's saved document is used only when the summary list, read just now, gives the
record the same last-modified time (sale list ``Updated``, purchase list ``LastUpdatedDate``,
``LastModifiedOn`` elsewhere) as when the document was saved. Everything else is fetched
from DEAR and saved as it arrives, in small batches, so an export that is cancelled or
loses the network resumes where it stopped.

So the rows an export writes are the rows a fresh export would write at that moment:

* a changed record has a new last-modified time and is fetched again;
* a voided record comes back in the list with Status VOIDED and a new time: fetched again;
* a record that left DEAR's list (deleted, deprecated, outside the filters) is never read
  from the cache, because only records in today's list are looked up;
* a record whose list row has no last-modified time is always fetched (DEAR's stock
  adjustment and finished-goods lists have none; stock transfer rows carry ``LastModifiedOn``);
* a saved document that shows a product changed since it was saved is fetched again (line
  fields such as product dimensions are read live from the product, see
  :mod:`app.services.cache_products`).

User filters are never applied to cached data locally (their exact semantics are DEAR's),
so no filter can make the cache give different rows. Plain lists (products, customers,
suppliers, product families, reference books) are complete in their list pages and are
simply fetched; the cache is not involved.

The file itself is :mod:`app.services.cache_db`; :mod:`app.services.cache` opens one per
DEAR company and manages them. No Qt.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import Cancelled, ConfigurationError
from app.models import CancelToken, EndpointSpec
from app.services.cache_db import CachedEntry, CacheStore, CacheUnavailable
from app.services.cache_peek import names_from
from app.services.cache_products import ProductChanges, product_ids
from app.services.cache_stamps import canonical_stamp, parse_stamp, utc_now_text

if TYPE_CHECKING:
    from app.api.client import DearClient

log = logging.getLogger(__name__)

FALLBACK_STAMP_FIELD = "LastModifiedOn"


def detail_source(spec: EndpointSpec) -> str | None:
    """Where a line report's documents are filed in the cache (None: it has no detail step).

    Reports that read the same detail endpoint (sale order lines and sale invoice lines both
    read ``sale?ID=``) share documents; the last-modified field is part of the name, so two
    lists that judge freshness differently never share.
    """
    if spec.detail is None:
        return None
    path = spec.detail.path.strip().strip("/").lower()
    return f"{path}?{spec.detail.param.lower()}|{stamp_field(spec)}"


def stamp_field(spec: EndpointSpec) -> str:
    """Return the list-row field that holds a record's last-modified time for this report.

    The catalogue names it (sale list ``Updated``, purchase list ``LastUpdatedDate``); where it
    does not, ``LastModifiedOn`` is used when a row has it (DEAR's stock transfer rows carry
    it although the documentation does not list it). A row without a value is always fetched.
    """
    return spec.modified_field or FALLBACK_STAMP_FIELD


@dataclass
class CacheRunStats:
    """What the cache did for one export (for the About sheet and ``ExportResult.from_cache``)."""

    from_cache: int = 0
    fetched: int = 0
    unchecked: int = 0  # records whose list row had no last-modified time: always fetched
    product_refetched: int = 0  # saved documents fetched again because a product they show changed
    checked_at: datetime | None = None  # when DEAR's list was last compared with the cache
    planned: int = 0  # records the cache decided to serve (from_cache catches up as they are served)
    _oldest: str | None = None

    @property
    def still_to_serve(self) -> int:
        """Records decided to come from the cache and not served yet (they cost no request)."""
        return max(0, self.planned - self.from_cache)

    @property
    def oldest_saved(self) -> datetime | None:
        """When the oldest document served from the cache was saved."""
        return parse_stamp(self._oldest)

    def served(self, saved_at: str) -> None:
        """Count one document served from the cache (``saved_at`` in the cache's own spelling)."""
        self.from_cache += 1
        # canonical stamps sort in time order as text, so no parsing per record
        if self._oldest is None or saved_at < self._oldest:
            self._oldest = saved_at


@dataclass(frozen=True)
class DetailSplit:
    """Which listed records the cache serves (``hits``) and which DEAR must send (``misses``)."""

    source: str
    wanted: list[tuple[str, str | None]]  # (record ID, canonical last-modified) in the rows' order
    stamps: dict[str, str | None]  # lower-case ID -> canonical last-modified
    hits: dict[str, CachedEntry]
    misses: list[str]  # IDs DEAR must send, each once
    product_refetched: int  # saved documents not served because a product they show changed


class RecordCache:
    """The cache of one DEAR company: saved detail documents with DEAR's last-modified times.

    Create it with :meth:`CacheService.open` (or directly with a file path). Use it from one
    thread at a time; close it (or use ``with``) when the export ends.
    """

    def __init__(self, path: Path, *, connection_name: str = "", base_url: str = "") -> None:
        self.path = path
        self.stats = CacheRunStats()
        # one product check serves every report of an export
        self._products = ProductChanges()
        self._store: CacheStore | None
        try:
            self._store = CacheStore(path)
            if connection_name:
                self._remember_name(connection_name)
            if base_url:
                self._store.set_meta("base_url", base_url)
        except CacheUnavailable as error:
            log.warning("The local cache cannot be used this time: %s", error)
            self._store = None

    @property
    def available(self) -> bool:
        """False when the cache file could not be opened or written (exports then fetch everything)."""
        return self._store is not None

    def _remember_name(self, name: str) -> None:
        assert self._store is not None
        names = names_from(self._store.get_meta("names"))
        names = [name, *(n for n in names if n != name)]
        self._store.set_meta("names", json.dumps(names, ensure_ascii=False))

    # ------------------------------------------------------------------ the export seam

    def fetch_details(
        self,
        client: DearClient,
        spec: EndpointSpec,
        summaries: Sequence[Mapping[str, Any]],
        *,
        cancel: CancelToken | None = None,
        refresh: bool = False,
        listed_at: datetime | None = None,
    ) -> Iterator[tuple[str, Any]]:
        """Yield ``(id, detail document)`` for every summary row, in the rows' order.

        Use it in place of ``client.fetch_details``. Documents whose last-modified time
        matches the row come from the cache; the rest come from DEAR and are saved as they
        arrive. ``refresh`` (the "Refresh everything" action: ``ExportRequest.use_cache``
        False) fetches and saves every document. ``listed_at`` is when the summary list was
        read (default: now).
        """
        split = self.split_details(client, spec, summaries, cancel=cancel, refresh=refresh)
        assert spec.detail is not None
        detail, source, wanted, stamps = spec.detail, split.source, split.wanted, split.stamps
        hits, misses = split.hits, split.misses
        listed = listed_at or datetime.now(UTC)
        self.stats.product_refetched += split.product_refetched
        self.stats.planned += sum(1 for record_id, _ in wanted if record_id.lower() in hits)
        self.stats.unchecked += sum(1 for _, stamp in wanted if stamp is None)

        fetched = client.fetch_details(detail.path, detail.param, misses, cancel=cancel)
        arrived: dict[str, Any] = {}  # repeated or out-of-order IDs only; normally stays empty
        repeats = _repeated(record_id.lower() for record_id, _ in wanted)
        completed = False
        try:
            for record_id, _ in wanted:
                key = record_id.lower()
                if cancel is not None and cancel.cancelled:
                    raise Cancelled()
                document: Any = None
                if key in hits:
                    document = self._load(source, key, hits[key].fetched_at)
                    if document is None:  # unreadable after all: ask DEAR for this one
                        document = _only(client.fetch_details(detail.path, detail.param, [record_id]))
                        self._save(source, key, stamps.get(key), document)
                elif key in arrived:
                    document = arrived[key] if key in repeats else arrived.pop(key)
                else:
                    for got_id, got_doc in fetched:
                        got_key = str(got_id).lower()
                        self._save(source, got_key, stamps.get(got_key), got_doc)
                        if got_key == key:
                            document = got_doc
                            if key in repeats:
                                arrived[key] = got_doc
                            break
                        arrived[got_key] = got_doc
                    else:
                        raise RuntimeError(f"The detail for record {record_id} never arrived.")
                yield record_id, document
            completed = True
        finally:
            if isinstance(fetched, Generator):  # stop the client's threads fetching ahead
                fetched.close()
            self._flush()
            if completed:
                self.stats.checked_at = listed
                self._mark_refreshed(source, listed, len(wanted))

    def split_details(
        self,
        client: DearClient,
        spec: EndpointSpec,
        summaries: Iterable[Mapping[str, Any]],
        *,
        cancel: CancelToken | None = None,
        refresh: bool = False,
    ) -> DetailSplit:
        """Decide which of the rows' documents the cache serves and which DEAR must send.

        The one rule both the export (:meth:`fetch_details`) and the estimate use: a saved
        document is a hit when the row's last-modified time equals the one it was saved with
        and no product it shows changed since (that check asks DEAR's product list once).
        """
        if spec.detail is None:
            raise ConfigurationError(f"The report '{spec.label}' has no per-record details to cache.")
        id_field = spec.detail.id_field
        source = detail_source(spec)
        assert source is not None
        wanted = [(str(row.get(id_field) or ""), _stamp(row, spec)) for row in summaries]
        stamps = {record_id.lower(): stamp for record_id, stamp in wanted}
        known = {} if refresh else self._entries(source, stamps)
        hits = {
            key: entry
            for key, entry in known.items()
            if stamps.get(key) is not None and entry.modified == stamps[key]
        }
        dropped = self._products.drop_stale(client, hits, cancel)
        misses = list(dict.fromkeys(record_id for record_id, _ in wanted if record_id.lower() not in hits))
        return DetailSplit(source, wanted, stamps, hits, misses, dropped)

    def last_refreshed(self, spec: EndpointSpec) -> datetime | None:
        """Return when every record of this report's list was last compared with DEAR (None: never)."""
        source, store = detail_source(spec), self._store
        if source is None or store is None:
            return None
        try:
            return parse_stamp(store.refreshed_at(source))
        except CacheUnavailable:
            return None

    def known_records(self, spec: EndpointSpec) -> int:
        """Return how many of this report's detail documents the cache holds (for estimates)."""
        source, store = detail_source(spec), self._store
        if source is None or store is None:
            return 0
        try:
            return dict(store.iter_sources()).get(source, 0)
        except CacheUnavailable:
            return 0

    # ------------------------------------------------------------------ storage, failing soft

    # Each helper reads ``self._store`` once: close() may run on another thread (an export's
    # main thread when the fetching thread is slow to stop), and a closed store only raises
    # CacheUnavailable, which costs requests, never the export.

    def _entries(self, source: str, keys: Iterable[str]) -> dict[str, CachedEntry]:
        store = self._store
        if store is None:
            return {}
        try:
            return store.entries(source, keys)
        except CacheUnavailable as error:
            self._give_up(error)
            return {}

    def _load(self, source: str, key: str, saved_at: str) -> Any:
        store = self._store
        if store is None:
            return None
        try:
            document = store.load(source, key)
        except CacheUnavailable as error:
            self._give_up(error)
            return None
        if document is not None:
            self.stats.served(saved_at)
        return document

    def _save(self, source: str, key: str, stamp: str | None, document: Any) -> None:
        self.stats.fetched += 1
        store = self._store
        if store is None or stamp is None or not isinstance(document, Mapping):
            return
        try:
            store.put(source, key, stamp, document, product_ids(document))
        except (CacheUnavailable, TypeError, ValueError) as error:
            self._give_up(error)

    def _flush(self) -> None:
        store = self._store
        if store is None:
            return
        try:
            store.flush()
        except CacheUnavailable as error:
            self._give_up(error)

    def _mark_refreshed(self, source: str, when: datetime, records: int) -> None:
        store = self._store
        if store is None:
            return
        try:
            store.mark_refreshed(source, canonical_stamp(when) or utc_now_text(), records)
        except CacheUnavailable as error:
            self._give_up(error)

    def _give_up(self, error: Exception) -> None:
        # why: a full disk or a locked file must not fail an export; it only costs requests
        log.warning("The local cache stopped working for this export: %s", error)
        self.close()

    def close(self) -> None:
        """Save what is queued and close the file (safe to call twice, from any thread)."""
        store, self._store = self._store, None
        if store is not None:
            with contextlib.suppress(CacheUnavailable):
                store.close()

    def __enter__(self) -> RecordCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------------------- helpers


def _stamp(row: Mapping[str, Any], spec: EndpointSpec) -> str | None:
    return canonical_stamp(row.get(stamp_field(spec)))


def _repeated(keys: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    twice: set[str] = set()
    for key in keys:
        (twice if key in seen else seen).add(key)
    return twice


def _only(pairs: Iterator[tuple[str, Any]]) -> Any:
    for _, document in pairs:
        return document
    return None
