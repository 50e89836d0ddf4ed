"""Look-ups against the sandbox over real HTTP, checked against the sandbox's own answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
import requests

from app.errors import ConfigurationError
from app.models import Connection, OutputFormat, RateLimit
from app.sandbox import Sandbox
from app.services.lookup import PRODUCT_COLUMNS, LookupKind, LookupService


def _connection(sb: Sandbox) -> Connection:
    return Connection("Test company", sb.account_id, sb.application_key, sb.base_url, RateLimit(1000, 1))


def _raw(sb: Sandbox, path: str, **params: Any) -> Any:
    response = requests.get(sb.base_url + path, params=params, headers=sb.headers, timeout=30)
    assert response.status_code == 200
    return response.json()


def test_product_lookup_joins_stock_by_location(sandbox: Sandbox) -> None:
    stocked = _raw(sandbox, "ref/productavailability", Limit=50)["ProductAvailabilityList"]
    target = next(row for row in stocked if row["OnHand"])
    sku = target["SKU"]
    places = _raw(sandbox, "ref/productavailability", ID=target["ID"], Limit=1000)
    expected = places["ProductAvailabilityList"]

    result = LookupService().search(_connection(sandbox), LookupKind.PRODUCTS, sku)

    headers = [c.header for c in PRODUCT_COLUMNS]
    mine = [dict(zip(headers, row, strict=True)) for row in result.rows if row[0] == sku]
    assert len(mine) == len(expected)
    by_place = {(r["Location"], r["Bin"], r["Batch"]): r for r in mine}
    for place in expected:
        row = by_place[(place["Location"] or "", place["Bin"] or "", place["Batch"] or "")]
        assert row["On hand"] == pytest.approx(place["OnHand"])
        assert row["Available"] == pytest.approx(place["Available"])
        assert row["Allocated"] == pytest.approx(place["Allocated"])
        assert row["Product"] == place["Name"]
    assert result.calls >= 4
    assert "found" in result.note


def test_product_lookup_shows_products_without_stock(sandbox: Sandbox) -> None:
    products = _raw(sandbox, "product", Limit=1000)["Products"]
    availability = _raw(sandbox, "ref/productavailability", Limit=1000)["ProductAvailabilityList"]
    stocked = {r["ID"] for r in availability}
    unstocked = [p for p in products if p["ID"] not in stocked]
    if not unstocked:
        pytest.fail("the seed-1 sandbox should hold at least one product without stock rows")
    product = unstocked[0]
    result = LookupService().search(_connection(sandbox), LookupKind.PRODUCTS, product["SKU"])
    rows = [row for row in result.rows if row[0] == product["SKU"]]
    assert len(rows) == 1
    assert rows[0][2] == "(no stock recorded)"


def test_customer_lookup_matches_names_starting_with_the_text(sandbox: Sandbox) -> None:
    every = _raw(sandbox, "customer", Limit=1000)["CustomerList"]
    prefix = every[0]["Name"].split()[0]
    expected = sorted(c["Name"] for c in every if c["Name"].lower().startswith(prefix.lower()))

    result = LookupService().search(_connection(sandbox), LookupKind.CUSTOMERS, prefix)

    assert sorted(row[0] for row in result.rows) == expected
    assert result.note == f"{len(expected):,} customer{'s' if len(expected) != 1 else ''} found."


def test_sale_lookup_by_order_number(sandbox: Sandbox) -> None:
    sale = _raw(sandbox, "saleList", Limit=5)["SaleList"][3]
    result = LookupService().search(_connection(sandbox), LookupKind.SALES, sale["OrderNumber"])
    found = {row[0]: row for row in result.rows}
    assert sale["OrderNumber"] in found
    row = found[sale["OrderNumber"]]
    assert row[2] == sale["Customer"]
    assert row[5] == pytest.approx(sale["InvoiceAmount"])


def test_empty_text_is_refused_without_a_request(sandbox: Sandbox) -> None:
    sandbox.reset_counts()
    with pytest.raises(ConfigurationError):
        LookupService().search(_connection(sandbox), LookupKind.SALES, "   ")
    assert sandbox.total_calls == 0


def test_save_rows_writes_a_workbook_read_back_cell_by_cell(sandbox: Sandbox, tmp_path: Path) -> None:
    service = LookupService()
    result = service.search(_connection(sandbox), LookupKind.SALES, "SO-0000")
    assert result.rows
    target = tmp_path / "Sales look-up.xlsx"
    files = service.save_rows(target, result.columns, result.rows, title="Sales", company="Test company")
    assert target in files
    book = openpyxl.load_workbook(target, read_only=True)
    sheet = book[book.sheetnames[0]]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == [c.header for c in result.columns]
    assert len(values) - 1 == len(result.rows)
    for written, row in zip(values[1:], result.rows, strict=True):
        assert written[0] == row[0]  # order number, as text
        assert written[2] == row[2]  # customer
        assert written[5] == pytest.approx(row[5])  # amount stays a number
    book.close()


def test_save_rows_as_csv(sandbox: Sandbox, tmp_path: Path) -> None:
    service = LookupService()
    result = service.search(_connection(sandbox), LookupKind.CUSTOMERS, "H")
    assert result.rows
    files = service.save_rows(
        tmp_path / "customers.csv", result.columns, result.rows, output_format=OutputFormat.CSV
    )
    text = files[0].read_text(encoding="utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].split(",")[0] == "Customer"
    assert len(lines) - 1 == len(result.rows)


def test_a_wait_for_the_limit_is_reported_and_a_cancel_ends_it(sandbox: Sandbox) -> None:
    import threading
    import time

    from app.errors import Cancelled
    from app.models import CancelToken, Progress

    # One request every 20 s: the product look-up's second request has to wait.
    slow = Connection("Slow", sandbox.account_id, sandbox.application_key, sandbox.base_url, RateLimit(1, 20))
    cancel = CancelToken()
    events: list[Progress] = []

    def note(event: Progress) -> None:
        events.append(event)
        threading.Timer(0.3, cancel.cancel).start()

    started = time.monotonic()
    with pytest.raises(Cancelled):
        LookupService().search(slow, LookupKind.PRODUCTS, "a", cancel, note)
    assert time.monotonic() - started < 10  # not the 20 s wait
    wait = events[0]
    assert wait.phase == "waiting" and 15 < wait.waiting_seconds <= 21
    assert wait.message.format(seconds=17) == (
        "DEAR limits us to 1 request every 20 seconds; the look-up continues in 17 s."
    )


def test_a_refused_key_names_the_look_up_not_the_endpoint(sandbox: Sandbox) -> None:
    from app.errors import AuthenticationError

    wrong = Connection("Wrong", sandbox.account_id, "not-the-key", sandbox.base_url, RateLimit(1000, 1))
    with pytest.raises(AuthenticationError) as caught:
        LookupService().search(wrong, LookupKind.CUSTOMERS, "Ac")
    assert caught.value.message == (
        "DEAR refused access to the customer look-up: this Account ID and Application Key are not "
        "allowed to read sales."
    )
