"""Saving a connection tests it first; Delete is never reached by Enter or focus; dialogs fit."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from app.sandbox import Sandbox
from app.services.connections import ConnectionStore
from app.services.settings import Settings
from app.ui.connections_dialog import ConnectionsDialog
from app.ui.worker import JobRunner

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]

GUID = "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"


def _dialog(qtbot, folder: Path) -> tuple[ConnectionsDialog, ConnectionStore]:
    store = ConnectionStore(Settings(folder / "settings.json"))
    runner = JobRunner()
    dialog = ConnectionsDialog(store, runner)
    dialog._test_runner = runner
    qtbot.addWidget(dialog)
    return dialog, store


def _closed_port_url() -> str:
    """An address on this computer where nothing listens: DEAR "cannot be reached"."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/ExternalApi/v2/"


def test_a_refused_key_is_not_saved(qtbot, tmp_path: Path, sandbox: Sandbox, memory_keyring) -> None:
    dialog, store = _dialog(qtbot, tmp_path)
    form = dialog.open_form()
    form.name_edit.setText("Acme")
    form.account_edit.setText(sandbox.account_id)
    form.key_edit.setText("wrong-key-123")
    form.url_edit.setText(sandbox.base_url)
    form.buttons.button(form.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not form.testing, timeout=10000)
    text = form.error_label.text()
    assert "did not accept" in text and text.endswith("The connection was not saved.")
    assert "wrong-key-123" not in text
    assert not form.save_anyway_button.isVisibleTo(form)  # no "save anyway" for a refused key
    assert form.isVisible()
    assert store.list() == [] and memory_keyring.entries == {}


def test_unreachable_dear_offers_save_anyway(qtbot, tmp_path: Path, sandbox: Sandbox, memory_keyring) -> None:
    dialog, store = _dialog(qtbot, tmp_path)
    form = dialog.open_form()
    form.name_edit.setText("Offline")
    form.account_edit.setText(sandbox.account_id)
    form.key_edit.setText(sandbox.application_key)
    form.url_edit.setText(_closed_port_url())
    form.buttons.button(form.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not form.testing, timeout=30000)
    assert "Could not reach DEAR" in form.error_label.text()
    assert "Save anyway" in form.error_label.text()
    assert store.list() == []
    assert form.save_anyway_button.isVisibleTo(form)
    with qtbot.waitSignal(dialog.connections_changed):
        form.save_anyway_button.click()
    assert store.names() == ["Offline"]
    assert store.get("Offline").application_key == sandbox.application_key


def test_focus_stays_off_delete_after_a_test(qtbot, tmp_path: Path, sandbox: Sandbox) -> None:
    dialog, store = _dialog(qtbot, tmp_path)
    store.add("Acme", sandbox.account_id, sandbox.application_key, base_url=sandbox.base_url)
    dialog.refresh(select="Acme")
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.test_button.setFocus()
    qtbot.waitUntil(dialog.test_button.hasFocus)
    qtbot.keyClick(dialog.test_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.result_label.text().startswith("✔"), timeout=10000)
    qtbot.waitUntil(dialog.test_button.isEnabled)
    assert QApplication.focusWidget() is not dialog.delete_button
    assert dialog.test_button.hasFocus()
    for button in (dialog.add_button, dialog.edit_button, dialog.test_button, dialog.delete_button):
        assert not button.autoDefault()  # Enter never presses a side button


def test_the_form_opens_wide_enough_for_its_fields_and_hints(qtbot, tmp_path: Path) -> None:
    dialog, _store = _dialog(qtbot, tmp_path)
    form = dialog.open_form()
    qtbot.waitExposed(form)
    metrics = form.account_edit.fontMetrics()
    assert form.account_edit.width() >= metrics.horizontalAdvance(GUID)
    assert form.url_edit.width() >= metrics.horizontalAdvance(form.url_edit.placeholderText())
    for label in form.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            needed = label.heightForWidth(label.width())
            assert label.height() >= needed, label.text()  # no hint cut off
    assert form.width() <= 1000  # and not absurdly wide either


def test_the_connections_dialog_opens_showing_its_notes(qtbot, tmp_path: Path) -> None:
    dialog, _store = _dialog(qtbot, tmp_path)
    dialog.result_label.setText(
        "✖ DEAR refused access to Sale order lines: this Account ID and Application Key are not "
        "allowed to read sales. Check the key in DEAR under Integrations → API, or ask your DEAR "
        "administrator."
    )
    dialog.show()
    qtbot.waitExposed(dialog)
    for label in (dialog.note, dialog.result_label):
        assert label.height() >= label.heightForWidth(label.width()), label.text()  # nothing cut
    assert dialog.width() >= dialog.fontMetrics().averageCharWidth() * 60
