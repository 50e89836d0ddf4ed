"""``python -m app presets ...`` and ``run-preset``: real parser, sandbox, workbooks read back."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.main import run
from app.models import OutputFormat, ReportRequest
from app.sandbox import Sandbox
from app.services.presets import Preset, PresetStore
from app.wiring import user_services

KEY = "b7d1e2f3-a4b5-46c7-98d9-0a1b2c3d4e5f"


@pytest.fixture(autouse=True)
def fresh_logging() -> Iterator[None]:
    """Let each run configure logging into this test's own app home, then undo it."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    flag = root.__dict__.pop("_dear_export_configured", None)
    yield
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    root.__dict__.pop("_dear_export_configured", None)
    if flag is not None:
        root.__dict__["_dear_export_configured"] = flag


def _add_connection(monkeypatch: pytest.MonkeyPatch, name: str, sandbox: Sandbox | None = None) -> None:
    if sandbox is None:
        argv = ["connections", "add", name, "--account-id", "acc-1", "--no-test"]
        key = KEY
    else:
        argv = [
            "connections",
            "add",
            name,
            "--account-id",
            sandbox.account_id,
            "--base-url",
            sandbox.base_url,
        ]
        key = sandbox.application_key
    monkeypatch.setattr("sys.stdin", io.StringIO(key + "\n"))
    assert run(argv) == 0


def _presets() -> PresetStore:
    """The presets as the commands see them (the test's private home)."""
    return user_services().presets


# ----------------------------------------------------------------------------- presets actions


def test_list_export_import_rename_delete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["presets", "list"]) == 0
    assert "No presets yet" in capsys.readouterr().out
    _presets().save(
        Preset("Monthly sales", "Acme NZ", (ReportRequest("sales"), ReportRequest("customers")), "last-month")
    )
    assert run(["presets", "list"]) == 0
    assert (
        capsys.readouterr().out.strip() == "Monthly sales  (connection Acme NZ; Last month; sales, customers)"
    )

    assert run(["presets", "export", "monthly sales", str(tmp_path)]) == 0
    shared = tmp_path / "Monthly sales.json"
    assert f"Saved the preset to {shared}" in capsys.readouterr().out
    assert json.loads(shared.read_text(encoding="utf-8"))["preset"]["name"] == "Monthly sales"

    assert run(["presets", "rename", "Monthly sales", "Sales (monthly)"]) == 0
    assert run(["presets", "import", str(shared)]) == 0
    assert "Imported the preset 'Monthly sales' (connection Acme NZ)." in capsys.readouterr().out
    assert _presets().names() == ["Monthly sales", "Sales (monthly)"]
    assert run(["presets", "import", str(shared)]) == 2
    assert "already a preset named 'Monthly sales'" in capsys.readouterr().err
    assert run(["presets", "import", str(shared), "--replace"]) == 0

    assert run(["presets", "delete", "Sales (monthly)"]) == 0
    assert _presets().names() == ["Monthly sales"]


