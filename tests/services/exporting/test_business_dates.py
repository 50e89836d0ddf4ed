"""Date ranges on the reports' own business dates (a sale's order date), applied before any detail request."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from app import dates
from app.models import CancelToken, ExportRequest, ReportRequest
from app.sandbox import Sandbox
from app.services.exporting import ExportService
from app.services.presets import apply_date_range
from tests.services.exporting.test_run import about, connect, drive, sheet_rows

TODAY = date(2026, 11, 27)
OCTOBER = dates.DateRange(date(2026, 10, 1), date(2026, 10, 31))


@pytest.fixture
def sb(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return make_sandbox(rate_limit=None, today=TODAY, counts={"sale": 120, "purchase": 40})


def _ordered_in_october(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [r for r in rows if isinstance(r["OrderDate"], str) and r["OrderDate"].startswith("2026-10-")]


def test_sale_lines_for_last_month_follow_the_order_date_and_cost_one_request_per_sale_in_range(
    sb: Sandbox, tmp_path: Path
) -> None:
    in_range = _ordered_in_october(sb.dataset.sales)
    assert 0 < len(in_range) < len(sb.dataset.sales)  # the sample data has sales on both sides
    expected = [
        (sale["OrderNumber"], line["SKU"])
        for sale in sorted(in_range, key=lambda s: str(s["OrderNumber"]))
        for line in (sb.dataset.sale_detail(str(sale["SaleID"]))["Order"] or {}).get("Lines") or []
    ]
    report = apply_date_range(ReportRequest("sale-order-lines", columns=("OrderNumber", "SKU")), OCTOBER)
    out = tmp_path / "october.xlsx"
    sb.reset_counts()

    _, result = drive(
        ExportService(cache=None).run, ExportRequest(connect(sb), (report,), out), CancelToken()
    )

    assert sheet_rows(out, "Sale order lines")[1:] == expected
    # Only the sales ordered in October were read in detail: the range cost no wasted requests.
    assert sb.call_counts()["sale"] == len(in_range)
    assert result.complete
    assert about(out)["Report: filters"] == ["Dates: Order date from 2026-10-01 to 2026-10-31"]
    left_out = len(sb.dataset.sales) - len(in_range)
    assert f"{len(in_range):,} of them have the order date from 2026-10-01 to 2026-10-31" in result.notes[0]
    assert f"the other {left_out:,} were left out" in result.notes[0]


def test_the_estimate_counts_only_the_sales_in_range(sb: Sandbox, tmp_path: Path) -> None:
    in_range = _ordered_in_october(sb.dataset.sales)
    report = apply_date_range(ReportRequest("sale-order-lines"), OCTOBER)
    estimate = ExportService(cache=None).estimate(ExportRequest(connect(sb), (report,), tmp_path / "x.xlsx"))
    assert estimate.reports[0].records == len(in_range)
    assert f"{len(in_range):,} sales need one request each" in estimate.explanation


def test_purchase_invoice_lines_follow_the_invoice_date(sb: Sandbox, tmp_path: Path) -> None:
    invoiced = [
        p
        for p in sb.dataset.purchases
        if isinstance(p["InvoiceDate"], str) and p["InvoiceDate"].startswith("2026-10-")
    ]
    report = apply_date_range(ReportRequest("purchase-invoice-lines", columns=("OrderNumber",)), OCTOBER)
    out = tmp_path / "invoices.xlsx"
    sb.reset_counts()
    drive(ExportService(cache=None).run, ExportRequest(connect(sb), (report,), out), CancelToken())
    assert sb.call_counts().get("advanced-purchase", 0) == len(invoiced)
    assert {row[0] for row in sheet_rows(out, "Purchase invoice lines")[1:]} <= {
        p["OrderNumber"] for p in invoiced
    }


def test_command_line_dates_option(sb: Sandbox, tmp_path: Path) -> None:
    in_range = _ordered_in_october(sb.dataset.sales)
    out = tmp_path / "cli.xlsx"
    env = {
        "DEAR_ACCOUNT_ID": sb.account_id,
        "DEAR_APPLICATION_KEY": sb.application_key,
        "DEAR_BASE_URL": sb.base_url,
        "DEAR_EXPORT_HOME": str(tmp_path / "home"),
        "PATH": "",
    }
    command = [sys.executable, "-m", "app", "export", "--endpoint", "sales", "--out", str(out)]
    done = subprocess.run(
        [*command, "--from", "2026-10-01", "--to", "2026-10-31", "--no-cache", "--rate-limit", "1000/1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    numbers = {row[0] for row in sheet_rows(out, "Sales")[1:]}
    assert numbers == {sale["OrderNumber"] for sale in in_range}

    both = subprocess.run(
        [*command, "--dates", "last-month", "--from", "2026-10-01"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert both.returncode == 2
    assert "either --dates or --from/--to" in both.stderr


def test_every_dated_report_names_a_date_its_list_rows_carry(sb: Sandbox) -> None:
    import requests

    from app import catalogue
    from app.dates import parse_dear_datetime

    # stock history reports date their movements, not their list rows (tests/services/stock_history)
    dated = [spec for spec in catalogue.ENDPOINTS if spec.date_field and not spec.computed]
    assert {"sale-order-lines", "purchase-order-lines", "stock-adjustment-lines"} <= {s.key for s in dated}
    for spec in dated:
        assert spec.date_label, spec.key
        body = requests.get(
            sb.base_url + spec.path, params={"Limit": 50}, headers=sb.headers, timeout=30
        ).json()
        rows = body[spec.list_key]
        assert rows, spec.key
        dates = [parse_dear_datetime(row[spec.date_field]) for row in rows if row.get(spec.date_field)]
        assert dates and all(dates), f"{spec.key}: {spec.date_field} is missing or not a date"
