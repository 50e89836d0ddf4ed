"""``export --connection A --connection B`` and ``--all-connections``: several companies, one workbook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from app import cli
from app.errors import EXIT_AUTH, EXIT_OK, EXIT_USAGE
from app.sandbox import Sandbox
from app.wiring import user_services
from tests.conftest import MemoryKeyring

REPORTS = ("--endpoint", "sale-order-lines", "--endpoint", "products", "--no-cache")


def workbook(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet of a workbook, every row as a tuple of cell values."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            name: [tuple(row) for row in book[name].iter_rows(values_only=True)] for name in book.sheetnames
        }
    finally:
        book.close()


@pytest.fixture
def companies(make_sandbox: Callable[..., Sandbox]) -> dict[str, Sandbox]:
    """Two saved companies of different sizes and a third whose key DEAR refuses."""
    made = {
        "North": make_sandbox(rate_limit=None, seed=3, counts={"sale": 14, "product": 11}),
        "South": make_sandbox(rate_limit=None, seed=4, counts={"sale": 6, "product": 5}),
        "Refused": make_sandbox(rate_limit=None, seed=5, counts={"sale": 3}),
    }
    store = user_services().connections
    for name, sb in made.items():
        key = "wrong-key-for-this-test" if name == "Refused" else sb.application_key
        store.add(name, sb.account_id, key, base_url=sb.base_url, rate_limit="1000/1")
    return made


def export(tmp_path: Path, out: str, *options: str) -> int:
    return cli.dispatch(cli.parse(["export", *options, *REPORTS, "--out", str(tmp_path / out)]))


def test_two_companies_and_a_refused_one_exit_3_with_the_others_written(
    companies: dict[str, Sandbox], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each company alone, as today: no Company column. These are what the joint sheets must hold.
    for name in ("North", "South"):
        assert export(tmp_path, f"{name}.xlsx", "--connection", name) == EXIT_OK
    alone = {name: workbook(tmp_path / f"{name}.xlsx") for name in ("North", "South")}
    assert alone["North"]["Products"][0][0] != "Company"
    capsys.readouterr()

    code = export(
        tmp_path, "all.xlsx", "--connection", "North", "--connection", "South", "--connection", "Refused"
    )

    out, err = capsys.readouterr()
    assert code == EXIT_AUTH
    assert "the company 'Refused' was not exported" in err
    assert "'North'" not in err and "'South'" not in err  # only the refused company is an error
    assert "\nNorth: " in err and "\nSouth: " in err  # progress names each company, one a line
    joint = workbook(tmp_path / "all.xlsx")
    assert list(joint) == ["Sale order lines", "Products", "About this export"]
    for sheet in ("Sale order lines", "Products"):
        rows = joint[sheet]
        assert rows[0] == ("Company", "Company's base currency", *alone["North"][sheet][0])
        expected = [("North", "NZD", *row) for row in alone["North"][sheet][1:]]
        expected += [("South", "NZD", *row) for row in alone["South"][sheet][1:]]
        assert rows[1:] == expected  # cell by cell, each company's rows complete and together
    products = joint["Products"]
    assert sum(1 for row in products if row[0] == "North") == 11
    assert sum(1 for row in products if row[0] == "South") == 5
    about = {row[0]: row[1] for row in joint["About this export"] if len(row) > 1}
    assert about["Company"] == "North, South, Refused"
    assert "DEAR did not accept" in str(about["Refused: not exported"])
    assert about["North: rows in sheet Products"] == "11"
    assert about["South: rows in sheet Products"] == "5"
    assert about["North: complete"].startswith("Yes")
    assert "base currency NZD" in str(about["South: company"])
    assert about["North: filters"] == (
        "Sale order lines: No filters (every record) | Products: No filters (every record)"
    )
    assert "Wrote" in out


def test_all_connections_exports_every_saved_company(
    companies: dict[str, Sandbox], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user_services().connections.remove("Refused")
    assert export(tmp_path, "every.csv", "--all-connections") == EXIT_OK
    lines = (tmp_path / "every - Products.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Company,Company's base currency,")
    names = [line.split(",")[0] for line in lines[1:]]
    assert names == ["North"] * 11 + ["South"] * 5


def test_connection_and_all_connections_together_is_bad_usage(
    companies: dict[str, Sandbox], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export(tmp_path, "x.xlsx", "--connection", "North", "--all-connections") == EXIT_USAGE
    assert "either --connection or --all-connections" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def forget_key(memory_keyring: MemoryKeyring, key: str) -> None:
    """Remove one company's key from the keyring, as a keyring reset or a new computer would."""
    (entry,) = [entry for entry, value in memory_keyring.entries.items() if value == key]
    del memory_keyring.entries[entry]


def test_all_connections_with_a_key_missing_writes_the_others_and_exits_3(
    companies: dict[str, Sandbox],
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user_services().connections.remove("Refused")
    forget_key(memory_keyring, companies["North"].application_key)  # the first company, too

    code = export(tmp_path, "every.xlsx", "--all-connections")

    err = capsys.readouterr().err
    assert code == EXIT_AUTH  # a credentials problem, as a refused key; not 2: the command was right
    assert "the company 'North' was not exported" in err
    assert "Application Key for 'North' is missing" in err
    assert "'South'" not in err
    joint = workbook(tmp_path / "every.xlsx")
    assert [row[0] for row in joint["Products"][1:]] == ["South"] * 5
    about = {row[0]: row[1] for row in joint["About this export"] if len(row) > 1}
    assert "is missing" in str(about["North: not exported"])


def test_one_company_with_its_key_missing_still_stops_before_reading(
    companies: dict[str, Sandbox],
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    forget_key(memory_keyring, companies["North"].application_key)
    assert export(tmp_path, "north.xlsx", "--connection", "North") == EXIT_USAGE
    assert "Application Key for 'North' is missing" in capsys.readouterr().err
    assert not (tmp_path / "north.xlsx").exists()
    assert not companies["North"].stats()["counts"]  # nothing was asked of DEAR


def test_every_key_missing_stops_as_one_company_does(
    companies: dict[str, Sandbox],
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("North", "South"):
        forget_key(memory_keyring, companies[name].application_key)
    code = export(tmp_path, "both.xlsx", "--connection", "North", "--connection", "South")
    assert code == EXIT_USAGE  # nothing could be read at all: the first company's error, as alone
    assert "Application Key for 'North' is missing" in capsys.readouterr().err
    assert not (tmp_path / "both.xlsx").exists()
