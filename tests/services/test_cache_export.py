"""The cache inside real exports: workbooks from the cache equal fresh ones, cell by cell."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app import paths
from app.api import ApiEvent, CallMade, DearClient, EventCallback
from app.errors import Cancelled
from app.models import (
    CancelToken,
    Connection,
    ExportRequest,
    ExportResult,
    RateLimit,
    ReportRequest,
)
from app.sandbox import Sandbox
from app.services.cache import CacheService
from app.services.exporting import ExportService

SALES = 60
ABOUT = "About this export"


def sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    finally:
        book.close()


def about(path: Path) -> dict[str, Any]:
    return {row[0]: row[1] for row in sheets(path)[ABOUT] if len(row) > 1 and row[0]}


class Exports:
    def __init__(self, sb: Sandbox, folder: Path) -> None:
        self.sb = sb
        self.folder = folder
        self.connection = Connection(
            "Sandbox",
            sb.account_id,
            sb.application_key,
            base_url=sb.base_url,
            rate_limit=RateLimit(100_000, 1.0),
        )
        self.service = ExportService(cache=self.cache())  # the user's own, in the test's private home

    def cache(self) -> CacheService:
        return CacheService(paths.data_dir())

    def request(self, name: str, *keys: str, use_cache: bool = True, **filters: str) -> ExportRequest:
        reports = tuple(ReportRequest(key, filters=dict(filters)) for key in keys or ("sale-order-lines",))
        return ExportRequest(self.connection, reports, self.folder / name, use_cache=use_cache)

    def run(self, request: ExportRequest, cancel: CancelToken | None = None, **kwargs: Any) -> ExportResult:
        return self.service.run(request, cancel or CancelToken(), kwargs.get("on_progress"))

    def details(self) -> int:
        return self.sb.call_counts().get("sale", 0)


@pytest.fixture
def exports(make_sandbox: Callable[..., Sandbox], tmp_path: Path) -> Exports:
    return Exports(make_sandbox(rate_limit=None, counts={"sale": SALES}), tmp_path)


def data_sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {name: rows for name, rows in sheets(path).items() if name != ABOUT}


def test_a_repeat_after_changes_writes_what_a_fresh_export_writes(exports: Exports) -> None:
    first = exports.run(exports.request("first.xlsx"))
    assert exports.details() == SALES and first.from_cache == 0
    assert about(exports.folder / "first.xlsx")["From the local cache"].startswith("None")

    exports.sb.touch("sale", 4)
    victim = exports.sb.dataset.sales[7]["SaleID"]
    exports.sb.void("sale", victim)
    exports.sb.reset_counts()
    repeat = exports.run(exports.request("repeat.xlsx"))
    assert exports.details() == 5
    assert repeat.from_cache == SALES - 5

    exports.sb.reset_counts()
    fresh = exports.run(exports.request("fresh.xlsx", use_cache=False))
    assert exports.details() == SALES and fresh.from_cache == 0

    got, want = data_sheets(exports.folder / "repeat.xlsx"), data_sheets(exports.folder / "fresh.xlsx")
    assert got == want
    assert sum(len(rows) for rows in got.values()) > SALES  # several lines per sale, all compared
    assert got != data_sheets(exports.folder / "first.xlsx")  # the changes did reach the workbook
    exports.sb.reset_counts()
    again = exports.run(exports.request("again.xlsx"))  # "Refresh everything" saved what it fetched
    assert exports.details() == 0 and again.from_cache == SALES
    said = about(exports.folder / "repeat.xlsx")
    assert said["From the local cache"] == f"{SALES - 5:,} record(s)"
    assert said["Cache last refreshed"] and said["Cache last refreshed"] != "(not known)"


def test_filters_give_the_same_rows_from_the_cache(exports: Exports) -> None:
    exports.run(exports.request("all.xlsx"))
    exports.sb.reset_counts()
    cached = exports.run(exports.request("completed.xlsx", Status="COMPLETED"))
    assert exports.details() == 0 and cached.from_cache > 0
    exports.run(exports.request("completed-fresh.xlsx", use_cache=False, Status="COMPLETED"))
    assert data_sheets(exports.folder / "completed.xlsx") == data_sheets(
        exports.folder / "completed-fresh.xlsx"
    )


def test_a_cancelled_export_resumes_where_it_stopped(exports: Exports) -> None:
    token = CancelToken()
    answered = 0

    def client_factory(connection: Connection, *, on_event: EventCallback | None = None) -> DearClient:
        def watch(event: ApiEvent) -> None:
            nonlocal answered
            if on_event is not None:
                on_event(event)
            if isinstance(event, CallMade) and event.path == "sale":
                answered += 1
                if answered == SALES // 2:
                    token.cancel()  # the user presses Cancel half-way through the details

        return DearClient(connection, on_event=watch)

    exports.service = ExportService(client_factory, cache=exports.cache())
    with pytest.raises(Cancelled):
        exports.run(exports.request("stopped.xlsx"), token)
    assert not (exports.folder / "stopped.xlsx").exists()
    stopped = exports.details()
    assert SALES // 2 <= stopped < SALES
    (info,) = CacheService(paths.data_dir()).info()
    kept = info.records
    assert 0 < kept <= stopped  # what arrived before the cancel was saved

    exports.sb.reset_counts()
    resumed = exports.run(exports.request("resumed.xlsx"))
    assert exports.details() == SALES - kept  # and is not asked for again
    assert resumed.from_cache == kept
    exports.run(exports.request("fresh.xlsx", use_cache=False))
    assert data_sheets(exports.folder / "resumed.xlsx") == data_sheets(exports.folder / "fresh.xlsx")


def test_without_a_cache_service_nothing_is_saved(exports: Exports, app_home: Path) -> None:
    exports.service = ExportService(cache=None)
    exports.run(exports.request("a.xlsx"))
    exports.sb.reset_counts()
    result = exports.run(exports.request("b.xlsx"))
    assert exports.details() == SALES and result.from_cache == 0
    assert CacheService(paths.data_dir()).info() == []


def test_several_reports_share_documents_and_one_product_check(exports: Exports) -> None:
    exports.run(exports.request("orders.xlsx"))
    exports.sb.reset_counts()
    keys = ("sale-invoice-lines", "sale-fulfilment-lines")
    result = exports.run(exports.request("two.xlsx", *keys))
    counts = exports.sb.call_counts()
    assert counts.get("sale", 0) == 0 and result.from_cache == 2 * SALES
    assert counts.get("product", 0) == 1
    assert counts.get("salelist", 0) == 2  # each report still reads its list from DEAR
    exports.run(exports.request("two-fresh.xlsx", *keys, use_cache=False))
    assert data_sheets(exports.folder / "two.xlsx") == data_sheets(exports.folder / "two-fresh.xlsx")


def _damage_the_middle(path: Path) -> None:
    """Overwrite one page in the middle of a SQLite file, as a failing disk or a crash would."""
    data = path.read_bytes()
    page_size = int.from_bytes(data[16:18], "big") or 65_536
    pages = len(data) // page_size
    assert pages >= 4  # a header page, a middle, an end
    middle = pages // 2
    with path.open("r+b") as file:
        file.seek(middle * page_size)
        file.write(bytes(range(256)) * (page_size // 256))


def test_a_cache_damaged_in_the_middle_is_set_aside_and_rebuilt_at_once(
    exports: Exports, caplog: pytest.LogCaptureFixture
) -> None:
    exports.run(exports.request("first.xlsx"))
    service = CacheService(paths.data_dir())
    path = service.path_for(exports.connection)
    _damage_the_middle(path)

    exports.sb.reset_counts()
    with caplog.at_level(logging.WARNING):
        damaged = exports.run(exports.request("damaged.xlsx"))
    assert damaged.complete
    assert any("damaged" in record.getMessage() for record in caplog.records)
    aside = [p.name for p in path.parent.iterdir() if ".damaged-" in p.name]
    assert aside and all(name.startswith(path.name) for name in aside)
    (info,) = service.info()
    assert info.records == SALES  # the new cache holds every record this export fetched

    exports.sb.reset_counts()
    warm = exports.run(exports.request("warm.xlsx"))
    assert exports.details() == 0 and warm.from_cache == SALES
    assert exports.sb.total_calls <= 3  # who am I, the sale list, the product check
    assert data_sheets(exports.folder / "warm.xlsx") == data_sheets(exports.folder / "first.xlsx")
