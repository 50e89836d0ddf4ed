"""No two Alt+letter shortcuts in the same window: every widget, tab, menu and menu item is walked."""

from __future__ import annotations

from collections import defaultdict

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QTabBar,
    QWidget,
)

from app.sandbox import Sandbox
from tests.ui.conftest import tick

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def mnemonic(text: str) -> str:
    """Return the Alt+letter a Qt text gives ("" if none); "&&" is a literal ampersand."""
    text = text.split("\t", 1)[0]
    index = 0
    while index < len(text) - 1:
        if text[index] == "&":
            if text[index + 1] != "&":
                return text[index + 1].lower()
            index += 1
        index += 1
    return ""


def test_mnemonic_reading() -> None:
    assert mnemonic("E&xport") == "x"
    assert mnemonic("Fish && &chips") == "c"
    assert mnemonic("&Cancel export\tEsc") == "c"
    assert mnemonic("Ready.") == ""


def shown_mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Alt+letters active in ``window`` now: shown buttons, labels, group boxes, tabs, menu titles."""
    found: dict[str, list[str]] = defaultdict(list)

    def note(text: str, what: str) -> None:
        key = mnemonic(text)
        if key:
            found[key].append(f"{what} {text!r}")

    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
            continue
        if isinstance(widget, QAbstractButton):
            note(widget.text(), "button")
        elif isinstance(widget, QLabel):
            note(widget.text(), "label")
        elif isinstance(widget, QGroupBox):
            note(widget.title(), "group")
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                note(widget.tabText(index), "tab")
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            note(action.text(), "menu")
    return found


def clashes(found: dict[str, list[str]]) -> dict[str, list[str]]:
    return {key: owners for key, owners in found.items() if len(owners) > 1}


def menu_clashes(menu: QMenu) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for action in menu.actions():
        key = mnemonic(action.text())
        if key and action.isVisible():
            found[key].append(action.text())
        if action.menu() is not None:
            assert not menu_clashes(action.menu())
    return clashes(found)


def test_no_mnemonic_clashes_in_the_window_its_tabs_menus_and_options(
    make_window, connect, sandbox: Sandbox
) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, "sale-order-lines", "customers")
    page = window.report_page
    # A finished export and a failed one show their buttons too (Open file, Show in folder, Copy).
    page.export_panel.open_button.setVisible(True)
    page.export_panel.folder_button.setVisible(True)
    page.export_panel.error_frame.setVisible(True)
    checked = 0
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        found = shown_mnemonics(window)
        assert not clashes(found), f"tab {window.tabs.tabText(index)!r}: {clashes(found)}"
        checked += sum(len(owners) for owners in found.values())
    assert checked > 20  # the walk really saw the window's buttons, labels, tabs and menus

    for action in window.menuBar().actions():
        assert action.menu() is not None
        assert not menu_clashes(action.menu()), action.text()

    # The options window is a window of its own: each report's filters and columns.
    page.open_options()
    dialog = page.options_dialog
    for index in range(page.report_tabs.count()):
        page.report_tabs.setCurrentIndex(index)
        QApplication.processEvents()
        found = shown_mnemonics(dialog)
        assert not clashes(found), f"options of {page.report_tabs.tabText(index)!r}: {clashes(found)}"
    dialog.reject()


def test_esc_is_shown_beside_cancel_export(make_window) -> None:
    window = make_window()
    assert window.cancel_action.text().endswith("\tEsc")
    assert window.escape_shortcut.key().toString() == "Esc"
