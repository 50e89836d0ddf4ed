"""``export --into``, ``--snapshot`` and ``refresh``, run as a scheduler runs them, on workbooks a user built.

The Done-when scenario of issue 13: an export, a user's sheet with totals, a chart and a pivot
table added in a spreadsheet program (LibreOffice through UNO), DEAR changes some sales, and
``refresh`` leaves the user's parts byte for byte as they were while their totals show the new
quantities when the workbook opens.
"""

from __future__ import annotations

import json
import re
import urllib.request
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from app import cli
from app.export.package.workbook_part import TABLE_REL, Package, resolve
from app.sandbox import Sandbox
from app.wiring import user_services
from tests.cli_process import run_cli
from tests.export.package.lo import build_user_workbook, read_recalculated, require_libreoffice

LINES = "Sale order lines"
ABOUT = "About this export"
LOCATIONS = "Locations and bins"
SHARED = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"}


def _sales_with_order_lines(sb: Sandbox, count: int) -> list[str]:
    """Return the IDs of ``count`` sales, spread over the list, whose order has lines (read over HTTP)."""
    headers = {"api-auth-accountid": sb.account_id, "api-auth-applicationkey": sb.application_key}

    def get(path: str) -> dict[str, Any]:
        request = urllib.request.Request(sb.base_url + path, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as answer:
            return dict(json.load(answer))

    sales = get("saleList?Page=1&Limit=1000")["SaleList"]
    step = max(1, len(sales) // (count * 3))
    chosen: list[str] = []
    for row in sales[::step]:
        if (get(f"sale?ID={row['SaleID']}").get("Order") or {}).get("Lines"):
            chosen.append(row["SaleID"])
        if len(chosen) == count:
            return chosen
    raise AssertionError(f"fewer than {count} sales with order lines in the sandbox")


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _table_ref(path: Path, sheet_name: str) -> str:
    """The range of the table on ``sheet_name``, read from the package (openpyxl cannot load a
    workbook holding LibreOffice's charts in full)."""
    with zipfile.ZipFile(path) as archive:
        package = Package(archive, path)
        sheet = next(s for s in package.sheets if s.name == sheet_name)
        part = package.sheet_part(sheet)
        _, rels = package.part_rels(part)
        (table,) = [resolve(part, rel.target) for rel in rels if rel.type == TABLE_REL]
        match = re.search(rb'<table\b[^>]*\sref="([^"]+)"', package.read(table))
        assert match is not None
        return match.group(1).decode()


def _quantities(path: Path, sheet: str = LINES) -> tuple[list[float], str]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book[sheet].iter_rows(values_only=True))
    book.close()
    header = list(rows[0])
    column = header.index("Quantity")
    assert _table_ref(path, sheet) == f"A1:{get_column_letter(len(header))}{len(rows)}", (
        "the table covers every row"
    )
    return [float(row[column]) for row in rows[1:] if row[column] is not None], get_column_letter(column + 1)


def _ours(path: Path) -> set[str]:
    """The members a refresh may write: our sheets, their tables, our metadata, the shared parts."""
    with zipfile.ZipFile(path) as archive:
        package = Package(archive, path)
        found = set(SHARED)
        for sheet in package.sheets:
            if sheet.name in (LINES, ABOUT):
                part = package.sheet_part(sheet)
                found.add(part)
                _, rels = package.part_rels(part)
                found |= {resolve(part, rel.target) for rel in rels if rel.type == TABLE_REL}
        found |= {
            n
            for n in package.names
            if re.fullmatch(r"customXml/item\d+\.xml", n) and b"dear-export" in package.read(n)
        }
        found |= {n for n in package.names if n.startswith("xl/pivotCache/pivotCacheDefinition")}
    return found


def test_done_when_a_users_totals_chart_and_pivot_survive_a_refresh_and_show_new_figures(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    require_libreoffice()
    home = tmp_path / "home"
    exported = tmp_path / "export.xlsx"
    done = run_cli(sandbox, home, "export", "--endpoint", "sale-order-lines", "--out", str(exported))
    assert done.returncode == 0, done.stderr
    before_quantities, column = _quantities(exported)
    workbook = tmp_path / "w.xlsx"
    seen = build_user_workbook(exported, workbook, LINES, "SaleOrderLines", column)
    assert seen["total"] == pytest.approx(sum(before_quantities))
    assert seen["plain"] == pytest.approx(sum(before_quantities))
    before = _members(workbook)
    assert any(name.startswith("xl/charts/") for name in before), "the user's chart is in the file"
    assert any(name.startswith("xl/pivotTables/") for name in before), "the user's pivot table is in the file"

    # DEAR changes some sales: each first order line's quantity + 1 (sales with order lines only:
    # a quote has none, so touching it changes no row of this report)
    touched = sandbox.touch("sale", _sales_with_order_lines(sandbox, 5))
    done = run_cli(sandbox, home, "refresh", str(workbook))
    assert done.returncode == 0, done.stderr
    assert "Wrote" in done.stdout

    after = _members(workbook)
    ours = _ours(workbook)
    assert set(before) <= set(after), "nothing of the user's is gone"
    for name, data in before.items():
        if name not in ours:
            assert after[name] == data, f"{name} changed"
    for name in (n for n in before if n.startswith("xl/pivotCache/pivotCacheDefinition")):
        # The only change to a pivot cache: refresh it when the file opens.
        assert b'refreshOnLoad="1"' in after[name]
        assert re.sub(rb'\s*refreshOnLoad="[01]"', b"", after[name]) == re.sub(
            rb'\s*refreshOnLoad="[01]"', b"", before[name]
        )
    after_quantities, _ = _quantities(workbook)
    assert sum(after_quantities) == pytest.approx(sum(before_quantities) + len(touched))
    shown = read_recalculated(workbook, "My summary", "B1", "B2", "B3")
    assert shown["values"]["B1"] == pytest.approx(sum(after_quantities))  # =SUM(SaleOrderLines[Quantity])
    assert shown["values"]["B2"] == pytest.approx(sum(after_quantities))  # a plain range formula
    assert shown["values"]["B3"] == len(after_quantities)  # =ROWS(SaleOrderLines[Quantity])
    assert shown["sheets"] == [LINES, ABOUT, "My summary"]
    # The chart on the data sheet survives its sheet being rewritten; the summary keeps its
    # chart, pivot table and picture.
    assert shown["charts"] == {LINES: 1, ABOUT: 0, "My summary": 1}
    assert shown["shapes"][LINES] == 1
    assert shown["shapes"]["My summary"] >= 2
    assert any(name.startswith("xl/media/") for name in after), "the picture is still in the file"


def test_into_adds_reports_and_snapshot_keeps_one_copy_a_day(sandbox: Sandbox, tmp_path: Path) -> None:
    home = tmp_path / "home"
    workbook = tmp_path / "book.xlsx"
    done = run_cli(sandbox, home, "export", "--endpoint", "customers", "--into", str(workbook))
    assert done.returncode == 0, done.stderr
    first = _members(workbook)
    done = run_cli(sandbox, home, "export", "--endpoint", "locations", "--into", str(workbook), "--snapshot")
    assert done.returncode == 0, done.stderr
    done = run_cli(sandbox, home, "export", "--endpoint", "locations", "--into", str(workbook), "--snapshot")
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == ["Customers", ABOUT, LOCATIONS]
    locations = book[LOCATIONS]
    assert locations["A1"].value == "Snapshot date"
    stamps = {row[0].value for row in locations.iter_rows(min_row=2)}
    assert stamps == {datetime.combine(datetime.now().date(), datetime.min.time())}
    rows_today = locations.max_row - 1
    done = run_cli(sandbox, home, "export", "--endpoint", "locations", "--out", str(tmp_path / "plain.xlsx"))
    assert done.returncode == 0, done.stderr
    # The same day twice: one copy of the rows, as many as a plain export has.
    assert rows_today == openpyxl.load_workbook(tmp_path / "plain.xlsx")[LOCATIONS].max_row - 1
    # The customers sheet was not part of these exports: its bytes did not move.
    after = _members(workbook)
    customers_part = "xl/worksheets/sheet1.xml"
    assert after[customers_part] == first[customers_part]
    # A refresh runs both reports again; the snapshot report replaces today's rows once more.
    done = run_cli(sandbox, home, "refresh", str(workbook))
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(workbook)[LOCATIONS].max_row - 1 == rows_today


def test_refresh_refuses_a_workbook_without_reports_and_usage_errors(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    before = plain.read_bytes()
    done = run_cli(sandbox, home, "refresh", str(plain))
    assert done.returncode == 5
    assert "holds no reports written by DEAR Export" in done.stderr
    assert plain.read_bytes() == before
    done = run_cli(sandbox, home, "export", "--endpoint", "customers", "--snapshot", "--out", str(plain))
    assert done.returncode == 2
    assert "--snapshot needs --into" in done.stderr
    done = run_cli(sandbox, home, "export", "--endpoint", "customers")
    assert done.returncode == 2
    assert "No file to write was given" in done.stderr
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    done = run_cli(sandbox, home, "export", "--endpoint", "customers", "--into", str(locked))
    assert done.returncode == 5
    assert "protected with a password" in done.stderr


def test_refresh_takes_the_connection_the_workbook_records_when_it_is_saved_here(
    sandbox: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # In-process, so the test's in-memory keyring holds the saved key; no environment variables.
    monkeypatch.delenv("DEAR_ACCOUNT_ID", raising=False)
    monkeypatch.delenv("DEAR_APPLICATION_KEY", raising=False)
    connections = user_services().connections
    connections.add("Acme", sandbox.account_id, sandbox.application_key, base_url=sandbox.base_url)
    book = tmp_path / "book.xlsx"
    export = ["export", "--connection", "Acme", "--endpoint", "units", "--into", str(book), "--yes"]
    assert cli.dispatch(cli.parse(export)) == 0
    assert cli.dispatch(cli.parse(["refresh", str(book), "--yes"])) == 0
    assert "Wrote 6 rows (Units of measure) to book.xlsx" in capsys.readouterr().out
    # Once that connection is gone, and with no credentials in the environment: bad usage (2),
    # as for export, and the file is kept.
    connections.remove("Acme")
    before = book.read_bytes()
    assert cli.dispatch(cli.parse(["refresh", str(book), "--yes"])) == 2
    assert "No DEAR credentials were given" in capsys.readouterr().err
    assert book.read_bytes() == before
