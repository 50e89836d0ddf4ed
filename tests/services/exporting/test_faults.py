"""Faults during an export: records deleted between list and detail, lists that never settle,
a cancel while rows are written, and long lists sorted on disk. Real HTTP against the sandbox;
where DEAR's behaviour cannot be staged there, a client subclass changes one answer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app import catalogue
from app.api import DearClient, EventCallback
from app.errors import Cancelled
from app.models import CancelToken, Connection, ExportRequest, Progress, ReportRequest
from app.sandbox import Sandbox
from app.services.cache import CacheService
from app.services.exporting import ExportService
from app.services.exporting.spill import SPILL_PREFIX
from tests.services.exporting.test_run import about, assert_same_rows, connect, drive, expected_order_lines

SALES = 40


@pytest.fixture
def sb(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return make_sandbox(rate_limit=None, counts={"sale": SALES, "product": 2_500})


def deleting(gone: set[str]) -> Callable[..., DearClient]:
    """A client factory whose client answers as the new client does for records deleted in DEAR."""

    class Deleting(DearClient):
        def fetch_details(
            self, path: str, param: str, ids: Iterable[str], *, cancel: CancelToken | None = None
        ) -> Iterator[tuple[str, Any]]:
            for record_id, document in super().fetch_details(path, param, ids, cancel=cancel):
                yield record_id, None if record_id in gone else document

    def factory(connection: Connection, *, on_event: EventCallback | None = None) -> DearClient:
        return Deleting(connection, on_event=on_event)

    return factory


def moving_list(path: str) -> Callable[..., DearClient]:
    """A client factory whose list at ``path`` always claims one record more than it gives."""

    class Moving(DearClient):
        def get(
            self,
            request_path: str,
            params: Mapping[str, Any] | None = None,
            *,
            cancel: CancelToken | None = None,
        ) -> Any:
            body = super().get(request_path, params, cancel=cancel)
            if request_path.strip("/").lower() == path.lower() and isinstance(body, dict):
                body = {**body, "Total": int(body["Total"]) + 1}
            return body

    def factory(connection: Connection, *, on_event: EventCallback | None = None) -> DearClient:
        return Moving(connection, on_event=on_event)

    return factory


@pytest.mark.parametrize("cached", [False, True], ids=["no-cache", "cache"])
def test_a_record_deleted_between_list_and_detail_is_skipped_and_named(
    sb: Sandbox, tmp_path: Path, cached: bool
) -> None:
    victim = sb.dataset.sales[7]
    cache = CacheService(tmp_path / "data") if cached else None
    service = ExportService(deleting({victim["SaleID"]}), cache=cache)
    target = tmp_path / "lines.xlsx"
    events, result = drive(
        service.run, ExportRequest(connect(sb), (ReportRequest("sale-order-lines"),), target), CancelToken()
    )

    number = victim["OrderNumber"]
    sentence = f"{number} was deleted in DEAR while the export ran"
    assert result.complete and result.vanished == (number,)
    assert result.notes == (
        f"{SALES - 1} of {SALES} sales arrived. {sentence}, so it is not in this export.",
    )
    assert any(e.message == f"{sentence}; it is left out" for e in events)
    book = openpyxl.load_workbook(target, read_only=True)
    rows = [tuple(row) for row in book["Sale order lines"].iter_rows(values_only=True)][1:]
    book.close()
    assert_same_rows(rows, expected_order_lines(sb, lambda sale: sale["SaleID"] != victim["SaleID"]))
    said = about(target)
    assert said["Deleted while exporting"] == [f"{sentence}; it is not here."]
    assert said["Complete"][0].startswith("Yes")


def test_a_list_that_never_settles_gives_an_incomplete_result_and_still_a_file(
    sb: Sandbox, tmp_path: Path
) -> None:
    service = ExportService(moving_list(catalogue.get("sales").path), cache=None)
    target = tmp_path / "sales.xlsx"
    _, result = drive(
        service.run, ExportRequest(connect(sb), (ReportRequest("sales"),), target), CancelToken()
    )
    assert not result.complete and result.files == (target,)
    assert result.notes[0].startswith(f"1 of {SALES + 1} sales could not be read")
    assert about(target)["Complete"] == [
        "No. 1 record(s) missing: DEAR's list kept changing while it was being read"
    ]


def test_a_long_list_sorted_on_disk_gives_the_same_workbook_and_leaves_no_file(
    sb: Sandbox, tmp_path: Path
) -> None:
    spill = tmp_path / "spill"
    spill.mkdir()
    reports = (ReportRequest("products", include_children=True), ReportRequest("sale-order-lines"))
    small = ExportService(cache=None, spill_folder=spill, run_weight=97)
    _, on_disk = drive(small.run, ExportRequest(connect(sb), reports, tmp_path / "disk.xlsx"), CancelToken())
    big = ExportService(cache=None, spill_folder=spill)
    drive(big.run, ExportRequest(connect(sb), reports, tmp_path / "memory.xlsx"), CancelToken())
    first = openpyxl.load_workbook(tmp_path / "disk.xlsx", read_only=True)
    second = openpyxl.load_workbook(tmp_path / "memory.xlsx", read_only=True)
    try:
        assert first.sheetnames == second.sheetnames
        assert first.sheetnames[:2] == ["Products", catalogue.get("products").children[0].label]
        for name in first.sheetnames[:-1]:
            assert list(first[name].iter_rows(values_only=True)) == list(
                second[name].iter_rows(values_only=True)
            )
    finally:
        first.close()
        second.close()
    assert on_disk.sheets[0].rows > 97 * 10
    assert list(spill.iterdir()) == []


def test_a_cancel_while_rows_are_written_leaves_the_old_file_and_no_other(
    sb: Sandbox, tmp_path: Path
) -> None:
    target = tmp_path / "products.xlsx"
    target.write_bytes(b"last week's workbook")
    spill = tmp_path / "spill"
    spill.mkdir()
    cancel = CancelToken()
    seen: list[Progress] = []

    def on_progress(event: Progress) -> None:
        seen.append(event)
        if event.phase == "writing" and event.records_done > 0:
            cancel.cancel()  # the user presses Cancel once rows are being written

    service = ExportService(cache=None, spill_folder=spill, run_weight=500)
    with pytest.raises(Cancelled):
        service.run(ExportRequest(connect(sb), (ReportRequest("products"),), target), cancel, on_progress)
    assert target.read_bytes() == b"last week's workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["products.xlsx", "spill"]
    assert list(spill.iterdir()) == []
    assert not any(p.name.startswith(SPILL_PREFIX) for p in tmp_path.rglob("*"))
    written = [e for e in seen if e.phase == "writing" and e.records_done > 0]
    # No row was written after the cancel: the export stopped there, not at the end of the list.
    assert len(written) == 1 and written[0].records_done < (written[0].records_total or 0)
