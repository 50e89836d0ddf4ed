"""The simulated account's data: generated lazily and deterministically per record index.

Each record is rebuilt from ``random.Random(f"{seed}:{kind}:{index}")`` whenever it is
needed, so a large account starts at once and holds only light indexes in memory.
Changes made through :meth:`Dataset.touch`, :meth:`Dataset.void` and
:meth:`Dataset.deprecate` are kept as small overrides applied on every render.
"""

from __future__ import annotations

import copy
import random
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, overload

from app.sandbox import masterdata, purchases, sales, tasks
from app.sandbox.ids import IdMaker, moment_on, parse_since, timestamp
from app.sandbox.refbooks import RefBooks

JsonDict = dict[str, Any]
Render = Callable[["Dataset", int], JsonDict]

ROWS: dict[str, Render] = {
    "product": masterdata.product,
    "customer": masterdata.customer,
    "supplier": masterdata.supplier,
    "productfamily": masterdata.product_family,
    "sale": sales.list_row,
    "purchase": purchases.list_row,
    "stockadjustment": tasks.stockadjustment_row,
    "stocktake": tasks.stocktake_row,
    "stocktransfer": tasks.stocktransfer_row,
    "inventorywriteoff": tasks.inventorywriteoff_row,
    "finishedgoods": tasks.finishedgoods_row,
    "disassembly": tasks.disassembly_row,
    "journal": tasks.journal_row,
    "transaction": tasks.transaction_row,
    "moneytask": tasks.moneytask_row,
}
DETAILS: dict[str, Render] = {
    "sale": sales.detail,
    "purchase": lambda ds, i: purchases.detail(ds, i, True),
    "stockadjustment": tasks.stockadjustment_detail,
    "stocktake": tasks.stocktake_detail,
    "stocktransfer": tasks.stocktransfer_detail,
    "inventorywriteoff": tasks.inventorywriteoff_detail,
    "finishedgoods": tasks.finishedgoods_detail,
    "disassembly": tasks.disassembly_detail,
}
# Only these fields are kept in the filter index of the big kinds; the rest is rebuilt on demand.
INDEX_FIELDS: dict[str, tuple[str, ...]] = {
    "product": ("ID", "Name", "SKU", "Status", "Category", "Type", "LastModifiedOn"),
    "customer": ("ID", "Name", "Status", "LastModifiedOn", "Contacts"),
    "supplier": ("ID", "Name", "Status", "LastModifiedOn"),
    "sale": (
        "SaleID",
        "OrderNumber",
        "Status",
        "Customer",
        "InvoiceNumber",
        "CustomerReference",
        "CreditNoteNumber",
        "OrderDate",
        "Updated",
        "ShipBy",
        "QuoteStatus",
        "OrderStatus",
        "CombinedPickingStatus",
        "CombinedPackingStatus",
        "CombinedShippingStatus",
        "CombinedInvoiceStatus",
        "CreditNoteStatus",
        "ExternalID",
        "OrderLocationID",
    ),
    "purchase": (
        "ID",
        "OrderNumber",
        "Status",
        "Supplier",
        "InvoiceNumber",
        "CreditNoteNumber",
        "RequiredBy",
        "LastUpdatedDate",
        "OrderStatus",
        "StockReceivedStatus",
        "InvoiceStatus",
        "CreditNoteStatus",
        "UnstockStatus",
        "DropShipTaskID",
    ),
}
TIME_FIELDS = (
    "LastModifiedOn",
    "Updated",
    "LastUpdatedDate",
    "OrderDate",
    "ShipBy",
    "RequiredBy",
    "EffectiveDate",
)
ROW_CACHE_LIMIT = 20_000
TOUCHABLE = ("product", "customer", "supplier", "sale", "purchase")


@dataclass
class Change:
    """An override of one record: how often it was touched, when, and whether it was voided."""

    version: int
    updated: datetime
    voided: bool = False
    deprecated: bool | None = None


class RecordView(Sequence[JsonDict]):
    """A read-only, lazily rendered list of one kind's list rows (copies, safe to change)."""

    def __init__(self, dataset: Dataset, kind: str) -> None:
        self._dataset = dataset
        self._kind = kind

    def __len__(self) -> int:
        return self._dataset.counts[self._kind]

    @overload
    def __getitem__(self, index: int) -> JsonDict: ...

    @overload
    def __getitem__(self, index: slice) -> list[JsonDict]: ...

    def __getitem__(self, index: int | slice) -> JsonDict | list[JsonDict]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return copy.deepcopy(self._dataset.row(self._kind, index))

    def __iter__(self) -> Iterator[JsonDict]:
        return (self[i] for i in range(len(self)))


