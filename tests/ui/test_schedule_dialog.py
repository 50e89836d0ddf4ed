"""Schedule…: a warning when the preset cannot run unattended, and a dialog that shows its lines."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from app.models import ReportRequest
from app.services.presets.format import Preset
from app.ui.schedule_dialog import ScheduleDialog, cron_line
from app.wiring import Services

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]

KEY = "k" * 40


def _preset(services: Services, name: str, connection: str) -> str:
    services.presets.save(Preset(name=name, connection=connection, reports=(ReportRequest("customers"),)))
    return name


def _dialog(qtbot, services: Services, preset: str) -> ScheduleDialog:
    dialog = ScheduleDialog.for_preset(preset, services.presets, services.connections)
    qtbot.addWidget(dialog)
    return dialog


def test_demo_and_session_only_connections_are_warned_about(qtbot, services: Services) -> None:
    services.connections.add("Demo company", "demo-account", KEY, demo=True)
    services.connections.add("Laptop only", "acc-1", KEY, session_only=True)
    services.connections.add("Acme", "acc-2", KEY)

    demo = _dialog(qtbot, services, _preset(services, "Demo sales", "Demo company"))
    assert demo.warning.isVisibleTo(demo)
    assert "demo company" in demo.warning.text() and "Manage connections" in demo.warning.text()

    session = _dialog(qtbot, services, _preset(services, "Session sales", "Laptop only"))
    assert "session only" in session.warning.text() and "“Laptop only”" in session.warning.text()

    gone = _dialog(qtbot, services, _preset(services, "Old sales", "Gone Ltd"))
    assert "no longer exists" in gone.warning.text()

    fine = _dialog(qtbot, services, _preset(services, "Acme sales", "Acme"))
    assert not fine.warning.isVisibleTo(fine)


def test_every_company_of_a_several_company_preset_is_checked(qtbot, services: Services) -> None:
    services.connections.add("Acme", "acc-2", KEY)
    services.connections.add("Laptop only", "acc-1", KEY, session_only=True)
    services.connections.add("Acme NZ", "acc-3", KEY)
    companies = ("Acme", "Laptop only", "Gone Ltd", "Acme NZ")
    services.presets.save(
        Preset(name="Group", connection="Acme", reports=(ReportRequest("customers"),), companies=companies)
    )
    group = _dialog(qtbot, services, "Group")
    text = group.warning.text()
    assert group.warning.isVisibleTo(group)
    assert "“Laptop only”, a connection kept for this session only" in text  # not the first company
    assert "“Gone Ltd”, which no longer exists" in text
    assert "Acme NZ" not in text
    # Every saved company at run time: the session-only one cannot be read then either.
    services.presets.save(
        Preset(name="All", connection="Acme", reports=(ReportRequest("customers"),), all_connections=True)
    )
    every = _dialog(qtbot, services, "All")
    assert "“Laptop only”" in every.warning.text() and "Gone Ltd" not in every.warning.text()
    services.presets.save(
        Preset(
            name="Two",
            connection="Acme",
            reports=(ReportRequest("customers"),),
            companies=("Acme", "Acme NZ"),
        )
    )
    services.connections.add("Laptop two", "acc-4", KEY, session_only=True)
    services.presets.save(
        Preset(
            name="Laptops",
            connection="Laptop only",
            reports=(ReportRequest("customers"),),
            companies=("Laptop only", "Acme", "Laptop two"),
        )
    )
    laptops_dialog = _dialog(qtbot, services, "Laptops")
    laptops = laptops_dialog.warning.text()
    assert "The connections “Laptop only” and “Laptop two” are kept for this session only" in laptops
    assert laptops.count("session only") == 1 and "Add them again" in laptops  # one sentence, not two
    fine = _dialog(qtbot, services, "Two")
    assert not fine.warning.isVisibleTo(fine)


def test_the_dialog_opens_without_sideways_scrolling(qtbot) -> None:
    dialog = ScheduleDialog("Monthly sales")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width()
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        view = dialog.tabs.widget(index)
        assert isinstance(view, QPlainTextEdit)
        qtbot.waitUntil(view.isVisible)
        assert view.horizontalScrollBar().maximum() == 0, dialog.tabs.tabText(index)
    # The cron line is on the Linux tab in full (wrapped at most, never cut).
    assert cron_line("Monthly sales") in dialog.text_of(2)
    command = dialog.command_edit  # the short command is never cut
    assert command.width() >= command.fontMetrics().horizontalAdvance(command.text())
