"""``run-preset`` of a several-company preset: a company that fails is named, the others written, exit 3."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from app import cli
from app.errors import EXIT_AUTH
from app.models import ReportRequest
from app.sandbox import Sandbox
from app.services.presets import Preset
from app.wiring import Services
from tests.conftest import MemoryKeyring


@pytest.fixture
def group(make_sandbox: Callable[..., Sandbox], services: Services) -> dict[str, Sandbox]:
    """Three saved companies: North and South read fine, Refused has a key DEAR does not accept."""
    made: dict[str, Sandbox] = {}
    for name, seed, products in (("North", 21, 6), ("South", 22, 4), ("Refused", 23, 3)):
        sb = make_sandbox(rate_limit=None, seed=seed, counts={"product": products})
        key = "wrong-key-for-this-test" if name == "Refused" else sb.application_key
        services.connections.add(name, sb.account_id, key, base_url=sb.base_url)
        made[name] = sb
    return made


def run_preset(services: Services, tmp_path: Path, preset: Preset) -> int:
    services.presets.save(preset)
    return cli.dispatch(cli.parse(["run-preset", preset.name]))


def rows_by_company(path: Path) -> tuple[list[object], dict[object, object]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        companies = [row[0] for row in book["Products"].iter_rows(min_row=2, values_only=True)]
        about = {
            row[0]: row[1] for row in book["About this export"].iter_rows(values_only=True) if len(row) > 1
        }
    finally:
        book.close()
    return companies, about


def preset(tmp_path: Path, **companies: object) -> Preset:
    return Preset(
        "Group",
        "North",
        (ReportRequest("products"),),
        output_folder=str(tmp_path),
        name_pattern="{preset}",
        **companies,  # type: ignore[arg-type]
    )


def test_all_connections_preset_with_a_refused_key_exits_3_like_export(
    group: dict[str, Sandbox], services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_preset(services, tmp_path, preset(tmp_path, all_connections=True))

    err = capsys.readouterr().err
    assert code == EXIT_AUTH
    assert "the company 'Refused' was not exported" in err
    companies, about = rows_by_company(tmp_path / "Group.xlsx")
    assert companies == ["North"] * 6 + ["South"] * 4
    assert "DEAR did not accept" in str(about["Refused: not exported"])


def test_a_preset_company_whose_key_is_missing_fails_alone_with_exit_3(
    group: dict[str, Sandbox],
    services: Services,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (entry,) = [e for e, value in memory_keyring.entries.items() if value == group["South"].application_key]
    del memory_keyring.entries[entry]

    code = run_preset(services, tmp_path, preset(tmp_path, companies=("North", "South")))

    err = capsys.readouterr().err
    assert code == EXIT_AUTH
    assert "the company 'South' was not exported" in err and "is missing" in err
    assert not group["South"].stats()["counts"]  # never asked with an empty key
    companies, about = rows_by_company(tmp_path / "Group.xlsx")
    assert companies == ["North"] * 6
    assert "is missing" in str(about["South: not exported"])
