"""Look-up: a product's latest movements under its stock by location (real HTTP to the sandbox)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
import requests

from app.api import DearClient
from app.api.events import EventCallback, Waiting
from app.catalogue.stock_history import describe_type
from app.errors import Cancelled
from app.models import CancelToken, Connection, Progress, RateLimit
from app.sandbox import Sandbox
from app.services.lookup import LookupKind, LookupService
from app.services.lookup_movements import MOVEMENT_COLUMNS, RECENT


def connect(sb: Sandbox) -> Connection:
    return Connection("Sandbox", sb.account_id, sb.application_key, sb.base_url, RateLimit(1000, 1))


class Recording:
    """A client factory as the wiring passes one: real DearClients, every request noted.

    ``wait_before_movements`` makes the client announce a wait (as DearClient does for the limit)
    on the event callback the service gave it, just before the movements request.
    """

    def __init__(self, wait_before_movements: bool = False) -> None:
        self.clients = 0
        self.requests: list[tuple[str, dict[str, Any], CancelToken | None]] = []
        self._wait = wait_before_movements

    def __call__(self, connection: Connection, *, on_event: EventCallback | None = None) -> Any:
        self.clients += 1
        recording = self
        real = DearClient(connection, on_event=on_event)

        class Client:
            def get(
                self, path: str, params: Mapping[str, Any] | None = None, *, cancel: CancelToken | None = None
            ) -> Any:
                recording.requests.append((path, dict(params or {}), cancel))
                if recording._wait and (params or {}).get("IncludeMovements") and on_event is not None:
                    on_event(Waiting(12.0, "limit"))
                return real.get(path, params, cancel=cancel)

            def close(self) -> None:
                real.close()

        return Client()


def test_one_product_gets_its_latest_movements_under_its_stock(sandbox: Sandbox) -> None:
    connection = connect(sandbox)
    found = LookupService().search(connection, LookupKind.PRODUCTS, "SKU-000002", CancelToken())
    factory = Recording()
    cancel = CancelToken()
    result = LookupService(factory).search(
        connection, LookupKind.PRODUCTS, "SKU-000002", cancel, movements=True
    )
    # The service's own client (one for the whole look-up) read the movements, with its cancel token.
    assert factory.clients == 1 and len(factory.requests) == result.calls == found.calls + 1
    path, params, _ = factory.requests[-1]
    assert (path, params["Sku"], params["IncludeMovements"]) == ("product", "SKU-000002", "true")
    assert all(token is cancel for _, _, token in factory.requests)
    assert result.headers[-len(MOVEMENT_COLUMNS) :] == (
        "Moved on",
        "Movement",
        "Document",
        "Quantity moved",
        "Value moved",
    )
    stock = [row for row in result.rows if row[-1] is None and row[-2] is None]
    assert [row[: len(found.columns)] for row in stock] == list(found.rows)
    moves = result.rows[len(stock) :]
    params = {"Sku": "SKU-000002", "IncludeMovements": "true", "Limit": 10}
    product = requests.get(sandbox.base_url + "product", params=params, headers=sandbox.headers, timeout=30)
    history = product.json()["Products"][0]["Movements"]
    latest = sorted(history, key=lambda m: m["Date"], reverse=True)[:RECENT]
    assert len(moves) == len(latest) == RECENT
    for row, movement in zip(moves, latest, strict=True):
        assert row[:3] == ("SKU-000002", found.rows[0][1], movement["Location"])
        assert row[-5:] == (
            datetime.fromisoformat(movement["Date"]).date(),
            describe_type(movement["Type"])[0],
            movement["Number"],
            movement["Quantity"],
            movement["Amount"],
        )
    assert result.note.startswith(found.note) and "latest stock movements" in result.note


def test_many_products_or_other_look_ups_are_left_as_they_were(sandbox: Sandbox) -> None:
    connection = connect(sandbox)
    for kind, text in ((LookupKind.PRODUCTS, "SKU-0000"), (LookupKind.SALES, "SO-0001")):
        plain = LookupService().search(connection, kind, text, CancelToken())
        factory = Recording()
        asked = LookupService(factory).search(connection, kind, text, CancelToken(), movements=True)
        assert replace(asked, searched_at=plain.searched_at) == plain
        assert not any(params.get("IncludeMovements") for _, params, _ in factory.requests)
    # Without asking, a single product comes back without movements.
    alone = LookupService().search(connection, LookupKind.PRODUCTS, "SKU-000002", CancelToken())
    assert alone.headers[-1] == "Status" and "latest stock movements" not in alone.note


def test_a_wait_before_the_movements_is_reported_and_a_cancel_ends_it(sandbox: Sandbox) -> None:
    factory = Recording(wait_before_movements=True)
    cancel = CancelToken()
    events: list[Progress] = []

    def on_progress(event: Progress) -> None:  # the window's progress slot, in short
        events.append(event)
        cancel.cancel()

    with pytest.raises(Cancelled):
        LookupService(factory).search(
            connect(sandbox), LookupKind.PRODUCTS, "SKU-000002", cancel, on_progress, movements=True
        )
    assert [(e.phase, e.waiting_seconds) for e in events] == [("waiting", 12.0)]
    assert events[0].message.format(seconds=12) == (
        "DEAR limits us to 1000 requests a second; the look-up continues in 12 s."
    )
    assert factory.requests[-1][1].get("IncludeMovements") == "true"
