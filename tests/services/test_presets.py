"""PresetStore: round trips, sharing files, broken imports, and resolving dates into DEAR filters."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.dates import resolve as resolve_range
from app.errors import ConfigurationError, CredentialError
from app.models import (
    Connection,
    OutputFormat,
    ReportRequest,
)
from app.redact import register_secret
from app.services.connections import ConnectionStore
from app.services.presets import (
    PRESET_SCHEMA,
    PRESET_VERSION,
    Preset,
    PresetFileError,
    PresetStore,
    file_name,
    from_document,
    safe_file_stem,
    to_document,
    validated,
)
from app.services.settings import Settings
from app.wiring import Services

FRIDAY = date(2026, 11, 27)
AUCKLAND = timezone(timedelta(hours=13))
KEY = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
CONNECTION = Connection("Acme NZ", "acc-1", KEY)

MONTHLY = Preset(
    name="Monthly sales",
    connection="Acme NZ",
    reports=(
        ReportRequest("sale-order-lines", {"Status": "AUTHORISED"}, ("OrderNumber", "SKU"), False),
        ReportRequest("products", include_children=True),
    ),
    date_range="last-month",
    output_folder="",
    name_pattern="Sales {from} to {to}",
    format=OutputFormat.XLSX,
)


@pytest.fixture
def store(tmp_path: Path) -> PresetStore:
    return PresetStore(tmp_path / "presets")


def test_round_trip(store: PresetStore) -> None:
    path = store.save(MONTHLY)
    assert path.parent == store.folder
    assert store.load("monthly SALES") == MONTHLY
    assert store.list() == [MONTHLY]
    assert store.names() == ["Monthly sales"]
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["schema"] == PRESET_SCHEMA
    assert document["version"] == 1  # one company: still the first format, which older versions read
    assert "companies" not in document["preset"]
    assert document["preset"]["reports"][0] == {
        "key": "sale-order-lines",
        "filters": {"Status": "AUTHORISED"},
        "columns": ["OrderNumber", "SKU"],
        "include_children": False,
    }


def test_the_wired_store_keeps_presets_beside_the_settings_file(services: Services) -> None:
    assert services.presets.folder == services.settings.path.parent / "presets"


def test_save_replaces_a_preset_of_the_same_name_unless_told_not_to(store: PresetStore) -> None:
    first = store.save(MONTHLY)
    changed = Preset("MONTHLY SALES", "Acme NZ", (ReportRequest("customers"),))
    assert store.save(changed) == first
    assert store.load("Monthly sales").reports == (ReportRequest("customers"),)
    with pytest.raises(ConfigurationError, match="already a preset named"):
        store.save(MONTHLY, replace_existing=False)


def test_rename_and_delete(store: PresetStore) -> None:
    store.save(MONTHLY)
    store.save(Preset("Stock", "Acme NZ", (ReportRequest("product-availability"),)))
    renamed = store.rename("monthly sales", "Sales last month")
    assert renamed.name == "Sales last month"
    assert store.names() == ["Sales last month", "Stock"]
    with pytest.raises(ConfigurationError, match="already a preset named 'Stock'"):
        store.rename("Sales last month", "stock")
    store.delete("Stock")
    assert store.names() == ["Sales last month"]
    with pytest.raises(ConfigurationError) as caught:
        store.delete("Stock")
    assert caught.value.message == "No preset named 'Stock'. Saved presets: 'Sales last month'."


def test_names_that_are_not_file_names_still_work(store: PresetStore) -> None:
    odd = Preset('Sales: "NZ" / AU?', "Acme NZ", (ReportRequest("sales"),))
    other = Preset("Sales- -NZ- - AU-", "Acme NZ", (ReportRequest("sales"),))
    store.save(odd)
    store.save(other)
    assert store.names() == sorted([odd.name, other.name], key=str.casefold)
    assert len(list(store.folder.glob("*.json"))) == 2
    assert safe_file_stem("CON") == "_CON"
    assert safe_file_stem(" ... ") == "DEAR export"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"name": "  "}, "A preset needs a name"),
        ({"reports": ()}, "at least one report"),
        ({"reports": (ReportRequest("no-such-report"),)}, "no report called 'no-such-report'"),
        ({"date_range": "fortnight"}, "'fortnight' is not a date range"),
        ({"name_pattern": "Sales {month}"}, "uses {month}, which this app does not know"),
        ({"name_pattern": "Sales {from"}, "without its partner"),
    ],
)
def test_invalid_presets_are_refused_with_a_reason(
    store: PresetStore, change: dict[str, object], words: str
) -> None:
    broken = Preset(**{**MONTHLY.__dict__, **change})  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match=words):
        store.save(broken)
    assert store.list() == []


def test_a_preset_holding_a_registered_key_is_never_saved(store: PresetStore) -> None:
    register_secret(KEY)
    leaky = Preset("Leaky", "Acme NZ", (ReportRequest("sales", {"Search": KEY}),))
    with pytest.raises(ConfigurationError, match="contains an Application Key"):
        store.save(leaky)
    assert not store.folder.exists() or not any(store.folder.iterdir())


def test_rename_connection_updates_only_matching_presets(store: PresetStore) -> None:
    store.save(MONTHLY)
    store.save(Preset("Beta stock", "Beta", (ReportRequest("products"),)))
    assert store.rename_connection("acme nz", "Acme New Zealand") == 1
    assert store.load("Monthly sales").connection == "Acme New Zealand"
    assert store.load("Beta stock").connection == "Beta"


# ----------------------------------------------------------------------------- sharing


def test_export_and_import_round_trip(store: PresetStore, tmp_path: Path) -> None:
    store.save(MONTHLY)
    shared = store.export_file("Monthly sales", tmp_path / "shared.json")
    into_folder = store.export_file("Monthly sales", tmp_path)
    assert into_folder == tmp_path / "Monthly sales.json"
    new_folder = store.export_file("Monthly sales", tmp_path / "for Sam")
    assert new_folder == tmp_path / "for Sam" / "Monthly sales.json"
    assert new_folder.read_text(encoding="utf-8") == into_folder.read_text(encoding="utf-8")
    colleague = PresetStore(tmp_path / "colleague")
    assert colleague.import_file(shared) == MONTHLY
    assert colleague.list() == [MONTHLY]
    with pytest.raises(ConfigurationError, match="already a preset named 'Monthly sales'"):
        colleague.import_file(into_folder)
    assert colleague.import_file(into_folder, replace_existing=True) == MONTHLY


def test_imported_files_lose_unknown_fields_such_as_keys(store: PresetStore, tmp_path: Path) -> None:
    document = {
        "schema": PRESET_SCHEMA,
        "version": 1,
        "application_key": KEY,
        "preset": {
            "name": "From a colleague",
            "connection": "Acme NZ",
            "application_key": KEY,
            "reports": [{"key": "customers"}],
        },
    }
    path = tmp_path / "incoming.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    preset = store.import_file(path)
    assert preset == Preset("From a colleague", "Acme NZ", (ReportRequest("customers"),))
    assert KEY not in "".join(p.read_text(encoding="utf-8") for p in store.folder.iterdir())


def _valid_document() -> dict[str, object]:
    return {
        "schema": PRESET_SCHEMA,
        "version": PRESET_VERSION,
        "preset": {"name": "Shared", "connection": "Acme NZ", "reports": [{"key": "products"}]},
    }


def _with(path: list[str], value: object) -> dict[str, object]:
    document = _valid_document()
    target: dict[str, object] = document
    for step in path[:-1]:
        target = target[step]  # type: ignore[assignment]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return document


_DELETE = object()


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ([1, 2], "is not a DEAR Export preset"),
        (_with(["schema"], "something-else"), "is not a DEAR Export preset"),
        (_with(["version"], "one"), "version number is missing or damaged"),
        (_with(["version"], 7), "made by a newer version of DEAR Export (preset format 7"),
        (_with(["preset"], _DELETE), "with nothing in it"),
        (_with(["preset", "reports"], _DELETE), "is incomplete: it has no 'reports'"),
        (_with(["preset", "name"], 12), "has a damaged 'name' (expected text)"),
        (
            _with(["preset", "reports"], [{"key": "products", "filters": {"a": 1}}]),
            "filters that are not plain",
        ),
        (_with(["preset", "reports"], [{"key": "products", "columns": "SKU"}]), "damaged list of columns"),
        (_with(["preset", "reports"], ["products"]), "report 1, is damaged"),
        (_with(["preset", "reports"], [{"key": "warp-drive"}]), "no report called 'warp-drive'"),
        (_with(["preset", "format"], "pdf"), "file format 'pdf'; use xlsx or csv"),
        (_with(["preset", "date_range"], "someday"), "'someday' is not a date range"),
    ],
)
def test_broken_imports_say_plainly_what_is_wrong(
    store: PresetStore, tmp_path: Path, document: object, words: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(PresetFileError) as caught:
        store.import_file(path)
    assert caught.value.message.startswith("The file 'broken.json'")
    assert words in caught.value.message
    assert store.list() == []


def test_files_that_are_not_json_or_missing(store: PresetStore, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.json"
    damaged.write_text('{\n  "schema": "dear-export-preset",\n  "version": 1,,\n}', encoding="utf-8")
    with pytest.raises(
        PresetFileError, match="damaged or not a preset file \\(the problem is near line 3\\)"
    ):
        store.import_file(damaged)
    binary = tmp_path / "picture.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    with pytest.raises(PresetFileError, match="not a text file"):
        store.import_file(binary)
    with pytest.raises(ConfigurationError, match="does not exist"):
        store.import_file(tmp_path / "nowhere.json")


@pytest.mark.parametrize(
    "content",
    [
        b'{"schema": "dear-export-preset", "version": 1,,}',  # damaged JSON
        json.dumps({"schema": "dear-export-preset", "preset": {"name": "Café"}}, ensure_ascii=False).encode(
            "latin-1"
        ),
        b'\xff\xfe{\x00"\x00s\x00',  # UTF-16
    ],
    ids=["damaged-json", "latin-1", "utf-16"],
)
def test_preset_files_that_are_not_json_text_are_set_aside_with_one_warning(
    store: PresetStore, caplog: pytest.LogCaptureFixture, content: bytes
) -> None:
    store.save(MONTHLY)
    broken = store.folder / "Broken.json"
    broken.write_bytes(content)

    with caplog.at_level(logging.WARNING, logger="app.services.presets"):
        assert store.names() == ["Monthly sales"]

    assert not broken.exists()
    assert [path.read_bytes() for path in store.folder.glob("Broken.json.damaged-*")] == [content]
    assert (
        "The preset file Broken.json was damaged, so it was skipped. The damaged file was kept as"
        in caplog.text
    )
    caplog.clear()
    assert store.names() == ["Monthly sales"]  # set aside once: no warning on every later listing
    assert "Broken.json" not in caplog.text


def test_preset_files_with_a_byte_order_mark_are_read(store: PresetStore, tmp_path: Path) -> None:
    # Windows Notepad saves UTF-8 with a byte-order mark: still a good preset, in the folder or shared.
    text = json.dumps(to_document(MONTHLY))
    store.folder.mkdir(parents=True)
    (store.folder / "Monthly.json").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert store.names() == ["Monthly sales"]
    shared = tmp_path / "shared.json"
    shared.write_bytes(b"\xef\xbb\xbf" + text.replace("Monthly sales", "Shared").encode("utf-8"))
    assert store.import_file(shared).name == "Shared"


def test_damaged_files_in_the_folder_are_skipped_when_listing(store: PresetStore) -> None:
    store.save(MONTHLY)
    (store.folder / "junk.json").write_text("{", encoding="utf-8")
    (store.folder / "old.json").write_text(
        json.dumps(_with(["preset", "reports"], [{"key": "report-from-another-version"}])), encoding="utf-8"
    )
    assert [p.name for p in store.list()] == ["Monthly sales", "Shared"]
    request_spec = store.load("Shared")
    with pytest.raises(ConfigurationError, match="no report called 'report-from-another-version'"):
        store.resolve(request_spec, FRIDAY, connection=CONNECTION)


# ----------------------------------------------------------------------------- resolving


def test_resolve_applies_last_month_to_each_reports_own_date(store: PresetStore, tmp_path: Path) -> None:
    request = store.resolve(MONTHLY, FRIDAY, connection=CONNECTION, output=tmp_path, zone=AUCKLAND)
    sale_lines, products = request.reports
    # Sale lines: "last month" means the sale's order date (calendar days, no DEAR filter).
    assert sale_lines.filters == {"Status": "AUTHORISED"}
    assert (sale_lines.date_from, sale_lines.date_to) == (date(2026, 10, 1), date(2026, 10, 31))
    assert sale_lines.until is None
    assert sale_lines.columns == ("OrderNumber", "SKU")
    # Products have no business date: the range goes into "changed since", with the end applied
    # by the export. 1 Oct 00:00 in Auckland (UTC+13) is 30 Sep 11:00 UTC; DEAR wants no Z.
    assert (products.date_from, products.date_to) == (None, None)
    assert products.filters == {"ModifiedSince": "2026-09-30T11:00:00"}
    assert products.until == datetime(2026, 10, 31, 11, 0, tzinfo=UTC)
    assert products.include_children
    assert request.connection is CONNECTION
    assert request.output == tmp_path / "Sales 2026-10-01 to 2026-10-31.xlsx"
    assert request.format is OutputFormat.XLSX


def test_reports_without_a_date_filter_and_presets_without_dates_are_left_alone(
    store: PresetStore, tmp_path: Path
) -> None:
    units = ReportRequest("units", {"Name": "Each"})
    with_dates = Preset("Units", "Acme NZ", (units,), date_range="this-year", name_pattern="{preset} {date}")
    request = store.resolve(with_dates, FRIDAY, connection=CONNECTION, output=tmp_path)
    assert request.reports == (units,)
    no_dates = Preset(
        "All sales", "Acme NZ", (ReportRequest("sales"),), name_pattern="{preset} {from}-{to} {range}"
    )
    request = store.resolve(no_dates, FRIDAY, connection=CONNECTION, output=tmp_path)
    assert request.reports == (ReportRequest("sales"),)
    assert request.output == tmp_path / "All sales all-2026-11-27 All dates.xlsx"


def test_open_ended_explicit_range_has_no_until(store: PresetStore, tmp_path: Path) -> None:
    since = Preset(
        "Since", "Acme NZ", (ReportRequest("customers"),), date_range="2026-01-01..", format=OutputFormat.CSV
    )
    request = store.resolve(since, FRIDAY, connection=CONNECTION, output=tmp_path, zone=UTC)
    assert request.reports[0].filters == {"ModifiedSince": "2026-01-01T00:00:00"}
    assert request.reports[0].until is None
    assert request.output == tmp_path / "Since 2026-01-01 to 2026-11-27.csv"
    assert request.format is OutputFormat.CSV


def test_file_name_patterns() -> None:
    preset = Preset(
        "Weekly",
        "Acme/NZ",
        (ReportRequest("sales"),),
        date_range="last-week",
        name_pattern="{connection} {range} {date}",
    )
    window = resolve_range("last-week", FRIDAY)
    assert file_name(preset, FRIDAY, window) == "Acme-NZ Last week 2026-11-27.xlsx"


def test_output_goes_to_the_presets_folder_or_the_settings_folder(tmp_path: Path, app_home: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    store = PresetStore(tmp_path / "presets", settings=settings)
    in_documents = store.resolve(MONTHLY, FRIDAY, connection=CONNECTION)
    assert in_documents.output == app_home / "Documents" / "Sales 2026-10-01 to 2026-10-31.xlsx"
    settings.output_folder = tmp_path / "reports"
    assert store.resolve(MONTHLY, FRIDAY, connection=CONNECTION).output.parent == tmp_path / "reports"
    own_folder = Preset(**{**MONTHLY.__dict__, "output_folder": str(tmp_path / "mine")})
    assert store.resolve(own_folder, FRIDAY, connection=CONNECTION).output.parent == tmp_path / "mine"
    exact = store.resolve(MONTHLY, FRIDAY, connection=CONNECTION, output=tmp_path / "exact.xlsx")
    assert exact.output == tmp_path / "exact.xlsx"


def test_resolve_reads_the_connection_from_the_store(tmp_path: Path) -> None:
    connections = ConnectionStore(Settings(tmp_path / "settings.json"))
    connections.add("Acme NZ", "acc-1", KEY)
    store = PresetStore(tmp_path, connections=connections)
    request = store.resolve(MONTHLY, FRIDAY, output=tmp_path)
    assert request.connection.application_key == KEY
    missing = Preset(**{**MONTHLY.__dict__, "connection": "Gone Ltd"})
    with pytest.raises(CredentialError, match="No connection named 'Gone Ltd'"):
        store.resolve(missing, FRIDAY)
    with pytest.raises(CredentialError, match="No connections are available"):
        PresetStore(tmp_path).resolve(MONTHLY, FRIDAY)


def test_a_preset_can_write_into_a_workbook_and_keep_snapshots(store: PresetStore, tmp_path: Path) -> None:
    book = tmp_path / "Stock history.xlsx"
    preset = Preset(
        "Daily stock",
        "Acme NZ",
        (ReportRequest("sale-order-lines"),),
        date_range="last-month",
        workbook=str(book),
        snapshot=True,
    )
    store.save(preset)
    loaded = store.load("Daily stock")
    assert (loaded.workbook, loaded.snapshot) == (str(book), True)
    assert from_document(to_document(preset)) == validated(preset)
    request = store.resolve(loaded, FRIDAY, connection=CONNECTION)
    assert request.output == book
    assert (request.into, request.snapshot, request.format) == (True, True, OutputFormat.XLSX)
    # The range as chosen travels with the report, for the workbook to record.
    assert request.reports[0].dates == "last-month"
    assert request.reports[0].date_from == date(2026, 10, 1)
    # An older preset file (no workbook fields) reads as a plain export.
    document = to_document(MONTHLY)
    del document["preset"]["workbook"], document["preset"]["snapshot"]
    assert from_document(document).workbook == ""
