"""Where the export goes: the suggested path follows the name and folder; a typed one only the format."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from app.models import OutputFormat
from app.services.settings import Settings
from app.ui.output_target import OutputTarget

pytestmark = pytest.mark.gui


def _target(qtbot, folder: Path) -> tuple[QWidget, OutputTarget]:
    page = QWidget()  # the page owns the widgets; the caller keeps it alive
    qtbot.addWidget(page)
    settings = Settings(folder / "settings.json")
    settings.output_folder = str(folder / "exports")
    return page, OutputTarget(settings, page)


def test_the_suggestion_follows_name_format_and_a_presets_folder(qtbot, tmp_path: Path) -> None:
    _page, target = _target(qtbot, tmp_path)
    target.suggest("Customers 2026-11-01")
    assert target.path() == tmp_path / "exports" / "Customers 2026-11-01.xlsx"
    target.set_format("csv")
    assert target.path_edit.text() == str(tmp_path / "exports" / "Customers 2026-11-01.csv")
    assert target.output_format() is OutputFormat.CSV
    target.follow_preset(str(tmp_path / "shared"))
    assert target.path() == tmp_path / "shared" / "Customers 2026-11-01.csv"
    assert target.chosen_folder() is None  # nothing typed: the settings keep their folder


def test_a_typed_path_keeps_its_folder_and_name_and_follows_only_the_format(qtbot, tmp_path: Path) -> None:
    _page, target = _target(qtbot, tmp_path)
    target.suggest("Customers")
    typed = tmp_path / "mine" / "Year end.xlsx"
    qtbot.keyClicks(target.path_edit, "x")  # a real edit marks the path as the user's
    target.path_edit.setText(str(typed))
    target.suggest("Suppliers")
    assert target.path() == typed
    target.set_format("csv")
    assert target.path() == typed.with_suffix(".csv")
    assert target.chosen_folder() == typed.parent
    assert target.folder() == typed.parent
    target.follow_preset("")
    assert target.path() == tmp_path / "exports" / "Suppliers.csv"


def test_browse_starts_where_the_file_will_go(qtbot, tmp_path: Path, monkeypatch) -> None:
    _page, target = _target(qtbot, tmp_path)
    target.suggest("Customers")
    started: list[str] = []

    def answer(_parent, _title, directory, _filters):
        started.append(directory)
        return "", ""

    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", answer)
    # The exports folder does not exist yet: Browse opens in its nearest existing parent.
    target.browse_button.click()
    assert started[-1] == str(tmp_path / "Customers.xlsx")
    (tmp_path / "exports").mkdir()
    target.browse_button.click()
    assert started[-1] == str(tmp_path / "exports" / "Customers.xlsx")
