from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from app.paths import config_dir
from app.services.settings import (
    DECLARED,
    FIRST_RUN_DONE,
    LAST_CONNECTION,
    LAST_FILTERS,
    LAST_REPORTS,
    OUTPUT_FOLDER,
    SETTINGS_FILE,
    WINDOW_GEOMETRY,
    Setting,
    Settings,
    SettingsError,
)


def _path() -> Path:
    """The app's settings file in the test's private home (what ``app.wiring`` uses)."""
    return config_dir() / SETTINGS_FILE


def test_defaults_without_a_file(app_home: Path) -> None:
    settings = Settings(_path())
    assert not settings.path.exists()
    for setting in DECLARED:
        assert settings.get(setting) == setting.default
    assert settings.output_folder == app_home / "Documents"
    assert settings.first_run_done is False


def test_values_survive_a_restart_and_the_file_is_plain_json() -> None:
    first = Settings(_path())
    first.set(LAST_CONNECTION, "Acme NZ")
    first.set(LAST_REPORTS, ["sale-lines", "products"])
    first.set(LAST_FILTERS, {"sale-lines": {"Status": "AUTHORISED"}})
    first.window_geometry = "AdnQywADAAAAAAAA"
    first.first_run_done = True

    again = Settings(_path())
    assert again.get(LAST_CONNECTION) == "Acme NZ"
    assert again.get(LAST_REPORTS) == ["sale-lines", "products"]
    assert again.get(LAST_FILTERS) == {"sale-lines": {"Status": "AUTHORISED"}}
    assert again.window_geometry == "AdnQywADAAAAAAAA"
    assert again.first_run_done is True
    on_disk = json.loads(again.path.read_text(encoding="utf-8"))
    assert on_disk["last_connection"] == "Acme NZ"
    assert on_disk["version"] == 1


def test_values_handed_out_are_copies() -> None:
    settings = Settings(_path())
    settings.set(LAST_REPORTS, ["products"])
    got = settings.get(LAST_REPORTS)
    got.append("customers")
    assert settings.get(LAST_REPORTS) == ["products"]
    default = settings.get(LAST_FILTERS)
    default["x"] = {}
    assert settings.get(LAST_FILTERS) == {}


def test_unknown_keys_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps({"from_a_newer_version": {"a": 1}, "last_connection": "Old"}), encoding="utf-8"
    )
    settings = Settings(path)
    settings.set(LAST_CONNECTION, "New")
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk["from_a_newer_version"] == {"a": 1}
    assert on_disk["last_connection"] == "New"
    assert settings.raw()["from_a_newer_version"] == {"a": 1}


def test_damaged_file_is_set_aside_and_defaults_used(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"last_connection": "Acme', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="app.services.settings"):
        settings = Settings(path)
    assert settings.get(LAST_CONNECTION) == ""
    backups = list(tmp_path.glob("settings.json.damaged-*"))
    assert len(backups) == 1
    assert backups[0].read_text(encoding="utf-8") == '{"last_connection": "Acme'
    assert not path.exists()
    assert any("damaged" in record.getMessage() for record in caplog.records)
    settings.set(LAST_CONNECTION, "Fresh")
    assert json.loads(path.read_text(encoding="utf-8"))["last_connection"] == "Fresh"


def test_a_file_that_is_json_but_not_an_object_counts_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("[1, 2, 3]", encoding="utf-8")
    assert Settings(path).get(FIRST_RUN_DONE) is False
    assert len(list(tmp_path.glob("settings.json.damaged-*"))) == 1


def test_wrong_type_in_file_gives_default_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"first_run_done": "yes", "last_reports": "products"}), encoding="utf-8")
    settings = Settings(path)
    with caplog.at_level(logging.WARNING, logger="app.services.settings"):
        assert settings.get(FIRST_RUN_DONE) is False
        assert settings.get(LAST_REPORTS) == []
    assert len(caplog.records) == 2


def test_setting_a_wrong_type_is_refused() -> None:
    settings = Settings(_path())
    with pytest.raises(TypeError, match="first_run_done"):
        settings.set(FIRST_RUN_DONE, 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="last_reports"):
        settings.set(LAST_REPORTS, [object()])
    assert not settings.path.exists()


def test_settings_declared_elsewhere_work_the_same_way() -> None:
    page_size = Setting("someone_elses_number", 25, int)
    settings = Settings(_path())
    assert settings.get(page_size) == 25
    settings.set(page_size, 50)
    assert Settings(_path()).get(page_size) == 50
    settings.reset(page_size)
    assert Settings(_path()).get(page_size) == 25
    assert "someone_elses_number" not in Settings(_path()).raw()


def test_writes_merge_with_changes_made_by_another_process() -> None:
    window = Settings(_path())
    scheduled_run = Settings(_path())
    window.set(LAST_CONNECTION, "Acme NZ")
    scheduled_run.set(OUTPUT_FOLDER, "/reports")  # knows nothing of the window's change
    both = Settings(_path())
    assert both.get(LAST_CONNECTION) == "Acme NZ"
    assert both.get(OUTPUT_FOLDER) == "/reports"


def test_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    for n in range(5):
        settings.set(WINDOW_GEOMETRY, f"geometry-{n}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]


def test_an_unwritable_location_raises_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    settings = Settings(blocker / "settings.json")
    with pytest.raises(SettingsError) as caught:
        settings.set(LAST_CONNECTION, "Acme")
    assert "Could not save settings.json" in caught.value.message
    assert caught.value.hint


def test_output_folder_round_trip(tmp_path: Path) -> None:
    settings = Settings(_path())
    settings.output_folder = tmp_path / "exports"
    assert Settings(_path()).output_folder == tmp_path / "exports"


@pytest.mark.parametrize(
    "content",
    [
        b'\xff\xfe{\x00"\x00l\x00a\x00s\x00t\x00',  # UTF-16 with its byte-order mark
        '{"last_connection": "Café Müller"}'.encode("latin-1"),  # saved by an editor in Latin-1
    ],
    ids=["utf-16", "latin-1"],
)
def test_a_file_that_is_not_utf8_is_set_aside_like_damaged_json(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes
) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="app.services.settings"):
        settings = Settings(path)
    assert settings.get(LAST_CONNECTION) == ""
    backups = list(tmp_path.glob("settings.json.damaged-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == content
    assert not path.exists()
    assert any("The settings file was damaged" in record.getMessage() for record in caplog.records)


def test_a_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    # Windows Notepad saves UTF-8 with a byte-order mark; the file is fine, so it is kept.
    path = tmp_path / "settings.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"last_connection": "Acme"}).encode("utf-8"))
    assert Settings(path).get(LAST_CONNECTION) == "Acme"
    assert not list(tmp_path.glob("settings.json.damaged-*"))