class Dataset:
    """One seeded account: reference books plus lazily built records of every kind."""

    def __init__(self, seed: int, today: date, counts: dict[str, int]) -> None:
        self.seed = seed
        self.today = today
        self.counts = dict(counts)
        self.ids = IdMaker(seed)
        self.refs = RefBooks.build(self.ids)
        self._lock = threading.RLock()
        self._rows: dict[str, dict[int, JsonDict]] = {kind: {} for kind in ROWS}
        self._index: dict[str, list[JsonDict]] = {}
        self._changes: dict[str, dict[int, Change]] = {kind: {} for kind in ROWS}
        self._last_change = datetime(2000, 1, 1, tzinfo=UTC)
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
        change = self._changes.get(kind, {}).get(index)
        if change is not None and change.deprecated is not None:
            return change.deprecated
        return masterdata.base_deprecated(kind, index)

    def pick_active(self, kind: str, rng: random.Random) -> int:
        """Return a random record of ``kind`` that starts out active (documents refer to live customers)."""
        count = self.counts[kind]
        if count == 0:
            return 0
        for _ in range(20):
            index = rng.randrange(count)
            if not masterdata.base_deprecated(kind, index):
                return index
        return 0

    def pick_product(self, rng: random.Random) -> int:
        """Return a random stock product that starts out active."""
        count = self.counts["product"]
        for _ in range(40):
            index = rng.randrange(max(1, count))
            if not masterdata.base_deprecated("product", index) and not masterdata.product_is_service(index):
                return index
        return 0

    def change(self, kind: str, index: int) -> Change | None:
        """Return the override recorded for one record, if any."""
        return self._changes.get(kind, {}).get(index)

    # ------------------------------------------------------------------ records

    def row(self, kind: str, index: int) -> JsonDict:
        """Return the list row of record ``index`` (shared: do not modify)."""
        cache = self._rows[kind]
        row = cache.get(index)
        if row is None:
            row = ROWS[kind](self, index)
            self._apply_master_change(kind, index, row)
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

    def index_of(self, kind: str, record_id: str) -> int | None:
        """Return the index of the record with this ID (case-insensitive), or None."""
        return self.ids.index(kind, record_id, self.counts[kind])

    def id_of(self, kind: str, index: int) -> str:
        """Return the ID of record ``index``."""
        return self.ids.make(kind, index)

    def sale_detail(self, sale_id: str) -> JsonDict:
        """Return the ``GET /sale?ID=`` document for a sale ID (KeyError if unknown)."""
        return self.detail("sale", self._require("sale", sale_id))

    def purchase_detail(self, purchase_id: str, advanced: bool = True) -> JsonDict:
        """Return the ``/advanced-purchase`` (or, with ``advanced=False``, ``/purchase``) document."""
        return purchases.detail(self, self._require("purchase", purchase_id), advanced)

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
        """(product index, slot) of every availability row: active stock products × 2 locations."""
        return [
            (p, slot)
            for p in range(self.counts["product"])
            if not masterdata.product_is_service(p) and not self.is_deprecated("product", p)
            for slot in range(masterdata.AVAILABILITY_SLOTS)
        ]

    def availability(self, product_index: int, slot: int) -> JsonDict:
        """One availability row."""
        return masterdata.availability(self, product_index, slot)

    # ------------------------------------------------------------------ filter index

    def index(self, kind: str) -> list[JsonDict]:
        """Light per-record entries for filtering (built on first use, kept current on changes)."""
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

    def _next_moment(self) -> datetime:
        now = datetime.now(UTC)
        if now <= self._last_change:
            now = self._last_change + timedelta(milliseconds=1)
        self._last_change = now
        return now

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
                old = self.change(kind, index)
                self._changes[kind][index] = Change(
                    version=(old.version if old else 0) + 1,
                    updated=self._next_moment(),
                    voided=old.voided if old else False,
                    deprecated=old.deprecated if old else None,
                )
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
            old = self.change(kind, index)
            self._changes[kind][index] = Change(
                version=old.version if old else 0,
                updated=self._next_moment(),
                voided=voided or (old.voided if old else False),
                deprecated=deprecated if deprecated is not None else (old.deprecated if old else None),
            )
            self._refresh(kind, index)
            return self.id_of(kind, index)
