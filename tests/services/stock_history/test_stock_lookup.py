"""Look-up: a product's latest movements under its stock by location (real HTTP to the sandbox)."""

from __future__ import annotations

from datetime import datetime

import requests

from app.api import DearClient
from app.catalogue.stock_history import describe_type
from app.models import CancelToken, Connection, RateLimit
from app.sandbox import Sandbox
from app.services.lookup import LookupKind, LookupService
from app.services.stock_history.lookup import MOVEMENT_COLUMNS, RECENT, with_recent_movements


def connect(sb: Sandbox) -> Connection:
    return Connection("Sandbox", sb.account_id, sb.application_key, sb.base_url, RateLimit(1000, 1))


def test_one_product_gets_its_latest_movements_under_its_stock(sandbox: Sandbox) -> None:
    connection = connect(sandbox)
    found = LookupService().search(connection, LookupKind.PRODUCTS, "SKU-000002", CancelToken())
    result = with_recent_movements(connection, found, CancelToken(), DearClient)
    assert result.headers[-len(MOVEMENT_COLUMNS) :] == (
        "Moved on",
        "Movement",
        "Document",
        "Quantity moved",
        "Value moved",
    )
    assert result.calls == found.calls + 1
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
    assert "latest stock movements" in result.note


def test_many_products_or_other_look_ups_are_left_as_they_were(sandbox: Sandbox) -> None:
    connection = connect(sandbox)
    many = LookupService().search(connection, LookupKind.PRODUCTS, "SKU-0000", CancelToken())
    assert with_recent_movements(connection, many, CancelToken(), DearClient) is many
    sales = LookupService().search(connection, LookupKind.SALES, "SO-0001", CancelToken())
    assert with_recent_movements(connection, sales, CancelToken(), DearClient) is sales
