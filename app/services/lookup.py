"""Quick look-ups without an export: products with stock by location, customers, sales.

Each search costs a handful of requests (never one per record beyond a small cap), so it
stays quick even under DEAR's limit of 60 requests a minute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from app.api.events import ApiEvent, EventCallback, Retrying, Throttled, Waiting
from app.dates import parse_dear_date
from app.errors import ConfigurationError
from app.export import open_writer
from app.export.about import AboutInfo, ReportAbout
from app.models import CancelToken, ColumnSpec, Connection, OutputFormat, Progress, ValueKind
from app.services.closing import closing_client
from app.services.exporting.wording import describe_limit, errors_in_words
from app.services.lookup_movements import NOTE as MOVES_NOTE
from app.services.lookup_movements import add_recent_movements


class LookupKind(StrEnum):
    """What a look-up searches for."""

    PRODUCTS = "products"
    CUSTOMERS = "customers"
    SALES = "sales"

    @property
    def label(self) -> str:
        """Plain-English name for a picker."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    LookupKind.PRODUCTS: "Products and stock (SKU or name)",
    LookupKind.CUSTOMERS: "Customers (name starts with)",
    LookupKind.SALES: "Sales (order or invoice number, customer, reference)",
}


class LookupClient(Protocol):
    """The part of :class:`app.api.DearClient` a look-up needs."""

    def get(
        self, path: str, params: Mapping[str, Any] | None = None, *, cancel: CancelToken | None = None
    ) -> Any:
        """GET one DEAR endpoint and return the decoded JSON."""
        ...


class ClientFactory(Protocol):
    """Makes the client for a look-up; it reports its waits to ``on_event`` (``DearClient`` fits)."""

    def __call__(self, connection: Connection, *, on_event: EventCallback | None = None) -> LookupClient:
        """Return a client for ``connection``."""
        ...


# What each look-up reads, for messages ("DEAR refused access to the customer look-up: ...").
_KIND_WORDS: dict[LookupKind, tuple[str, str]] = {
    LookupKind.PRODUCTS: ("the product look-up", "products and stock"),
    LookupKind.CUSTOMERS: ("the customer look-up", "sales"),
    LookupKind.SALES: ("the sale look-up", "sales"),
}


class WaitReporter:
    """The client's event callback for a look-up: turns its waits into ``"waiting"`` progress events.

    Called from the client's threads; it only builds a small event and hands it on. The window
    counts the wait down from ``waiting_seconds`` (as it does for an export).
    """

    def __init__(self, connection: Connection, on_progress: Callable[[Progress], None]) -> None:
        self._limit = connection.rate_limit
        self._on_progress = on_progress

    def __call__(self, event: ApiEvent) -> None:
        """Report a wait the client announces (other events are ignored)."""
        if isinstance(event, Waiting):
            reason = "throttled" if event.reason == "throttled" else "limit"
            self._report(event.seconds, reason)
        elif isinstance(event, Throttled):
            self._report(event.wait_seconds, "throttled")
        elif isinstance(event, Retrying):
            self._report(event.wait_seconds, "retry")

    def _report(self, seconds: float, reason: str) -> None:
        if seconds <= 0:
            return
        if reason == "throttled":
            message = "DEAR asked us to slow down; the look-up continues in {seconds} s."
        elif reason == "retry":
            message = "DEAR did not answer properly; trying again in {seconds} s."
        else:
            message = (
                f"DEAR limits us to {describe_limit(self._limit)}; the look-up continues in {{seconds}} s."
            )
        self._on_progress(Progress(phase="waiting", message=message, waiting_seconds=seconds))


PAGE = 200  # rows per list request: enough for a look-up, one request each
DETAIL_CAP = 15  # products whose stock is fetched one by one when the bulk queries missed them


