"""Several companies in one export, through the export service: two sandboxes and a refused third."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from app.errors import EXIT_API, EXIT_AUTH, AuthenticationError, Cancelled
from app.models import (
    CancelToken,
    Connection,
    ExportRequest,
    OutputFormat,
    Progress,
    RateLimit,
    ReportRequest,
)
from app.sandbox import Sandbox
from app.wiring import Services

FAST = RateLimit(1000, 1)


def saved(services: Services, name: str, sb: Sandbox, *, key: str | None = None) -> Connection:
    """Save a connection to ``sb`` (``key`` overrides the sandbox's own key) and return it."""
    services.connections.add(
        name, sb.account_id, key or sb.application_key, base_url=sb.base_url, rate_limit=FAST
    )
    return services.connections.get(name)


def sheet_rows(path: Path, title: str) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in book[title].iter_rows(values_only=True)]
    finally:
        book.close()


@pytest.fixture
def two(make_sandbox: Callable[..., Sandbox], services: Services) -> tuple[Connection, Connection]:
    north = make_sandbox(rate_limit=None, seed=1, counts={"sale": 12, "product": 15})
    south = make_sandbox(rate_limit=None, seed=2, counts={"sale": 9, "product": 7})
    return saved(services, "North", north), saved(services, "South", south)


def test_two_companies_give_one_sheet_with_a_company_column(
    two: tuple[Connection, Connection], services: Services, tmp_path: Path
) -> None:
    # One-company exports of each: what each company's rows must be, cell by cell.
    alone = {}
    for connection in two:
        out = tmp_path / f"{connection.name}.xlsx"
        request = ExportRequest(connection, (ReportRequest("products"),), out)
        services.exporter.run(request, CancelToken())
        alone[connection.name] = sheet_rows(out, "Products")

    events: list[Progress] = []
    out = tmp_path / "both.xlsx"
    request = ExportRequest.for_companies(two, reports=(ReportRequest("products"),), output=out)
    result = services.exporter.run(request, CancelToken(), events.append)

    rows = sheet_rows(out, "Products")
    header = alone["North"][0]
    assert rows[0] == ("Company", "Company's base currency", *header)
    body = rows[1:]
    north_rows = [row for row in body if row[0] == "North"]
    south_rows = [row for row in body if row[0] == "South"]
    assert body == north_rows + south_rows  # each company's rows together, in the order chosen
    assert [row[2:] for row in north_rows] == alone["North"][1:]
    assert [row[2:] for row in south_rows] == alone["South"][1:]
    assert len(north_rows) == 15 and len(south_rows) == 7
    assert {row[1] for row in body} == {"NZD"}  # the sandbox's /me Currency
    assert result.failures == ()
    assert result.complete
    assert [sheet.rows for sheet in result.sheets] == [22]
    assert any(len(event.companies) == 2 for event in events)
    assert events[-1].phase == "done"


def test_a_refused_company_is_named_and_the_others_are_written(
    two: tuple[Connection, Connection],
    make_sandbox: Callable[..., Sandbox],
    services: Services,
    tmp_path: Path,
) -> None:
    refused = saved(services, "Refused", make_sandbox(rate_limit=None), key="not-the-key-0000")
    out = tmp_path / "three.xlsx"
    request = ExportRequest.for_companies((*two, refused), reports=(ReportRequest("products"),), output=out)
    result = services.exporter.run(request, CancelToken())
    assert [f.company for f in result.failures] == ["Refused"]
    assert result.failures[0].exit_status == EXIT_AUTH
    assert not result.complete
    companies = [row[0] for row in sheet_rows(out, "Products")[1:]]
    assert companies == ["North"] * 15 + ["South"] * 7
    about = {str(row[0]): row[1] for row in sheet_rows(out, "About this export") if len(row) > 1}
    assert "Refused: not exported" in about
    assert about["North: rows in sheet Products"] == "15"
    assert about["South: rows in sheet Products"] == "7"


def test_every_company_refused_fails_like_one_and_writes_nothing(
    make_sandbox: Callable[..., Sandbox], services: Services, tmp_path: Path
) -> None:
    sb = make_sandbox(rate_limit=None)
    one = saved(services, "One", sb, key="wrong-key-1111")
    other = saved(services, "Other", sb, key="wrong-key-2222")
    out = tmp_path / "none.xlsx"
    request = ExportRequest.for_companies((one, other), reports=(ReportRequest("products"),), output=out)
    with pytest.raises(AuthenticationError):
        services.exporter.run(request, CancelToken())
    assert not out.exists()