@pytest.mark.parametrize(
    "content",
    [
        json.dumps({"schema": "dear-export-preset", "preset": {"name": "Café"}}, ensure_ascii=False).encode(
            "latin-1"
        ),
        b'\xff\xfe{\x00"\x00s\x00',
    ],
    ids=["latin-1", "utf-16"],
)
def test_a_preset_file_that_is_not_utf8_is_set_aside_and_listing_works(
    app_home: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    _presets().save(Preset("Monthly sales", "Acme NZ", (ReportRequest("sales"),), "last-month"))
    folder = app_home / "config" / "presets"
    (folder / "Café.json").write_bytes(content)

    assert run(["presets", "list"]) == 0

    out, err = capsys.readouterr()
    assert out.startswith("Monthly sales  (connection Acme NZ;")
    assert "The preset file Café.json was damaged, so it was skipped. The damaged file was kept as" in err
    assert "Traceback" not in err
    assert [path.read_bytes() for path in folder.glob("Café.json.damaged-*")] == [content]


def test_importing_a_broken_file_exits_2_with_one_plain_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "from-email.json"
    broken.write_text(
        json.dumps({"schema": "dear-export-preset", "version": 9, "preset": {}}), encoding="utf-8"
    )
    assert run(["presets", "import", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("Error: The file 'from-email.json' was made by a newer version of DEAR Export")
    assert _presets().list() == []


def test_run_preset_failures_are_one_line_with_the_documented_status(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["run-preset", "Nothing"]) == 2
    assert capsys.readouterr().err == (
        "Error: No preset named 'Nothing'. Saved presets: none yet. "
        "Check the spelling (put names with spaces in quotes).\n"
    )

    _presets().save(Preset("Orphan", "Gone Ltd", (ReportRequest("customers"),)))
    assert run(["run-preset", "Orphan"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: No connection named 'Gone Ltd'.")
    assert err.count("\n") == 1

    with pytest.raises(SystemExit) as usage:
        run(["run-preset", "Orphan", "--as-of", "27/11/2026"])
    assert usage.value.code == 2
    assert "'27/11/2026' is not a date" in capsys.readouterr().err


# ----------------------------------------------------------------------------- run-preset end to end


def _utc(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


def _bytes_everywhere(*roots: Path) -> list[tuple[Path, bytes]]:
    """Every file's bytes under ``roots``, and every member of every zip (.xlsx) uncompressed."""
    found: list[tuple[Path, bytes]] = []
    for root in roots:
        for path in root.rglob("*"):
            if not path.is_file():
                continue
            data = path.read_bytes()
            found.append((path, data))
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    found.extend((path / name, archive.read(name)) for name in archive.namelist())
    return found


def test_run_preset_exports_last_month_and_leaves_no_key_in_any_file(
    app_home: Path,
    make_sandbox: Callable[..., Sandbox],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    friday = date(2026, 11, 27)
    sandbox = make_sandbox(rate_limit=None, today=friday)
    _add_connection(monkeypatch, "Demo", sandbox)
    _add_connection(monkeypatch, "Spare")  # a second key that must not leak either
    out_folder = tmp_path / "out"
    _presets().save(
        Preset(
            "Last month's sales",
            "Demo",
            (ReportRequest("sale-order-lines", columns=("OrderNumber", "SKU")), ReportRequest("customers")),
            date_range="last-month",
            output_folder=str(out_folder),
            name_pattern="Sales {from} to {to}",
        )
    )
    capsys.readouterr()

    code = run(["run-preset", "last month's SALES", "--as-of", friday.isoformat()])

    out, err = capsys.readouterr()
    assert code == 0, err
    workbook_path = out_folder / "Sales 2026-10-01 to 2026-10-31.xlsx"
    assert f"Saved {workbook_path}" in out
    start, end = _local_midnight(date(2026, 10, 1)), _local_midnight(date(2026, 11, 1))
    # "Last month" means the sale's order date (a calendar date in DEAR, T00:00:00).
    in_october = [
        s for s in sandbox.dataset.sales if s["OrderDate"] and s["OrderDate"].startswith("2026-10-")
    ]
    # A quote has no order lines, so it adds no row.
    expected_orders = {
        s["OrderNumber"]
        for s in in_october
        if (sandbox.dataset.sale_detail(s["SaleID"])["Order"] or {}).get("Lines")
    }
    expected_customers = {
        c["Name"] for c in sandbox.dataset.customers if start <= _utc(c["LastModifiedOn"]) < end
    }
    assert expected_orders and expected_customers  # the sample data has October activity to find

    book = load_workbook(workbook_path, read_only=True)
    lines = list(book["Sale order lines"].iter_rows(values_only=True))
    assert lines[0] == ("Order number", "SKU")
    assert {row[0] for row in lines[1:]} == expected_orders
    assert all(isinstance(row[1], str) and row[1] for row in lines[1:])
    customers = list(book["Customers"].iter_rows(values_only=True))
    assert {row[0] for row in customers[1:]} == expected_customers
    book.close()

    log_text = "".join(p.read_text(encoding="utf-8") for p in (app_home / "logs").glob("*.log"))
    assert "Running preset 'Last month's sales' with connection 'Demo' (Last month)" in log_text

    # The same preset again, as CSV files in another folder, to cover that writer too.
    preset = _presets().load("Last month's sales")
    _presets().save(Preset(**{**preset.__dict__, "format": OutputFormat.CSV}))
    assert (
        run(["run-preset", "Last month's sales", "--out", str(tmp_path / "csv"), "--as-of", "2026-11-27"])
        == 0
    )
    csv_files = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert "Sales 2026-10-01 to 2026-10-31 - Sale order lines.csv" in csv_files

    secrets = [sandbox.application_key.encode(), KEY.encode()]
    everything = _bytes_everywhere(app_home, tmp_path)
    assert any(path.suffix == ".xlsx" for path, _ in everything)
    assert any(str(path).endswith(".xlsx/xl/worksheets/sheet1.xml") for path, _ in everything)
    leaks = [str(path) for path, data in everything for secret in secrets if secret in data]
    assert leaks == []


def test_run_preset_with_a_rejected_key_exits_3_and_writes_nothing(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(KEY))
    argv = ["connections", "add", "Stale", "--account-id", sandbox.account_id, "--base-url", sandbox.base_url]
    assert run([*argv, "--no-test"]) == 0
    _presets().save(Preset("Customers", "Stale", (ReportRequest("customers"),), output_folder=str(tmp_path)))
    capsys.readouterr()
    assert run(["run-preset", "Customers"]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("Error: ")
    assert err.count("\n") == 1
    assert "did not accept" in err
    assert KEY not in err
    assert list(tmp_path.iterdir()) == []