@dataclass(frozen=True)
class LookupResult:
    """A table of matches: typed columns, rows of plain values in column order, and a note."""

    kind: LookupKind
    query: str
    columns: tuple[ColumnSpec, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""
    calls: int = 0
    searched_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def headers(self) -> tuple[str, ...]:
        """Column headers in order."""
        return tuple(column.header for column in self.columns)


PRODUCT_COLUMNS = (
    ColumnSpec("SKU", "SKU"),
    ColumnSpec("Name", "Product"),
    ColumnSpec("Location", "Location"),
    ColumnSpec("Bin", "Bin"),
    ColumnSpec("Batch", "Batch"),
    ColumnSpec("OnHand", "On hand", ValueKind.NUMBER),
    ColumnSpec("Allocated", "Allocated", ValueKind.NUMBER),
    ColumnSpec("Available", "Available", ValueKind.NUMBER),
    ColumnSpec("OnOrder", "On order", ValueKind.NUMBER),
    ColumnSpec("Category", "Category"),
    ColumnSpec("Status", "Status"),
)
CUSTOMER_COLUMNS = (
    ColumnSpec("Name", "Customer"),
    ColumnSpec("Status", "Status"),
    ColumnSpec("Currency", "Currency"),
    ColumnSpec("PaymentTerm", "Payment term"),
    ColumnSpec("PriceTier", "Price tier"),
    ColumnSpec("Location", "Location"),
    ColumnSpec("CreditLimit", "Credit limit", ValueKind.NUMBER),
    ColumnSpec("IsOnCreditHold", "On credit hold", ValueKind.BOOL),
)
SALE_COLUMNS = (
    ColumnSpec("OrderNumber", "Order number"),
    ColumnSpec("OrderDate", "Order date", ValueKind.DATE),
    ColumnSpec("Customer", "Customer"),
    ColumnSpec("Status", "Status"),
    ColumnSpec("InvoiceNumber", "Invoice number"),
    ColumnSpec("InvoiceAmount", "Invoice amount", ValueKind.NUMBER),
    ColumnSpec("PaidAmount", "Paid", ValueKind.NUMBER),
    ColumnSpec("CustomerCurrency", "Currency"),
    ColumnSpec("CustomerReference", "Customer reference"),
)


def _rows_of(document: Any, key: str) -> list[Mapping[str, Any]]:
    if isinstance(document, Mapping):
        rows = document.get(key)
        if isinstance(rows, list):
            return [row for row in rows if isinstance(row, Mapping)]
    return []


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _date(value: Any) -> Any:
    if isinstance(value, str):
        day = parse_dear_date(value)
        return day if day is not None else value
    return value


class LookupService:
    """Runs look-ups against one connection (on a worker thread; nothing here touches the UI)."""

    def __init__(self, client_factory: ClientFactory | None = None) -> None:
        self._client_factory = client_factory

    def _client(self, connection: Connection, on_event: EventCallback | None) -> LookupClient:
        if self._client_factory is not None:
            return self._client_factory(connection, on_event=on_event)
        # Imported here: requests is only needed once a look-up runs, not while the window starts.
        from app.api import DearClient

        return DearClient(connection, on_event=on_event)

    def search(
        self,
        connection: Connection,
        kind: LookupKind,
        query: str,
        cancel: CancelToken | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        *,
        movements: bool = False,
    ) -> LookupResult:
        """Find products (with stock by location), customers or sales matching ``query``.

        ``on_progress`` hears of every wait for DEAR's limit (a ``"waiting"`` event whose message
        has a ``{seconds}`` placeholder for the countdown); ``cancel`` stops the look-up within a
        moment, waits included. With ``movements``, a product look-up that found a few products
        lists each one's latest stock movements under its stock (:mod:`app.services.lookup_movements`).
        """
        text = query.strip()
        if not text:
            raise ConfigurationError("Type something to look up first.", hint="")
        on_event = WaitReporter(connection, on_progress) if on_progress is not None else None
        label, area = _KIND_WORDS[kind]  # errors name what the user looked up, never DEAR's endpoint
        with closing_client(self._client(connection, on_event)) as client, errors_in_words(label, area):
            if kind is LookupKind.PRODUCTS:
                return self._products(client, text, cancel, movements)
            if kind is LookupKind.CUSTOMERS:
                return self._customers(client, text, cancel)
            return self._sales(client, text, cancel)

    # ------------------------------------------------------------------ products

    def _products(
        self, client: LookupClient, text: str, cancel: CancelToken | None, movements: bool = False
    ) -> LookupResult:
        calls = 0
        products: dict[str, Mapping[str, Any]] = {}
        for param in ("Sku", "Name"):  # DEAR matches both as "contains"
            document = client.get("product", {param: text, "Page": 1, "Limit": PAGE}, cancel=cancel)
            calls += 1
            for row in _rows_of(document, "Products"):
                products.setdefault(str(row.get("ID", "")), row)
        stock: dict[str, dict[tuple[str, str, str], Mapping[str, Any]]] = {pid: {} for pid in products}
        if products:
            # Two bulk queries cover most matches; availability's Name is "starts with", so
            # products matched in the middle of their name are fetched by ID (a few at most).
            for param in ("Sku", "Name"):
                document = client.get(
                    "ref/productavailability", {param: text, "Page": 1, "Limit": 1000}, cancel=cancel
                )
                calls += 1
                self._collect_stock(document, stock)
            missing = [pid for pid, places in stock.items() if not places][:DETAIL_CAP]
            for product_id in missing:
                document = client.get(
                    "ref/productavailability", {"ID": product_id, "Page": 1, "Limit": 1000}, cancel=cancel
                )
                calls += 1
                self._collect_stock(document, stock)
        rows: list[tuple[Any, ...]] = []
        for product_id, product in sorted(products.items(), key=lambda item: str(item[1].get("SKU", ""))):
            base = (product.get("SKU", ""), product.get("Name", ""))
            tail = (product.get("Category", "") or "", product.get("Status", "") or "")
            places = stock.get(product_id, {})
            if not places:
                rows.append((*base, "(no stock recorded)", "", "", 0.0, 0.0, 0.0, 0.0, *tail))
                continue
            for (location, bin_name, batch), place in sorted(places.items()):
                rows.append(
                    (
                        *base,
                        location,
                        bin_name,
                        batch,
                        _number(place.get("OnHand")),
                        _number(place.get("Allocated")),
                        _number(place.get("Available")),
                        _number(place.get("OnOrder")),
                        *tail,
                    )
                )
        note = self._note(len(products), "product")
        if len(products) >= PAGE:
            note += " Only the first matches are shown: type more of the SKU or name to narrow it down."
        result = LookupResult(LookupKind.PRODUCTS, text, PRODUCT_COLUMNS, tuple(rows), note, calls)
        added = add_recent_movements(client, result.columns, result.rows, cancel) if movements else None
        if added is None:
            return result
        columns, with_moves, more = added
        return replace(
            result, columns=columns, rows=with_moves, note=f"{note} {MOVES_NOTE}", calls=calls + more
        )

    @staticmethod
    def _collect_stock(
        document: Any, stock: dict[str, dict[tuple[str, str, str], Mapping[str, Any]]]
    ) -> None:
        for row in _rows_of(document, "ProductAvailabilityList"):
            places = stock.get(str(row.get("ID", "")))
            if places is None:
                continue
            key = (str(row.get("Location") or ""), str(row.get("Bin") or ""), str(row.get("Batch") or ""))
            places[key] = row

    # ------------------------------------------------------------------ customers and sales

    def _customers(self, client: LookupClient, text: str, cancel: CancelToken | None) -> LookupResult:
        document = client.get("customer", {"Name": text, "Page": 1, "Limit": PAGE}, cancel=cancel)
        found = _rows_of(document, "CustomerList")
        rows = tuple(self._pick(row, CUSTOMER_COLUMNS) for row in found)
        return LookupResult(
            LookupKind.CUSTOMERS, text, CUSTOMER_COLUMNS, rows, self._note(len(rows), "customer"), 1
        )

    def _sales(self, client: LookupClient, text: str, cancel: CancelToken | None) -> LookupResult:
        document = client.get("saleList", {"Search": text, "Page": 1, "Limit": PAGE}, cancel=cancel)
        found = _rows_of(document, "SaleList")
        rows = tuple(self._pick(row, SALE_COLUMNS) for row in found)
        note = self._note(len(rows), "sale")
        total = document.get("Total") if isinstance(document, Mapping) else None
        if isinstance(total, int) and total > len(rows):
            note = f"Showing the first {len(rows):,} of {total:,} sales. Type more to narrow it down."
        return LookupResult(LookupKind.SALES, text, SALE_COLUMNS, rows, note, 1)

    @staticmethod
    def _pick(row: Mapping[str, Any], columns: Sequence[ColumnSpec]) -> tuple[Any, ...]:
        values: list[Any] = []
        for column in columns:
            value = row.get(column.field)
            if column.kind is ValueKind.NUMBER:
                values.append(_number(value))
            elif column.kind is ValueKind.DATE:
                values.append(_date(value))
            elif column.kind is ValueKind.BOOL:
                values.append(bool(value))
            else:
                values.append("" if value is None else value)
        return tuple(values)

    @staticmethod
    def _note(count: int, noun: str) -> str:
        if count == 0:
            return f"No {noun}s matched. Check the spelling, or try fewer letters."
        return f"{count:,} {noun}{'' if count == 1 else 's'} found."

    # ------------------------------------------------------------------ saving

    @staticmethod
    def save_rows(
        path: Path,
        columns: Sequence[ColumnSpec],
        rows: Iterable[Sequence[Any]],
        *,
        output_format: OutputFormat = OutputFormat.XLSX,
        title: str = "Look-up",
        company: str = "",
        description: str = "",
    ) -> tuple[Path, ...]:
        """Write the shown rows to an Excel workbook (or CSV); returns the files written."""
        about = AboutInfo(
            company=company,
            reports=(ReportAbout(title, "look-up", {"Search": description} if description else {}),),
            exported_at=datetime.now(UTC),
        )
        with open_writer(path, output_format, about) as writer:
            sheet = writer.add_sheet(title, tuple(columns))
            for row in rows:
                sheet.write_row(tuple(row))
        return writer.files
