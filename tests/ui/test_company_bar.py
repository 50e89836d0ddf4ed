"""The company bar: the welcome guide, the demo company as a session-only connection."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

# The offscreen platform says this about every top-level window it shows; it is not our warning.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def test_first_run_offers_the_demo(qtbot, make_window) -> None:
    window = make_window()
    dialog = window.company_bar.maybe_show_first_run()
    assert dialog is not None
    assert "Integrations" in dialog.findChild(type(dialog.layout().itemAt(0).widget())).text()
    with qtbot.waitSignal(window.company_bar.demo_started, timeout=10000):
        qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert window.company_bar.demo_banner.isVisible()
    assert "DEMO" in window.windowTitle()
    assert window.company_bar.current_connection().demo
    assert window.company_bar.maybe_show_first_run() is None  # only once


def test_the_demo_is_an_ordinary_session_only_connection(make_window) -> None:
    window = make_window()
    bar = window.company_bar
    connection = bar.start_demo()
    assert connection.demo and connection.session_only
    [info] = window.services.connections.list()
    assert (info.name, info.demo, info.session_only) == ("Demo company", True, True)
    assert bar.connection_combo.currentText() == "Demo company (demo data)"
    assert window.services.connections.get("Demo company").base_url == connection.base_url
    window.save_state()
    # Gone next time, so never remembered as the last connection.
    assert window.services.settings.last_connection == ""


def test_a_saved_connection_named_like_the_demo_keeps_its_name(make_window, connect, sandbox) -> None:
    window = make_window()
    connect(window, sandbox, name="Demo company")
    bar = window.company_bar
    bar.start_demo()
    assert bar.connection_name() == "Demo company 2"
    assert bar.demo_banner.isVisible() and "DEMO" in window.windowTitle()
    assert bar.select("Demo company")
    assert not bar.demo_banner.isVisible() and "DEMO" not in window.windowTitle()
    assert not bar.current_connection().demo


def test_a_restarted_demo_points_the_same_entry_at_the_new_company(make_window) -> None:
    window = make_window()
    bar = window.company_bar
    first = bar.start_demo()
    window.services.demo.stop()
    second = bar.start_demo()
    assert second.base_url != first.base_url
    assert [info.name for info in window.services.connections.list()] == ["Demo company"]
    assert bar.current_connection().base_url == second.base_url
