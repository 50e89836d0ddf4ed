"""RecordCache against the sandbox: repeat exports fetch only what changed, and stopped ones resume.

Every test talks real HTTP to a sandbox on loopback and counts the requests the sandbox answered.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from app.api import DearClient
from app.catalogue import ENDPOINTS, get
from app.errors import ApiError, Cancelled
from app.models import CancelToken, Connection, EndpointSpec, RateLimit
from app.sandbox import Sandbox
from app.services.cache import RecordCache, detail_source, stamp_field
from app.services.cache_db import CacheStore, CacheUnavailable

SALES = 60
ORDER_LINES = get("sale-order-lines")
INVOICE_LINES = get("sale-invoice-lines")
PURCHASE_LINES = get("purchase-order-lines")
FAST = RateLimit(100_000, 1.0)
# Requests of a stopped run that were already on the wire (the client's in-flight limit) may be
# answered after the counters are reset, so counts after a stop allow for them.
ON_THE_WIRE = 4


@dataclass
class World:
    sb: Sandbox
    client: DearClient
    path: Path

    def rows(self, spec: EndpointSpec = ORDER_LINES, **params: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for batch in self.client.list_pager(spec.path, spec.list_key, params=params, id_field=spec.id_field):
            out.extend(batch)
        return out

    def export(
        self, spec: EndpointSpec = ORDER_LINES, rows: list[dict[str, Any]] | None = None, **kwargs: Any
    ) -> tuple[list[tuple[str, Any]], RecordCache]:
        """One pass with a freshly opened cache, as a new export would."""
        rows = self.rows(spec) if rows is None else rows
        with RecordCache(self.path, connection_name="Test") as cache:
            got = list(cache.fetch_details(self.client, spec, rows, **kwargs))
        return got, cache

    def fresh(self, spec: EndpointSpec, rows: list[dict[str, Any]]) -> list[tuple[str, Any]]:
        """What DEAR says right now, without any cache."""
        assert spec.detail is not None
        ids = [row[spec.detail.id_field] for row in rows]
        return list(self.client.fetch_details(spec.detail.path, spec.detail.param, ids))

    def calls(self, path: str = "sale") -> int:
        return self.sb.call_counts().get(path, 0)


@pytest.fixture
def world(make_sandbox: Callable[..., Sandbox], app_home: Path) -> Iterator[World]:
    sb = make_sandbox(rate_limit=None, counts={"sale": SALES, "purchase": 30})
    connection = Connection("Test", sb.account_id, sb.application_key, base_url=sb.base_url, rate_limit=FAST)
    with DearClient(connection, max_attempts=2) as client:
        yield World(sb, client, app_home / "data" / "cache" / "test.sqlite3")


def test_a_repeat_fetches_only_the_records_that_changed(world: World) -> None:
    first, cache = world.export()
    assert world.calls() == SALES
    assert cache.stats.fetched == SALES and cache.stats.from_cache == 0

    world.sb.reset_counts()
    second, cache = world.export()
    assert world.calls() == 0
    assert cache.stats.from_cache == SALES
    assert second == first

    touched = set(world.sb.touch("sale", 5))
    world.sb.reset_counts()
    rows = world.rows()
    third, cache = world.export(rows=rows)
    assert world.calls() == 5
    assert cache.stats.fetched == 5 and cache.stats.from_cache == SALES - 5
    changed = {record_id for (record_id, doc), (_, old) in zip(third, first, strict=True) if doc != old}
    assert changed == touched  # the sandbox changed a line quantity on each touched sale
    assert third == world.fresh(ORDER_LINES, rows)  # exactly what DEAR says now


def test_the_records_come_back_in_the_list_order_even_when_mixed(world: World) -> None:
    rows = world.rows()
    world.export(rows=rows[::2])  # half of them cached
    world.sb.reset_counts()
    got, cache = world.export(rows=rows)
    assert [record_id for record_id, _ in got] == [row["SaleID"] for row in rows]
    assert world.calls() == SALES // 2 and cache.stats.from_cache == SALES // 2
    assert [doc["ID"] for _, doc in got] == [row["SaleID"] for row in rows]


def test_a_voided_sale_is_fetched_again_and_shows_voided(world: World) -> None:
    rows = world.rows()
    world.export(rows=rows)
    victim = next(row["SaleID"] for row in rows if row["Status"] != "VOIDED")
    world.sb.void("sale", victim)
    world.sb.reset_counts()
    rows = world.rows()
    got, _ = world.export(rows=rows)
    assert world.calls() == 1
    assert dict(got)[victim]["Status"] == "VOIDED"
    assert got == world.fresh(ORDER_LINES, rows)


def test_the_users_filters_are_always_asked_of_dear(world: World) -> None:
    everything = world.rows()
    world.export(rows=everything)
    victim = next(row for row in everything if row["Status"] == "COMPLETED")
    completed_before = [row for row in everything if row["Status"] == "COMPLETED"]
    world.sb.void("sale", victim["SaleID"])
    world.sb.reset_counts()
    rows = world.rows(Status="COMPLETED")
    got, cache = world.export(rows=rows)
    assert world.calls() == 0  # every completed sale was cached and none changed
    assert [record_id for record_id, _ in got] == [r["SaleID"] for r in rows]
    assert len(got) == len(completed_before) - 1
    assert victim["SaleID"] not in dict(got)  # the voided sale left the list, so never came from the cache
    assert cache.stats.from_cache == len(rows)


def test_resume_after_cancel_fetches_only_what_is_missing(world: World) -> None:
    rows = world.rows()
    token = CancelToken()
    consumed = 0
    with RecordCache(world.path) as cache, pytest.raises(Cancelled):
        for _ in cache.fetch_details(world.client, ORDER_LINES, rows, cancel=token):
            consumed += 1
            if consumed == 25:
                token.cancel()
    first_calls = world.calls()
    assert 25 <= first_calls < SALES  # a few may have been fetched ahead of the cancel

    world.sb.reset_counts()
    got, cache = world.export(rows=rows)
    # everything that arrived before the cancel was kept and is not asked for again
    assert cache.stats.fetched == SALES - 25 and cache.stats.from_cache == 25
    assert SALES - 25 <= world.calls() <= SALES - 25 + ON_THE_WIRE
    assert got == world.fresh(ORDER_LINES, rows)


def test_resume_after_the_network_drops(world: World) -> None:
    rows = world.rows()
    consumed = 0
    with RecordCache(world.path) as cache, pytest.raises(ApiError):
        for _ in cache.fetch_details(world.client, ORDER_LINES, rows):
            consumed += 1
            if consumed == 30:
                world.sb.inject("drop", count=1000, path="sale")
    assert 30 <= consumed < SALES
    while world.sb.take_injection("sale") is not None:  # the network is back
        pass

    world.sb.reset_counts()
    got, cache = world.export(rows=rows)
    assert cache.stats.fetched == SALES - consumed and cache.stats.from_cache == consumed
    assert SALES - consumed <= world.calls() <= SALES - consumed + ON_THE_WIRE
    assert got == world.fresh(ORDER_LINES, rows)


def test_refresh_fetches_everything_and_keeps_the_cache_current(world: World) -> None:
    world.export()
    world.sb.reset_counts()
    _, cache = world.export(refresh=True)
    assert world.calls() == SALES and cache.stats.from_cache == 0
    world.sb.reset_counts()
    world.export()
    assert world.calls() == 0


def test_rows_without_a_last_modified_time_are_always_fetched(world: World) -> None:
    unstamped = replace(ORDER_LINES, modified_field=None)
    world.export(unstamped)
    world.sb.reset_counts()
    _, cache = world.export(unstamped)
    assert world.calls() == SALES
    assert cache.stats.from_cache == 0 and cache.stats.unchecked == SALES


def test_reports_that_read_the_same_detail_share_it(world: World) -> None:
    assert detail_source(ORDER_LINES) == detail_source(INVOICE_LINES)
    world.export(ORDER_LINES)
    world.sb.reset_counts()
    _, cache = world.export(INVOICE_LINES)
    assert world.calls() == 0 and cache.stats.from_cache == SALES


def test_purchases_compare_their_own_timestamp(world: World) -> None:
    rows = world.rows(PURCHASE_LINES)
    assert rows and not rows[0]["LastUpdatedDate"].endswith("Z")  # DEAR's purchase-list shape
    world.export(PURCHASE_LINES, rows)
    assert world.calls("advanced-purchase") == len(rows)
    touched = world.sb.touch("purchase", 3)
    world.sb.reset_counts()
    rows = world.rows(PURCHASE_LINES)
    got, cache = world.export(PURCHASE_LINES, rows)
    assert world.calls("advanced-purchase") == 3 and cache.stats.fetched == 3
    assert got == world.fresh(PURCHASE_LINES, rows)
    assert set(touched) <= {record_id for record_id, _ in got}


def test_a_changed_product_refetches_the_sales_that_show_it(world: World) -> None:
    first, _ = world.export()
    product_id = first[0][1]["Order"]["Lines"][0]["ProductID"]
    showing = {record_id for record_id, doc in first if product_id.lower() in json.dumps(doc).lower()}
    world.sb.touch("product", product_id)
    world.sb.reset_counts()
    got, cache = world.export()
    assert world.calls("product") == 1  # one list request: which products changed
    assert world.calls() == len(showing)
    assert cache.stats.product_refetched == len(showing)
    assert got == first  # the sandbox's product change (a note) shows in no sale line


def test_a_cache_that_cannot_be_opened_still_exports_everything(world: World) -> None:
    world.path.mkdir(parents=True)  # a folder where the file should be
    rows = world.rows()
    got, cache = world.export(rows=rows)
    assert not cache.available
    assert world.calls() == SALES
    assert got == world.fresh(ORDER_LINES, rows)


def test_a_record_listed_twice_is_fetched_once(world: World) -> None:
    rows = world.rows()[:5]
    rows = [*rows, rows[2]]
    got, _ = world.export(rows=rows)
    assert world.calls() == 5
    assert [record_id for record_id, _ in got] == [row["SaleID"] for row in rows]
    assert got[5][1] == got[2][1]


def test_the_application_key_never_reaches_the_file(world: World) -> None:
    world.export()
    blob = b"".join(p.read_bytes() for p in world.path.parent.iterdir())
    assert world.sb.application_key.encode() not in blob
    assert world.sb.application_key not in str(list(world.path.parent.iterdir()))


def test_stock_transfers_use_last_modified_on_and_adjustments_are_always_fetched(
    make_sandbox: Callable[..., Sandbox], app_home: Path
) -> None:
    sb = make_sandbox(rate_limit=None, counts={"stocktransfer": 12, "stockadjustment": 8})
    connection = Connection("Test", sb.account_id, sb.application_key, base_url=sb.base_url, rate_limit=FAST)
    with DearClient(connection) as client:
        stock = World(sb, client, app_home / "data" / "cache" / "stock.sqlite3")
        transfers, adjustments = get("stock-transfer-lines"), get("stock-adjustment-lines")
        assert all(row.get("LastModifiedOn") for row in stock.rows(transfers))
        for spec in (transfers, adjustments):
            stock.export(spec)
        sb.reset_counts()
        _, cache = stock.export(transfers)
        assert stock.calls("stocktransfer") == 0 and cache.stats.from_cache == 12
        _, cache = stock.export(adjustments)
        assert stock.calls("stockadjustment") == 8 and cache.stats.from_cache == 0
        assert cache.stats.unchecked == 8


def test_every_line_report_repeats_from_the_cache_when_its_list_has_a_timestamp(
    make_sandbox: Callable[..., Sandbox], app_home: Path
) -> None:
    counts = {"sale": 40, "purchase": 20, "stockadjustment": 5, "stocktransfer": 5, "finishedgoods": 5}
    sb = make_sandbox(rate_limit=None, counts=counts)
    connection = Connection("Test", sb.account_id, sb.application_key, base_url=sb.base_url, rate_limit=FAST)
    line_reports = [spec for spec in ENDPOINTS if spec.is_line_report]
    assert len(line_reports) >= 9
    with DearClient(connection) as client:
        each = World(sb, client, app_home / "data" / "cache" / "all.sqlite3")
        for spec in line_reports:
            assert spec.detail is not None
            rows = [
                row
                for batch in client.list_pager(
                    spec.path, spec.list_key, id_field=spec.id_field, alt_list_keys=spec.alt_list_keys
                )
                for row in batch
            ]
            assert rows, spec.key
            each.export(spec, rows)
            sb.reset_counts()
            got, cache = each.export(spec, rows)
            stamped = sum(1 for row in rows if row.get(stamp_field(spec)))
            assert cache.stats.from_cache == stamped, spec.key
            assert each.calls(spec.detail.path.lower()) == len(rows) - stamped, spec.key
            assert got == each.fresh(spec, rows), spec.key


def test_a_cache_that_fails_mid_export_lets_the_export_finish(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_flush = CacheStore._flush_locked
    flushes = 0

    def disk_fills_up(store: CacheStore) -> None:
        nonlocal flushes
        flushes += 1
        if flushes > 2:
            raise CacheUnavailable("database or disk is full")
        real_flush(store)

    monkeypatch.setattr(CacheStore, "_flush_locked", disk_fills_up)
    rows = world.rows()
    got, cache = world.export(rows=rows)
    assert not cache.available  # it gave up quietly ...
    assert got == world.fresh(ORDER_LINES, rows)  # ... and the export still has every record
    assert world.calls() == 2 * SALES
