"""Living workbooks of several companies: ``export --connection A --connection B --into``, then ``refresh``.

Two sandboxes stand for two DEAR companies, each a saved connection. The workbook records both
(or "every connection"), a refresh reads both again, a company not saved here is named and the
workbook stays untouched, and snapshots put the date first, then the company.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from app import cli
from app.errors import EXIT_AUTH, EXIT_OK, EXIT_USAGE
from app.models import RateLimit, ReportRequest
from app.sandbox import Sandbox
from app.services.presets import Preset
from app.services.workbooks.refresh import read_record
from app.wiring import Services
from tests.export.package.helpers import members

FAST = RateLimit(1000, 1)


@pytest.fixture
def group(make_sandbox: Callable[..., Sandbox], services: Services) -> dict[str, Sandbox]:
    made = {}
    for name, seed, products in (("North", 31, 6), ("South", 32, 4)):
        sb = make_sandbox(rate_limit=None, seed=seed, counts={"product": products})
        services.connections.add(
            name, sb.account_id, sb.application_key, base_url=sb.base_url, rate_limit=FAST
        )
        made[name] = sb
    return made


def run(*args: str) -> int:
    return cli.dispatch(cli.parse([*args, "--yes"]))


def export_both(target: Path) -> Path:
    """Export both companies' products into ``target`` as a living workbook; return ``target``."""
    both = ("--connection", "North", "--connection", "South")
    assert run("export", *both, "--endpoint", "products", "--into", str(target)) == EXIT_OK
    return target


def product_rows(path: Path) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        assert book.sheetnames == ["Products", "About this export"]
        return [tuple(row) for row in book["Products"].iter_rows(values_only=True)]
    finally:
        book.close()


def companies(rows: list[tuple[object, ...]], at: int = 0) -> dict[object, int]:
    counted: dict[object, int] = {}
    for row in rows[1:]:
        counted[row[at]] = counted.get(row[at], 0) + 1
    return counted


def test_refresh_reads_every_company_of_the_workbook_again(
    group: dict[str, Sandbox], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = export_both(tmp_path / "group.xlsx")
    (report,) = read_record(target).reports
    assert report.recipe.companies == ("North", "South") and not report.recipe.all_connections
    assert companies(product_rows(target)) == {"North": 6, "South": 4}

    south = group["South"]
    gone = south.dataset.products[0]["ID"]
    south.delete("product", gone)
    assert run("refresh", str(target)) == EXIT_OK
    rows = product_rows(target)
    assert rows[0][:2] == ("Company", "Company's base currency")
    assert companies(rows) == {"North": 6, "South": 3}
    assert all(gone not in row for row in rows)
    (report,) = read_record(target).reports
    assert report.recipe.companies == ("North", "South")

    # One connection cannot stand in for two companies.
    before = members(target)
    assert run("refresh", str(target), "--connection", "North") == EXIT_USAGE
    assert "several companies" in capsys.readouterr().err
    assert members(target) == before


def test_a_company_not_saved_here_is_named_and_nothing_is_refreshed(
    group: dict[str, Sandbox], services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = export_both(tmp_path / "group.xlsx")
    services.connections.remove("South")
    before = members(target)
    capsys.readouterr()
    # Exit 2, as for ``export --connection`` naming a connection that is not saved.
    assert run("refresh", str(target)) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "“North” and “South”" in err and "no connection named “South” is saved" in err
    assert members(target) == before


def test_all_connections_is_recorded_and_a_refresh_reads_every_connection_saved_then(
    group: dict[str, Sandbox], make_sandbox: Callable[..., Sandbox], services: Services, tmp_path: Path
) -> None:
    target = tmp_path / "all.xlsx"
    assert run("export", "--all-connections", "--endpoint", "products", "--into", str(target)) == EXIT_OK
    (report,) = read_record(target).reports
    assert report.recipe.all_connections
    assert companies(product_rows(target)) == {"North": 6, "South": 4}
    west = make_sandbox(rate_limit=None, seed=33, counts={"product": 2})
    services.connections.add(
        "West", west.account_id, west.application_key, base_url=west.base_url, rate_limit=FAST
    )
    assert run("refresh", str(target)) == EXIT_OK
    assert companies(product_rows(target)) == {"North": 6, "South": 4, "West": 2}


def test_snapshots_of_several_companies_put_the_date_first_then_the_company(
    group: dict[str, Sandbox], tmp_path: Path
) -> None:
    target = tmp_path / "history.xlsx"
    args = ("export", "--connection", "North", "--connection", "South", "--endpoint", "products")
    assert run(*args, "--into", str(target), "--snapshot") == EXIT_OK
    assert run("refresh", str(target)) == EXIT_OK  # the same day: that day's rows replaced, not doubled
    rows = product_rows(target)
    assert rows[0][:3] == ("Snapshot date", "Company", "Company's base currency")
    assert {row[0] for row in rows[1:]} == {datetime.combine(datetime.now().date(), datetime.min.time())}
    assert companies(rows, at=1) == {"North": 6, "South": 4}


def test_a_preset_into_a_workbook_keeps_its_companies(
    group: dict[str, Sandbox], services: Services, tmp_path: Path
) -> None:
    target = tmp_path / "preset.xlsx"
    preset = Preset(
        "Group stock",
        "North",
        (ReportRequest("products"),),
        workbook=str(target),
        snapshot=True,
        companies=("North", "South"),
    )
    services.presets.save(preset)
    assert cli.dispatch(cli.parse(["run-preset", "Group stock"])) == EXIT_OK
    (report,) = read_record(target).reports
    assert report.recipe.companies == ("North", "South") and report.recipe.snapshot
    rows = product_rows(target)
    assert rows[0][:2] == ("Snapshot date", "Company")
    assert companies(rows, at=1) == {"North": 6, "South": 4}


def test_a_company_that_fails_is_named_while_the_others_are_refreshed(
    group: dict[str, Sandbox], services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "group.xlsx"
    args = ("export", "--connection", "North", "--connection", "South", "--endpoint", "products")
    assert run(*args, "--into", str(target)) == EXIT_OK
    south = group["South"]
    services.connections.update("South", application_key="not-the-right-key")
    south.delete("product", south.dataset.products[0]["ID"])
    group["North"].delete("product", group["North"].dataset.products[0]["ID"])
    capsys.readouterr()
    assert run("refresh", str(target)) == EXIT_AUTH
    assert "the company 'South' was not exported" in capsys.readouterr().err
    assert companies(product_rows(target)) == {"North": 5}  # North refreshed; South named, not written
