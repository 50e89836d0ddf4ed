"""Presets of several companies: the format round trip, older presets, renames and running one."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from app.errors import EXIT_AUTH
from app.models import ReportRequest
from app.sandbox import Sandbox
from app.services.presets import Preset, PresetFileError, from_document
from app.wiring import Services

REPORTS = (ReportRequest("products"),)


def test_several_companies_round_trip_as_format_2(services: Services) -> None:
    preset = Preset("Group stock", "North", REPORTS, companies=("North", "South", "West"))
    path = services.presets.save(preset)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == 2
    assert document["preset"]["companies"] == ["North", "South", "West"]
    assert document["preset"]["all_connections"] is False
    assert services.presets.load("group stock") == preset

    every = Preset("Everything", "North", REPORTS, all_connections=True)
    services.presets.save(every)
    assert services.presets.load("Everything") == every
    assert services.presets.load("Everything").several_companies


def test_the_first_company_is_always_the_preset_connection(services: Services) -> None:
    services.presets.save(Preset("Mixed", "South", REPORTS, companies=("North", "South")))
    assert services.presets.load("Mixed").companies == ("South", "North")


def test_an_older_one_company_preset_still_reads() -> None:
    old = {
        "schema": "dear-export-preset",
        "version": 1,
        "preset": {"name": "Old", "connection": "Acme", "reports": [{"key": "products"}]},
    }
    preset = from_document(old)
    assert preset.companies == () and not preset.all_connections
    assert preset.company_names() == ("Acme",)


def test_a_damaged_company_list_is_refused_plainly() -> None:
    document = {
        "schema": "dear-export-preset",
        "version": 2,
        "preset": {"name": "X", "connection": "A", "reports": [{"key": "products"}], "companies": ["A", 3]},
    }
    with pytest.raises(PresetFileError, match="damaged list of companies"):
        from_document(document)


def test_renaming_a_connection_renames_it_among_the_companies(services: Services) -> None:
    services.presets.save(Preset("Group", "North", REPORTS, companies=("North", "South")))
    assert services.presets.rename_connection("South", "South Island") == 1
    assert services.presets.load("Group").companies == ("North", "South Island")


@pytest.fixture
def saved(make_sandbox: Callable[..., Sandbox], services: Services) -> None:
    for name, seed, key in (("North", 6, None), ("South", 7, None), ("Refused", 8, "wrong-key-abc")):
        sb = make_sandbox(rate_limit=None, seed=seed, counts={"product": 4 + seed})
        services.connections.add(name, sb.account_id, key or sb.application_key, base_url=sb.base_url)


def test_all_connections_resolves_every_saved_company_the_preset_one_first(
    saved: None, services: Services, tmp_path: Path
) -> None:
    preset = Preset(
        "All",
        "South",
        REPORTS,
        all_connections=True,
        output_folder=str(tmp_path),
        name_pattern="{connection}",
    )
    request = services.presets.resolve(preset, date(2026, 11, 27))
    assert [c.name for c in request.connections] == ["South", "North", "Refused"]
    assert request.connection.name == "South"
    assert request.output == tmp_path / "All companies.xlsx"


def test_run_preset_of_three_companies_writes_two_and_exits_3(
    saved: None, services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app import cli

    services.presets.save(
        Preset(
            "Group",
            "North",
            REPORTS,
            companies=("North", "South", "Refused"),
            output_folder=str(tmp_path),
            name_pattern="{preset} {connection}",
        )
    )
    code = cli.dispatch(cli.parse(["run-preset", "Group"]))
    err = capsys.readouterr().err
    assert code == EXIT_AUTH
    assert "the company 'Refused' was not exported" in err
    path = tmp_path / "Group North + South + Refused.xlsx"
    book = openpyxl.load_workbook(path, read_only=True)
    companies = [row[0] for row in book["Products"].iter_rows(min_row=2, values_only=True)]
    book.close()
    assert companies == ["North"] * 10 + ["South"] * 11
