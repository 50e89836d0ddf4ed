"""app.wiring: one graph of services over the folders it is given, connected as the app needs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app import paths
from app.models import Connection, ReportRequest
from app.services.presets import Preset
from app.wiring import Services, build_services, user_services
from tests.conftest import MemoryKeyring

ACCOUNT = "0c6f5a8e-1111-4a2b-9c3d-2e4f6a8b0c1d"
KEY = "b7d1e2f3-a4b5-46c7-98d9-0a1b2c3d4e5f"


def _files(root: Path) -> set[Path]:
    return {path.relative_to(root) for path in root.rglob("*") if path.is_file()}


def test_every_file_goes_to_the_folders_given_and_nowhere_else(tmp_path: Path, app_home: Path) -> None:
    before = _files(app_home)
    services = build_services(
        config_dir=tmp_path / "config", data_dir=tmp_path / "data", keyring_backend=MemoryKeyring()
    )
    info = services.connections.add("Acme", ACCOUNT, KEY)
    services.presets.save(Preset("Monthly", "Acme", (ReportRequest("products"),)))
    services.cache.open(services.connections.get("Acme")).close()

    assert services.settings.path == tmp_path / "config" / "settings.json"
    assert services.presets.folder == tmp_path / "config" / "presets"
    assert services.cache.path_for(info).is_relative_to(tmp_path / "data")
    assert {"settings.json", "Monthly.json"} <= {path.name for path in _files(tmp_path / "config")}
    assert services.cache.path_for(info).exists()
    assert _files(app_home) == before  # the user's own folders were never touched


def test_the_key_goes_to_the_keyring_given(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    own = MemoryKeyring()
    services = build_services(config_dir=tmp_path, data_dir=tmp_path, keyring_backend=own)
    info = services.connections.add("Acme", ACCOUNT, KEY)
    assert list(own.entries.values()) == [KEY]
    assert memory_keyring.entries == {}
    assert services.connections.get(info.name).application_key == KEY


def test_removing_a_connection_deletes_its_cache(services: Services) -> None:
    info = services.connections.add("Acme", ACCOUNT, KEY)
    services.cache.open(services.connections.get("Acme")).close()
    assert services.cache.path_for(info).exists()

    services.connections.remove("Acme")

    assert not services.cache.path_for(info).exists()


def test_renaming_a_connection_moves_its_presets(services: Services) -> None:
    services.connections.add("Acme", ACCOUNT, KEY)
    services.presets.save(Preset("Monthly", "Acme", (ReportRequest("products"),)))

    services.connections.rename("Acme", "Acme NZ")

    assert services.presets.load("Monthly").connection == "Acme NZ"
    request = services.presets.resolve(services.presets.load("Monthly"), date(2026, 11, 27))
    assert request.connection == Connection("Acme NZ", ACCOUNT, KEY)


def test_user_services_use_the_user_folders(app_home: Path) -> None:
    services = user_services()
    assert services.settings.path == paths.config_dir() / "settings.json"
    assert services.presets.folder == paths.config_dir() / "presets"
    assert services.cache.folder.is_relative_to(paths.data_dir())
    assert paths.config_dir().is_relative_to(app_home)  # DEAR_EXPORT_HOME: the test's own home
