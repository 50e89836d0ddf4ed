"""The simulated account's data: generated lazily and deterministically per record index.

Each record is rebuilt from ``random.Random(f"{seed}:{kind}:{index}")`` whenever it is
needed, so a large account starts at once and holds only light indexes in memory.
Changes made through :meth:`Dataset.touch`, :meth:`Dataset.void`, :meth:`Dataset.deprecate`
and :meth:`Dataset.delete` are kept as small overrides (``app.sandbox.changes``) applied on every render.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from app.sandbox import awkward as awkward_values
from app.sandbox import purchase_detail
from app.sandbox.account import JsonDict
from app.sandbox.changes import Change, ChangeLog
from app.sandbox.ids import IdMaker, moment_on, parse_since, timestamp
from app.sandbox.kinds import DETAILS, INDEX_FIELDS, ROWS, TIME_FIELDS
from app.sandbox.movements import ledger_of
from app.sandbox.products import availability, base_deprecated, product_is_service
from app.sandbox.record_view import RecordView
from app.sandbox.refbooks import RefBooks

ROW_CACHE_LIMIT = 20_000
TOUCHABLE = ("product", "customer", "supplier", "sale", "purchase")
DELETABLE = tuple(ROWS)


class Dataset:
    """One seeded account: reference books plus lazily built records of every kind.

    It is the :class:`app.sandbox.account.Account` the renderers are given.
    """

    def __init__(self, seed: int, today: date, counts: dict[str, int], *, awkward: bool = True) -> None:
        self.seed = seed
        self.awkward = awkward  # False: list rows without test strings, so filters match what is shown
        self.today = today
        self.counts = dict(counts)
        self.ids = IdMaker(seed)
        self.refs = RefBooks.build(self.ids)
        self._lock = threading.RLock()
        self._rows: dict[str, dict[int, JsonDict]] = {kind: {} for kind in ROWS}
        self._index: dict[str, list[JsonDict]] = {}
        self._log = ChangeLog(tuple(ROWS))
        self._live: dict[str, list[int]] = {}  # only kinds with deleted records
        self.generation = 0  # bumped on every change, so cached answers go stale

    # ------------------------------------------------------------------ generation helpers

    def rng(self, kind: str, index: int) -> random.Random:
        """Return the random stream of one record: the same for the same seed, kind and index."""
        return random.Random(f"{self.seed}:{kind}:{index}")

    def moment(self, day: date, seconds: float) -> datetime:
        """Return a UTC instant ``seconds`` into ``day``."""
        return moment_on(day, seconds)

    def past_moment(self, rng: random.Random, low_days: int, high_days: int) -> datetime:
        """Return a random instant between ``high_days`` and ``low_days`` days before today (never today)."""
        return self.moment(self.past_day(rng, max(1, low_days), high_days), rng.uniform(0, 86399.999))

    def past_day(self, rng: random.Random, low_days: int, high_days: int) -> date:
        """Return a random date between ``high_days`` and ``low_days`` days before today."""
        return self.today - timedelta(days=rng.randrange(low_days, max(low_days + 1, high_days)))

    def is_deprecated(self, kind: str, index: int) -> bool:
        """Return the record's status as it is now: its starting state unless deprecated or restored since."""
        change = self._log.get(kind, index)
        if change is not None and change.deprecated is not None:
            return change.deprecated
        return base_deprecated(kind, index)

    def pick_active(self, kind: str, rng: random.Random) -> int:
        """Return a random record of ``kind`` that starts out active (documents refer to live customers)."""
        count = self.counts[kind]
        if count == 0:
            return 0
        for _ in range(20):
            index = rng.randrange(count)
            if not base_deprecated(kind, index):
                return index
        return 0

    def pick_product(self, rng: random.Random) -> int:
        """Return a random stock product that starts out active."""
        count = self.counts["product"]
        for _ in range(40):
            index = rng.randrange(max(1, count))
            if not base_deprecated("product", index) and not product_is_service(index):
                return index
        return 0

    def change(self, kind: str, index: int) -> Change | None:
        """Return the override recorded for one record, if any."""
        return self._log.get(kind, index)

    # ------------------------------------------------------------------ records

    def row(self, kind: str, index: int) -> JsonDict:
        """Return the list row of record ``index`` (shared: do not modify)."""
        cache = self._rows[kind]
        row = cache.get(index)
        if row is None:
            row = ROWS[kind](self, index)
            self._apply_master_change(kind, index, row)
            if not self.awkward:
                row = awkward_values.tidy(row)
            if len(cache) >= ROW_CACHE_LIMIT:
                cache.clear()
            cache[index] = row
        return row

    def _apply_master_change(self, kind: str, index: int, row: JsonDict) -> None:
        change = self.change(kind, index)
        if change is None or kind not in {"product", "customer", "supplier"}:
            return
        row["LastModifiedOn"] = timestamp(change.updated, 3)
        if change.version:
            field = "InternalNote" if kind == "product" else "Comments"
            row[field] = f"Changed {change.version} time(s) in the sandbox"

    def detail(self, kind: str, index: int) -> JsonDict:
        """Return the full document of record ``index`` (a fresh dict)."""
        return DETAILS[kind](self, index)

    def keys(self, kind: str) -> Sequence[int]:
        """Return the indices of the records of ``kind`` that exist now (deleted ones left out), in order."""
        live = self._live.get(kind)
        return range(self.counts[kind]) if live is None else live

    def index_of(self, kind: str, record_id: str) -> int | None:
        """Return the index of the record with this ID (case-insensitive), or None (also once deleted)."""
        index = self.ids.index(kind, record_id, self.counts[kind])
        if index is None or self._log.is_deleted(kind, index):
            return None
        return index

    def id_of(self, kind: str, index: int) -> str:
        """Return the ID of record ``index``."""
        return self.ids.make(kind, index)

    def sale_detail(self, sale_id: str) -> JsonDict:
        """Return the ``GET /sale?ID=`` document for a sale ID (KeyError if unknown)."""
        return self.detail("sale", self._require("sale", sale_id))

    def purchase_detail(self, purchase_id: str, advanced: bool = True) -> JsonDict:
        """Return the ``/advanced-purchase`` (or, with ``advanced=False``, ``/purchase``) document."""
        return purchase_detail.detail(self, self._require("purchase", purchase_id), advanced)

    def _require(self, kind: str, record_id: str) -> int:
        index = self.index_of(kind, record_id)
        if index is None:
            raise KeyError(record_id)
        return index

    def view(self, kind: str) -> RecordView:
        """All list rows of ``kind`` as a lazy sequence."""
        return RecordView(self, kind)

    @property
    def products(self) -> RecordView:
        """Product rows (``Products[]``), deprecated ones included."""
        return self.view("product")

    @property
    def customers(self) -> RecordView:
        """Customer rows."""
        return self.view("customer")

    @property
    def suppliers(self) -> RecordView:
        """Supplier rows."""
        return self.view("supplier")

    @property
    def sales(self) -> RecordView:
        """``saleList`` summary rows, in DEAR's order."""
        return self.view("sale")

    @property
    def purchases(self) -> RecordView:
        """``purchaseList`` rows."""
        return self.view("purchase")

    def availability_keys(self) -> list[tuple[int, int]]:
        """(product index, location index) of every availability row: wherever a product's stock moved.

        docs/dear-api.md §11.3: a product that never moved has no availability rows at all.
        """
        live = set(self.keys("product"))
        return [(p, location) for p, location in ledger_of(self).places() if p in live]

    def availability(self, product_index: int, location: int) -> JsonDict:
        """One availability row."""
        return availability(self, product_index, location)

    # ------------------------------------------------------------------ filter index

    def index(self, kind: str) -> list[JsonDict]:
        """Light per-record entries for filtering, by record index (built on first use, kept current)."""
        with self._lock:
            entries = self._index.get(kind)
            if entries is None:
                entries = [self._entry(kind, i) for i in range(self.counts[kind])]
                self._index[kind] = entries
            return entries

    def _entry(self, kind: str, index: int) -> JsonDict:
        row = self.row(kind, index)
        fields = INDEX_FIELDS.get(kind)
        entry = {f: row[f] for f in fields} if fields else dict(row)
        for name in TIME_FIELDS:
            value = entry.get(name)
            if isinstance(value, str):
                parsed = parse_since(value)
                entry[f"_{name}"] = parsed.timestamp() if parsed else None
        if kind == "sale":
            entry["_credit"] = entry["CreditNoteNumber"] is not None
        if kind == "purchase":
            entry["_credit"] = bool(entry["CreditNoteNumber"])
        return entry

    def _refresh(self, kind: str, index: int) -> None:
        self.generation += 1
        self._rows[kind].pop(index, None)
        if kind == "product":
            # product names and costs appear inside other documents' cached rows
            for other in ("stockadjustment", "finishedgoods"):
                self._rows[other].clear()
        entries = self._index.get(kind)
        if entries is not None:
            entries[index] = self._entry(kind, index)

    # ------------------------------------------------------------------ changes

    def _resolve(self, kind: str, ids_or_count: int | str | Iterable[str]) -> list[int]:
        if kind not in TOUCHABLE:
            raise ValueError(
                f"Records of kind '{kind}' cannot be changed; use one of {', '.join(TOUCHABLE)}."
            )
        if isinstance(ids_or_count, int):
            count = self.counts[kind]
            n = min(max(0, ids_or_count), count)
            step = max(1, count // max(1, n))
            return [(k * step) % count for k in range(n)]
        ids = [ids_or_count] if isinstance(ids_or_count, str) else list(ids_or_count)
        return [self._require(kind, record_id) for record_id in ids]

    def touch(self, kind: str, ids_or_count: int | str | Iterable[str]) -> list[str]:
        """Change records and bump their Updated/LastModifiedOn to now; return the IDs changed.

        A sale or purchase gets its first line quantity raised by one; a product, customer or
        supplier gets a new note. ``ids_or_count`` is IDs, or a number of records spread over the list.
        """
        with self._lock:
            changed = []
            for index in self._resolve(kind, ids_or_count):
                self._log.bump(kind, index)
                self._refresh(kind, index)
                changed.append(self.id_of(kind, index))
            return changed

    def void(self, kind: str, record_id: str) -> str:
        """Void a sale or purchase (Status VOIDED) and bump its change time."""
        if kind not in {"sale", "purchase"}:
            raise ValueError(
                "Only sales and purchases can be voided; deprecate products, customers or suppliers."
            )
        return self._set(kind, record_id, voided=True)

    def deprecate(self, kind: str, record_id: str, deprecated: bool = True) -> str:
        """Deprecate (or restore) a product, customer or supplier and bump its change time."""
        if kind not in {"product", "customer", "supplier"}:
            raise ValueError("Only products, customers and suppliers can be deprecated.")
        return self._set(kind, record_id, deprecated=deprecated)

    def _set(self, kind: str, record_id: str, *, voided: bool = False, deprecated: bool | None = None) -> str:
        with self._lock:
            index = self._require(kind, record_id)
            self._log.set(kind, index, voided=voided, deprecated=deprecated)
            self._refresh(kind, index)
            return self.id_of(kind, index)

    def delete(self, kind: str, record_id: str) -> str:
        """Delete a record, as a user deleting it in DEAR: it leaves its list and its detail is not found.

        Other documents that mention it keep doing so. Raises KeyError for an unknown (or already
        deleted) ID and ValueError for a kind that has no records.
        """
        if kind not in DELETABLE:
            raise ValueError(
                f"Records of kind '{kind}' cannot be deleted; use one of {', '.join(DELETABLE)}."
            )
        with self._lock:
            index = self._require(kind, record_id)
            self._log.deleted[kind].add(index)
            self._live[kind] = [i for i in self.keys(kind) if i != index]
            self.generation += 1
            return self.id_of(kind, index)
