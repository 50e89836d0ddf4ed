"""Connections dialog, first-run guide, schedule instructions, report picker and filter form."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app import catalogue
from app.sandbox import Sandbox
from app.services.connections import ConnectionStore
from app.services.settings import Settings
from app.ui.connections_dialog import ConnectionsDialog
from app.ui.filter_form import DateRangeRow, FilterForm
from app.ui.report_picker import ReportPicker
from app.ui.schedule_dialog import ScheduleDialog, command_for
from app.ui.worker import JobRunner

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def _dialog(qtbot, folder: Path) -> tuple[ConnectionsDialog, ConnectionStore]:
    store = ConnectionStore(Settings(folder / "settings.json"))
    runner = JobRunner()
    dialog = ConnectionsDialog(store, runner)
    dialog._test_runner = runner
    qtbot.addWidget(dialog)
    return dialog, store


def _fill(form, name: str, account: str, key: str, url: str = "", limit: str = "") -> None:
    form.name_edit.setText(name)
    form.account_edit.setText(account)
    form.key_edit.setText(key)
    form.url_edit.setText(url)
    form.limit_edit.setText(limit)


def test_add_test_and_delete_a_connection(
    qtbot, tmp_path: Path, sandbox: Sandbox, memory_keyring, answers
) -> None:
    dialog, store = _dialog(qtbot, tmp_path)
    assert "never in a file" in dialog.note.text()
    form = dialog.open_form()
    _fill(form, "Acme NZ", sandbox.account_id, sandbox.application_key, sandbox.base_url, "1000/1")
    with qtbot.waitSignal(dialog.connections_changed, timeout=10000):
        qtbot.mouseClick(form.buttons.button(form.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
        assert form.testing  # tested with DEAR on a worker before anything is saved
        assert store.list() == []
    assert dialog.selected_name() == "Acme NZ"
    # The key went to the keyring, not to the settings file.
    assert sandbox.application_key in memory_keyring.entries.values()
    assert sandbox.application_key not in store.settings.path.read_text(encoding="utf-8")

    with qtbot.waitSignal(dialog.test_button.clicked):
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_label.text().startswith("✔"), timeout=10000)
    assert "Connected to" in dialog.result_label.text()

    with qtbot.waitSignal(dialog.connections_changed):
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert "Delete the connection 'Acme NZ'" in answers.asked[0][1]
    assert answers.defaults == [QMessageBox.StandardButton.Cancel]  # Enter does not delete
    assert store.list() == []
    assert memory_keyring.entries == {}


def test_form_explains_bad_input_in_place(qtbot, tmp_path: Path) -> None:
    dialog, store = _dialog(qtbot, tmp_path)
    form = dialog.open_form()
    _fill(form, "Acme", "", "some-key")
    qtbot.mouseClick(form.buttons.button(form.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert form.isVisible()
    assert "Account ID" in form.error_label.text()
    assert store.list() == []


def test_wrong_key_test_says_so(qtbot, tmp_path: Path, sandbox: Sandbox) -> None:
    dialog, store = _dialog(qtbot, tmp_path)
    store.add("Wrong", sandbox.account_id, "wrong-key-123", base_url=sandbox.base_url)
    dialog.refresh(select="Wrong")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_label.text().startswith("✖"), timeout=10000)
    assert "did not accept" in dialog.result_label.text()
    assert "wrong-key-123" not in dialog.result_label.text()


def test_no_keyring_offers_a_session_only_connection(
    qtbot, tmp_path: Path, sandbox: Sandbox, answers
) -> None:
    keyring.set_keyring(fail.Keyring())  # the autouse fixture restores the in-memory keyring
    dialog, store = _dialog(qtbot, tmp_path)
    assert "only be kept for this session" in dialog.note.text()
    form = dialog.open_form()
    _fill(form, "Acme", sandbox.account_id, sandbox.application_key, sandbox.base_url)
    with qtbot.waitSignal(dialog.connections_changed, timeout=10000):
        qtbot.mouseClick(form.buttons.button(form.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    [(title, _text)] = answers.asked
    assert "session only" in title
    [info] = store.list()
    assert info.session_only
    assert store.get("Acme").application_key == sandbox.application_key


def test_schedule_dialog_shows_the_exact_command_and_steps(qtbot) -> None:
    dialog = ScheduleDialog('Monthly "big" sales')
    qtbot.addWidget(dialog)
    command = dialog.command_edit.text()
    assert command == command_for('Monthly "big" sales')
    assert command.endswith('run-preset "Monthly \\"big\\" sales"')
    assert command.startswith("dear-export ")
    windows, mac, cron = (dialog.text_of(i) for i in range(3))
    assert "Task Scheduler" in windows and "run-preset" in windows
    assert "<key>ProgramArguments</key>" in mac and "launchctl load" in mac
    assert "crontab -e" in cron and "run-preset" in cron
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == command


def test_report_picker_groups_searches_and_keeps_tick_order(qtbot) -> None:
    picker = ReportPicker(catalogue.ENDPOINTS)
    qtbot.addWidget(picker)
    groups = [picker.tree.topLevelItem(i).text(0) for i in range(picker.tree.topLevelItemCount())]
    assert groups[:3] == ["Products & stock", "Sales", "Purchases"]
    sales = picker.tree.topLevelItem(1)
    labels = [sales.child(i).text(0) for i in range(sales.childCount())]
    line_flags = [
        catalogue.get(sales.child(i).data(0, Qt.ItemDataRole.UserRole)).is_line_report
        for i in range(sales.childCount())
    ]
    assert line_flags == sorted(line_flags, reverse=True)  # line-level reports first
    first = sales.child(0)
    spec = catalogue.get(first.data(0, Qt.ItemDataRole.UserRole))
    assert labels[0] == spec.label  # the name alone fits the tree; the tooltip says the rest
    description = spec.description
    assert first.toolTip(0) == f"{description} One row per line."
    picker.tree.setCurrentItem(first)
    assert description.split(",")[0] in picker.description.text()  # shown under the tree

    qtbot.keyClicks(picker.search, "credit note")
    visible = picker.visible_keys()
    assert visible and all(
        "credit" in catalogue.get(k).label.lower() + catalogue.get(k).description.lower() for k in visible
    )
    with qtbot.waitSignal(picker.selection_changed):
        picker.item_for("suppliers").setCheckState(0, Qt.CheckState.Checked)
    picker.item_for("customers").setCheckState(0, Qt.CheckState.Checked)
    assert picker.selected_keys() == ["suppliers", "customers"]


def test_filter_form_gives_dear_values(qtbot) -> None:
    spec = catalogue.get("sale-order-lines")
    form = FilterForm(spec, ranged=("UpdatedSince",))
    qtbot.addWidget(form)
    with pytest.raises(KeyError):
        form.input_for("UpdatedSince")  # filled from the date range instead
    status = form.input_for("OrderStatus")
    choices = [status.itemData(i) for i in range(status.count())]
    assert choices[0] == "" and set(choices[1:]) == set(
        next(f for f in spec.filters if f.name == "OrderStatus").choices
    )
    status.setCurrentIndex(status.findData("AUTHORISED"))
    assert status.currentText() == "Authorised"
    form.input_for("Search").setText(" SO-1 ")
    ship_by = form.input_for("ShipBy")
    ship_by.set_day(date(2026, 10, 5))
    assert form.values() == {"Search": "SO-1", "ShipBy": "2026-10-05T00:00:00", "OrderStatus": "AUTHORISED"}
    again = FilterForm(spec, ranged=("UpdatedSince",))
    qtbot.addWidget(again)
    again.set_values(form.values())
    assert again.values() == form.values()


def test_date_range_row_quick_and_custom(qtbot) -> None:
    row = DateRangeRow(today=date(2026, 11, 27))
    qtbot.addWidget(row)
    assert row.spec() == "" and row.chosen_range() is None
    row.set_spec("last-month")
    assert row.chosen_range().start == date(2026, 10, 1) and row.chosen_range().end == date(2026, 10, 31)
    assert not row.start_edit.isEnabled()
    row.set_spec("2026-01-05..2026-02-10")
    assert row.start_edit.isEnabled()
    assert row.spec() == "2026-01-05..2026-02-10"
    assert "05 Jan 2026 to 10 Feb 2026" in row.summary.text()


def test_edit_renames_and_keeps_the_key(qtbot, tmp_path: Path, sandbox: Sandbox, memory_keyring) -> None:
    dialog, store = _dialog(qtbot, tmp_path)
    store.add("Acme", sandbox.account_id, sandbox.application_key, base_url=sandbox.base_url)
    dialog.refresh(select="Acme")
    form = dialog.open_form(editing="Acme")
    assert form.account_edit.text() == sandbox.account_id
    assert form.key_edit.text() == ""  # the key is never shown
    form.name_edit.setText("Acme NZ")
    form.limit_edit.setText("30/60")
    with qtbot.waitSignal(dialog.connections_changed, timeout=10000):
        form.buttons.button(form.buttons.StandardButton.Save).click()
    info = store.info("Acme NZ")
    assert str(info.rate_limit) == "30/60"
    assert store.get("Acme NZ").application_key == sandbox.application_key
    assert dialog.selected_name() == "Acme NZ"


def test_scheduler_commands_run_the_installed_program_and_reach_the_keyring(monkeypatch, tmp_path) -> None:
    from app.ui import schedule_dialog

    # From source: this Python with -m app; the cron line passes the session bus for the keyring.
    assert schedule_dialog.scheduler_argv("Daily") == [sys.executable, "-m", "app", "run-preset", "Daily"]
    line = schedule_dialog.cron_line("Daily stock", hour=6, minute=30)
    assert line.startswith("30 6 * * * DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$(id -u)/bus ")
    assert line.endswith(f'"{sys.executable}" -m app run-preset "Daily stock"')
    # Installed (frozen): the bundle's own executable, never "-m app".
    bundle = tmp_path / "DEAR Export"
    bundle.mkdir()
    exe = bundle / "dear-export"
    exe.write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    assert schedule_dialog.scheduler_argv("Daily") == [str(exe), "run-preset", "Daily"]
    assert schedule_dialog.fallback_command_for("Daily") == f'"{exe}" run-preset "Daily"'
    assert "-m app" not in schedule_dialog.launchd_plist("Daily")