def test_an_unreachable_company_exits_4_and_the_other_is_written(
    two: tuple[Connection, Connection], services: Services, tmp_path: Path
) -> None:
    north, _ = two
    services.connections.add(
        "Offline", "acc", "key-offline-1234", base_url="http://127.0.0.1:9/", rate_limit=FAST
    )
    offline = services.connections.get("Offline")
    out = tmp_path / "two.csv"
    request = ExportRequest.for_companies(
        (offline, north), reports=(ReportRequest("products"),), output=out, format=OutputFormat.CSV
    )
    result = services.exporter.run(request, CancelToken())
    assert [(f.company, f.exit_status) for f in result.failures] == [("Offline", EXIT_API)]
    lines = (tmp_path / "two.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["North"] * 15
    assert "Offline was not exported" in " ".join(result.notes)


def test_a_cancel_stops_every_company_and_writes_nothing(
    make_sandbox: Callable[..., Sandbox], services: Services, tmp_path: Path
) -> None:
    slow = [make_sandbox(rate_limit=(5, 2.0), seed=seed, counts={"sale": 40}) for seed in (51, 52)]
    connections = []
    for n, sb in enumerate(slow):
        services.connections.add(
            f"Slow {n}", sb.account_id, sb.application_key, base_url=sb.base_url, rate_limit="5/2"
        )
        connections.append(services.connections.get(f"Slow {n}"))
    cancel = CancelToken()
    out = tmp_path / "cancelled.xlsx"

    def on_progress(event: Progress) -> None:
        if event.phase == "details":
            cancel.cancel()

    request = ExportRequest.for_companies(
        connections, reports=(ReportRequest("sale-order-lines"),), output=out
    )
    with pytest.raises(Cancelled):
        services.exporter.run(request, cancel, on_progress)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_the_estimate_of_several_companies_is_the_slowest_s_not_the_sum(
    make_sandbox: Callable[..., Sandbox], services: Services, tmp_path: Path
) -> None:
    big = saved(services, "Big", make_sandbox(rate_limit=None, seed=61, counts={"sale": 90}))
    small = saved(services, "Small", make_sandbox(rate_limit=None, seed=62, counts={"sale": 20}))
    refused = saved(services, "Refused", make_sandbox(rate_limit=None, seed=63), key="wrong-key-estimate")
    reports = (ReportRequest("sale-order-lines"),)
    alone = {
        c.name: services.exporter.estimate(ExportRequest(c, reports, tmp_path / "x.xlsx"), CancelToken())
        for c in (big, small)
    }
    assert alone["Big"].seconds > alone["Small"].seconds

    both = services.exporter.estimate(
        ExportRequest.for_companies((small, big, refused), reports=reports, output=tmp_path / "x.xlsx"),
        CancelToken(),
    )

    assert both.seconds == alone["Big"].seconds
    assert both.calls == alone["Big"].calls + alone["Small"].calls
    assert "Refused could not be asked" in both.explanation
    assert "as long as the slowest, Big" in both.explanation


def test_each_company_keeps_its_own_local_cache(
    two: tuple[Connection, Connection], services: Services, tmp_path: Path
) -> None:
    reports = (ReportRequest("sale-order-lines"),)
    first = services.exporter.run(
        ExportRequest.for_companies(two, reports=reports, output=tmp_path / "1.xlsx"), CancelToken()
    )
    again = services.exporter.run(
        ExportRequest.for_companies(two, reports=reports, output=tmp_path / "2.xlsx"), CancelToken()
    )
    assert first.from_cache == 0
    assert again.from_cache == 12 + 9  # every sale of both companies, each from its own cache
    assert {c.name for c in two} == {"North", "South"}
    assert all(services.cache.path_for(services.connections.info(c.name)).exists() for c in two)
    assert sheet_rows(tmp_path / "1.xlsx", "Sale order lines") == sheet_rows(
        tmp_path / "2.xlsx", "Sale order lines"
    )


def test_several_companies_keep_two_requests_in_flight_each_and_one_company_four_again(
    two: tuple[Connection, Connection], services: Services, tmp_path: Path
) -> None:
    from app.api.governor import RateGovernor
    from app.services.exporting.companies import SEVERAL_IN_FLIGHT

    def in_flight(connection: Connection) -> int:
        return RateGovernor.for_key(connection.application_key, connection.rate_limit).max_in_flight

    request = ExportRequest.for_companies(
        two, reports=(ReportRequest("products"),), output=tmp_path / "b.xlsx"
    )
    services.exporter.run(request, CancelToken())
    assert SEVERAL_IN_FLIGHT == 2
    assert [in_flight(connection) for connection in two] == [2, 2]  # each key's one governor, bounded

    services.exporter.run(
        ExportRequest(two[0], (ReportRequest("products"),), tmp_path / "n.xlsx"), CancelToken()
    )
    assert in_flight(two[0]) == 4  # a one-company export is not slowed by an earlier joint one
