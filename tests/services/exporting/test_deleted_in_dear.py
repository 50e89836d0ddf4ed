"""A sale deleted in DEAR between the list and its detail, end to end: the real client, the sandbox's delete.

The sandbox answers the deleted sale's detail as DEAR does (400 "Sale not found"); the client
yields no document for it, and the export leaves it out, names it, and completes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl

from app.models import CancelToken, Connection, ExportRequest, Progress, RateLimit, ReportRequest
from app.sandbox import Sandbox
from app.wiring import Services

SALES = 30


def test_a_sale_deleted_after_the_list_is_left_out_and_named(
    make_sandbox: Callable[..., Sandbox], services: Services, tmp_path: Path
) -> None:
    # A little latency keeps the details coming one by one after the list has been read.
    sb = make_sandbox(rate_limit=None, latency_ms=20, counts={"sale": SALES})
    numbers = sorted(str(sale["OrderNumber"]) for sale in sb.dataset.sales)
    victim = next(sale for sale in sb.dataset.sales if sale["OrderNumber"] == numbers[-1])
    connection = Connection(
        "Sandbox", sb.account_id, sb.application_key, base_url=sb.base_url, rate_limit=RateLimit(1000, 1.0)
    )
    target = tmp_path / "lines.xlsx"
    request = ExportRequest(connection, (ReportRequest("sale-order-lines"),), target, use_cache=False)
    deleted: list[str] = []

    def delete_once_details_start(progress: Progress) -> None:
        # The list is complete when the details begin; the last sale in order is fetched last.
        if progress.phase == "details" and not deleted:
            deleted.append(sb.delete("sale", str(victim["SaleID"])))

    result = services.exporter.run(request, CancelToken(), delete_once_details_start)

    assert deleted, "the export never reached its details"
    assert result.complete
    assert result.vanished == (numbers[-1],)
    # Every other sale's lines are there: the same rows as an export made after the deletion.
    after = tmp_path / "after.xlsx"
    services.exporter.run(
        ExportRequest(connection, (ReportRequest("sale-order-lines"),), after, use_cache=False), CancelToken()
    )
    rows = list(openpyxl.load_workbook(target)["Sale order lines"].iter_rows(values_only=True))
    assert rows == list(openpyxl.load_workbook(after)["Sale order lines"].iter_rows(values_only=True))
    assert len(rows) > SALES and numbers[-1] not in {row[0] for row in rows}
    about = [str(cell) for row in openpyxl.load_workbook(target)["About this export"].values for cell in row]
    assert any(numbers[-1] in text for text in about)
