"""The export service end to end against the sandbox over real HTTP; workbooks read back cell by cell."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app import catalogue
from app.dates import parse_dear_datetime
from app.errors import AuthenticationError, Cancelled, ConfigurationError
from app.models import (
    CancelToken,
    Connection,
    ExportRequest,
    ExportResult,
    OutputFormat,
    Progress,
    RateLimit,
    ReportRequest,
)
from app.sandbox import COMPANY, Sandbox
from app.services.cache import CacheService
from app.services.exporting import ExportService, describe_duration, describe_limit

FAST = RateLimit(1000, 1)
SALES = 60


def connect(sb: Sandbox, limit: RateLimit = FAST, key: str | None = None) -> Connection:
    return Connection(
        name="Sandbox",
        account_id=sb.account_id,
        application_key=key or sb.application_key,
        base_url=sb.base_url,
        rate_limit=limit,
    )


Run = Callable[[ExportRequest, CancelToken, Callable[[Progress], None] | None], ExportResult]


def drive(run: Run, request: ExportRequest, cancel: CancelToken) -> tuple[list[Progress], ExportResult]:
    """Run an export, collecting the progress it pushes (from any thread) in order."""
    events: list[Progress] = []
    result = run(request, cancel, events.append)
    return events, result


def sheet_rows(path: Path, title: str) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in book[title].iter_rows(values_only=True)]
    finally:
        book.close()


def about(path: Path) -> dict[str, list[str]]:
    items: dict[str, list[str]] = {}
    for row in sheet_rows(path, "About this export")[1:]:
        items.setdefault(str(row[0]), []).append(str(row[1]))
    return items


def cell(value: Any, kind: str) -> Any:
    """What the workbook should hold for a raw DEAR value (empty text is an empty cell)."""
    if value in (None, ""):
        return None
    if kind == "date":
        return parse_dear_datetime(value)
    return value


def line_cells(line: dict[str, Any]) -> tuple[Any, ...]:
    """The cells a document line ends with in line reports: product, quantity, price, tax, total."""
    return (
        line["SKU"],
        line["Name"],
        line["Quantity"],
        line["Price"],
        line["Discount"],
        line["Tax"],
        line["Total"],
        cell(line["TaxRule"], "text"),
    )


@pytest.fixture
def sb(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return make_sandbox(rate_limit=None, counts={"sale": SALES, "customer": 25, "product": 40})


@pytest.fixture
def service() -> ExportService:
    return ExportService(cache=None)


def expected_order_lines(sb: Sandbox, keep: Callable[[dict[str, Any]], bool] = lambda s: True) -> list[tuple]:
    ds = sb.dataset
    rows: list[tuple] = []
    sales = sorted(
        (i for i in range(ds.counts["sale"]) if keep(ds.sales[i])), key=lambda i: ds.sales[i]["OrderNumber"]
    )
    for i in sales:
        summary, detail = ds.sales[i], ds.detail("sale", i)
        for number, line in enumerate(detail["Order"]["Lines"], start=1):
            rows.append(
                (
                    summary["OrderNumber"],
                    cell(summary["OrderDate"], "date"),
                    summary["Customer"] or detail["Customer"],
                    summary["Status"],
                    cell(detail["Location"], "text"),
                    detail["CustomerCurrency"],
                    number,
                    *line_cells(line),
                )
            )
    return rows


def assert_same_rows(actual: list[tuple], expected: list[tuple]) -> None:
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert len(got) == len(want)
        for a, b in zip(got, want, strict=True):
            if isinstance(b, float) and not isinstance(b, bool):
                assert a == pytest.approx(b), (got, want)
            else:
                assert a == b, (got, want)


def test_sale_order_lines_end_to_end(sb: Sandbox, service: ExportService, tmp_path: Path) -> None:
    target = tmp_path / "lines.xlsx"
    request = ExportRequest(connect(sb), (ReportRequest("sale-order-lines"),), target)
    events, result = drive(service.run, request, CancelToken())

    expected = expected_order_lines(sb)
    assert len(expected) == sum(len(sb.dataset.detail("sale", i)["Order"]["Lines"]) for i in range(SALES))
    rows = sheet_rows(target, "Sale order lines")
    spec = catalogue.get("sale-order-lines")
    assert rows[0] == tuple(c.header for c in spec.columns if c.default)
    assert_same_rows(rows[1:], expected)

    assert result.files == (target,)
    assert result.complete and result.notes == (f"All {SALES} sales arrived.",)
    assert result.sheets[0].name == "Sale order lines" and result.sheets[0].rows == len(expected)
    assert result.calls_used == 1 + 1 + SALES  # me, one list page, one detail per sale
    info = about(target)
    assert info["Company"] == [COMPANY]
    assert info["Report"] == ["Sale order lines"]
    assert info["Report: filters"] == ["No filters (every record)"]
    assert info["Rows in sheet Sale order lines"] == [f"{len(expected):,}"]
    assert info["Complete"][0].startswith("Yes")
    assert info["Note"] == [f"All {SALES} sales arrived."]

    phases = [e.phase for e in events]
    assert phases[0] == "connecting" and phases[-1] == "done"
    assert "listing" in phases and "details" in phases
    details = [e for e in events if e.phase == "details"]
    assert details[0].records_total == SALES and details[0].calls_remaining == SALES
    assert all(a.records_done <= b.records_done for a, b in itertools.pairwise(details))
    assert events[-1].records_done == len(expected)


def test_filters_are_checked_normalised_and_sent(sb: Sandbox, service: ExportService, tmp_path: Path) -> None:
    target = tmp_path / "completed.xlsx"
    # A Z suffix makes DEAR reject UpdatedSince (docs/dear-api.md §5.1): it must be sent without one.
    report = ReportRequest(
        "sale-order-lines", filters={"status": "completed", "UpdatedSince": "2000-01-01T00:00:00Z"}
    )
    drive(service.run, ExportRequest(connect(sb), (report,), target), CancelToken())
    expected = expected_order_lines(sb, lambda s: s["Status"] == "COMPLETED")
    assert expected
    assert_same_rows(sheet_rows(target, "Sale order lines")[1:], expected)
    assert about(target)["Report: filters"] == ["Sale status: COMPLETED; Changed since: 2000-01-01T00:00:00"]


@pytest.mark.parametrize(
    ("filters", "words"),
    [
        ({"Statuss": "COMPLETED"}, ["no filter called 'Statuss'", "CombinedPickStatus"]),
        ({"Status": "DONE"}, ["'DONE'", "COMPLETED"]),
        ({"UpdatedSince": "31/01/2024"}, ["not a date", "YYYY-MM-DD"]),
        ({"OrderLocationID": "main"}, ["not a record ID"]),
    ],
)
def test_bad_filters_fail_before_any_request(
    sb: Sandbox, service: ExportService, tmp_path: Path, filters: dict[str, str], words: list[str]
) -> None:
    request = ExportRequest(
        connect(sb), (ReportRequest("sale-order-lines", filters=filters),), tmp_path / "x.xlsx"
    )
    with pytest.raises(ConfigurationError) as caught:
        drive(service.run, request, CancelToken())
    for word in words:
        assert word in caught.value.user_text()
    assert sb.total_calls == 0
    assert not (tmp_path / "x.xlsx").exists()


def test_several_reports_and_child_sheets_in_one_workbook(
    sb: Sandbox, service: ExportService, tmp_path: Path
) -> None:
    target = tmp_path / "book.xlsx"
    reports = (
        ReportRequest("customers", include_children=True, columns=("Name", "Currency", "ID")),
        ReportRequest("transactions"),
        ReportRequest("product-availability"),
    )
    _, result = drive(service.run, ExportRequest(connect(sb), reports, target), CancelToken())
    book = openpyxl.load_workbook(target, read_only=True)
    assert book.sheetnames == [
        "Customers",
        "Customer addresses",
        "Customer contacts",
        "Accounting transactions",
        "Stock on hand by location",
        "About this export",
    ]
    book.close()
    ds = sb.dataset
    customers = sorted(
        (c for c in ds.customers if c["Status"] == "Active"), key=lambda c: (c["Name"].casefold(), c["ID"])
    )
    rows = sheet_rows(target, "Customers")
    assert rows[0] == ("Customer", "Currency", "Customer ID")
    assert rows[1:] == [(c["Name"], c["Currency"], c["ID"]) for c in customers]
    addresses = sheet_rows(target, "Customer addresses")
    assert addresses[0][:4] == ("Customer ID", "Customer", "Address type", "Address line 1")
    expected = [
        (c["ID"], c["Name"], cell(a["Type"], "text"), cell(a["Line1"], "text"))
        for c in customers
        for a in c["Addresses"]
    ]
    assert [row[:4] for row in addresses[1:]] == expected
    # Transactions repeat their TaskID and availability rows their product ID: none may be lost.
    assert len(sheet_rows(target, "Accounting transactions")) - 1 == ds.counts["transaction"]
    assert len(sheet_rows(target, "Stock on hand by location")) - 1 == len(ds.availability_keys())
    assert [s.name for s in result.sheets][:3] == ["Customers", "Customer addresses", "Customer contacts"]


def test_repeat_export_gives_the_same_workbook(
    make_sandbox: Callable[..., Sandbox], service: ExportService, tmp_path: Path
) -> None:
    sb = make_sandbox(rate_limit=None, counts={"sale": 30}, shuffle_pages=True)
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for target in (first, second):
        request = ExportRequest(
            connect(sb), (ReportRequest("sales"), ReportRequest("sale-invoice-lines")), target
        )
        drive(service.run, request, CancelToken())
    for title in ("Sales", "Sale invoice lines"):
        rows = sheet_rows(first, title)
        assert len(rows) > 1
        assert rows == sheet_rows(second, title)
    numbers = [row[0] for row in sheet_rows(first, "Sales")[1:]]
    assert numbers == sorted(numbers)


def test_csv_output_writes_one_file_per_sheet(sb: Sandbox, service: ExportService, tmp_path: Path) -> None:
    target = tmp_path / "units.csv"
    request = ExportRequest(connect(sb), (ReportRequest("units"),), target, format=OutputFormat.CSV)
    _, result = drive(service.run, request, CancelToken())
    assert result.files[0] == target
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Name"
    assert lines[1:] == sorted((u["Name"] for u in sb.dataset.refs.units), key=str.casefold)


def test_until_drops_records_changed_at_or_after_the_end(
    sb: Sandbox, service: ExportService, tmp_path: Path
) -> None:
    stamps = sorted(parse_dear_datetime(s["Updated"]) for s in sb.dataset.sales)
    until = stamps[len(stamps) // 2]
    target = tmp_path / "until.xlsx"
    report = ReportRequest("sales", columns=("OrderNumber",), until=until)
    _, result = drive(service.run, ExportRequest(connect(sb), (report,), target), CancelToken())
    kept = sorted(s["OrderNumber"] for s in sb.dataset.sales if parse_dear_datetime(s["Updated"]) < until)
    assert [row[0] for row in sheet_rows(target, "Sales")[1:]] == kept
    assert f"{SALES - len(kept)} sales changed on or after" in result.notes[0]


def test_cancel_stops_and_leaves_no_file(sb: Sandbox, service: ExportService, tmp_path: Path) -> None:
    target = tmp_path / "cancelled.xlsx"
    cancel = CancelToken()

    def on_progress(event: Progress) -> None:
        if event.phase == "details":
            cancel.cancel()

    request = ExportRequest(connect(sb), (ReportRequest("sale-order-lines"),), target)
    with pytest.raises(Cancelled):
        service.run(request, cancel, on_progress)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    assert sb.call_counts().get("sale", 0) < SALES


def test_wrong_key_is_an_authentication_error(sb: Sandbox, service: ExportService, tmp_path: Path) -> None:
    connection = connect(sb, key="00000000-0000-0000-0000-000000000000")
    with pytest.raises(AuthenticationError):
        drive(
            service.run,
            ExportRequest(connection, (ReportRequest("sales"),), tmp_path / "x.xlsx"),
            CancelToken(),
        )
    assert list(tmp_path.iterdir()) == []


def test_waits_for_the_limit_are_reported(make_sandbox: Callable[..., Sandbox], tmp_path: Path) -> None:
    sb = make_sandbox(rate_limit=None, seed=77, counts={"sale": 14})
    limit = RateLimit(8, 2)
    request = ExportRequest(connect(sb, limit), (ReportRequest("sale-order-lines"),), tmp_path / "w.xlsx")
    events, result = drive(ExportService(cache=None).run, request, CancelToken())
    waits = [e for e in events if e.phase == "waiting"]
    assert waits, [e.message for e in events]
    assert "DEAR limits us to 8 requests every 2 seconds; continuing in" in waits[0].message
    assert waits[0].waiting_seconds >= 1.5
    assert result.complete


def test_estimate_reads_totals_cheaply_and_explains_the_cost(
    sb: Sandbox, service: ExportService, tmp_path: Path
) -> None:
    request = ExportRequest(
        connect(sb, RateLimit(60, 60)),
        (ReportRequest("sale-order-lines"), ReportRequest("customers")),
        tmp_path / "x.xlsx",
    )
    estimate = service.estimate(request, CancelToken())
    assert sb.total_calls == 2
    first, second = estimate.reports
    assert (first.records, first.calls) == (SALES, SALES + 1)
    assert (second.records, second.calls) == (
        25 - sum(sb.dataset.is_deprecated("customer", i) for i in range(25)),
        1,
    )
    assert estimate.calls == SALES + 2
    assert f"{SALES} sales need one request each: about 1 minute." in estimate.explanation
    assert "at 60 requests a minute" in estimate.explanation
    assert not (tmp_path / "x.xlsx").exists()


def test_cache_serves_unchanged_details_on_the_next_export(sb: Sandbox, tmp_path: Path) -> None:
    service = ExportService(cache=CacheService(tmp_path / "data"))
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    _, cold = drive(
        service.run, ExportRequest(connect(sb), (ReportRequest("sale-order-lines"),), first), CancelToken()
    )
    sb.reset_counts()
    _, warm = drive(
        service.run, ExportRequest(connect(sb), (ReportRequest("sale-order-lines"),), second), CancelToken()
    )
    assert cold.from_cache == 0 and warm.from_cache == SALES
    assert sb.call_counts().get("sale", 0) == 0
    assert sheet_rows(first, "Sale order lines") == sheet_rows(second, "Sale order lines")
    assert about(second)["From the local cache"] == [f"{SALES} record(s)"]


def test_wording_helpers() -> None:
    assert describe_duration(20) == "under a minute"
    assert describe_duration(1250) == "about 21 minutes"
    assert describe_duration(3600 + 25 * 60) == "about 1 hour 25 minutes"
    assert describe_limit(RateLimit(60, 60)) == "60 requests a minute"
    assert describe_limit(RateLimit(30, 3)) == "30 requests every 3 seconds"
    assert repr(ExportService(cache=None)) == "ExportService(cache=off)"


def test_every_report_exports_with_its_child_sheets(
    make_sandbox: Callable[..., Sandbox], tmp_path: Path
) -> None:
    counts = {"sale": 20, "purchase": 30, "stockadjustment": 8, "stocktransfer": 8, "finishedgoods": 8}
    sb = make_sandbox(rate_limit=None, counts={**counts, "product": 30, "customer": 10, "supplier": 6})
    target = tmp_path / "everything.xlsx"
    reports = tuple(ReportRequest(spec.key, include_children=True) for spec in catalogue.ENDPOINTS)
    _, result = drive(
        ExportService(cache=None).run, ExportRequest(connect(sb), reports, target), CancelToken()
    )
    assert result.complete
    book = openpyxl.load_workbook(target, read_only=True)
    try:
        for spec in catalogue.ENDPOINTS:
            title = catalogue.sheet_title(spec)
            rows = list(book[title].iter_rows(values_only=True))
            assert rows[0] == tuple(c.header for c in spec.columns if c.default), spec.key
            assert len(rows) > 1, f"{spec.key}: no rows"
            for child in spec.children:
                assert len(list(book[child.label].iter_rows(values_only=True))) > 1, child.label
    finally:
        book.close()
    assert len(result.notes) == len(catalogue.ENDPOINTS)


def test_nested_objects_become_dotted_columns(sb: Sandbox, service: ExportService, tmp_path: Path) -> None:
    target = tmp_path / "ship.xlsx"
    report = ReportRequest(
        "sale-order-lines", columns=("OrderNumber", "Ship-to city", "ShippingAddress.Country")
    )
    drive(service.run, ExportRequest(connect(sb), (report,), target), CancelToken())
    rows = sheet_rows(target, "Sale order lines")
    assert rows[0] == ("Order number", "Ship-to city", "Ship-to country")
    ds = sb.dataset
    expected = []
    for i in sorted(range(SALES), key=lambda i: ds.sales[i]["OrderNumber"]):
        detail = ds.detail("sale", i)
        address = detail["ShippingAddress"] or {}
        expected += [
            (
                ds.sales[i]["OrderNumber"],
                cell(address.get("City"), "text"),
                cell(address.get("Country"), "text"),
            )
        ] * len(detail["Order"]["Lines"])
    assert rows[1:] == expected
    assert any(city for _, city, _ in rows[1:])


def test_progress_is_throttled_and_the_last_event_is_the_result(
    sb: Sandbox, service: ExportService, tmp_path: Path
) -> None:
    request = ExportRequest(connect(sb), (ReportRequest("sale-order-lines"),), tmp_path / "t.xlsx")
    seen: list[tuple[float, Progress]] = []
    result = service.run(request, CancelToken(), lambda event: seen.append((time.monotonic(), event)))
    details = [(when, event) for when, event in seen if event.phase == "details"]
    assert details
    # At most about five a second reach the listener; the one held back last is delivered when
    # the report ends, so the listener always sees the final count.
    gaps = [later[0] - earlier[0] for earlier, later in itertools.pairwise(details[:-1])]
    assert all(gap >= 0.19 for gap in gaps), gaps
    assert details[-1][1].records_done == details[-1][1].records_total == SALES
    rows = result.sheets[0].rows
    last = seen[-1][1]
    assert (last.phase, last.records_done, last.records_total) == ("done", rows, rows)
