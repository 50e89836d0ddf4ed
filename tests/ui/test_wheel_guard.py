"""The mouse wheel scrolls the page and changes only the field the user clicked into."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from app.ui.wheel_guard import WheelGuard, guard_fields, install_wheel_guard, is_guarded
from tests.ui.conftest import tick

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def turn_wheel(widget: QWidget, notches: int = -1) -> None:
    """Send a wheel turn to ``widget`` as the mouse would (negative: towards the user, i.e. down)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def make_form(qtbot) -> tuple[QScrollArea, QComboBox, QSpinBox, QDateEdit]:
    install_wheel_guard()
    area = QScrollArea()
    qtbot.addWidget(area)
    inner = QWidget()
    layout = QVBoxLayout(inner)
    search = QLineEdit(inner)  # the field the user is typing in (the window's first focus)
    layout.addWidget(search)
    combo = QComboBox(inner)
    combo.addItems(["Any", "Authorised", "Draft", "Voided"])
    spin = QSpinBox(inner)
    spin.setValue(5)
    date_edit = QDateEdit(inner)
    layout.addWidget(combo)
    layout.addWidget(spin)
    layout.addWidget(date_edit)
    inner.setMinimumHeight(2000)  # taller than the area: the page can scroll
    area.setWidget(inner)
    area.setWidgetResizable(True)
    area.resize(300, 200)
    guard_fields(area)
    area.show()
    qtbot.waitExposed(area)
    search.setFocus()
    return area, combo, spin, date_edit


def test_the_wheel_over_a_field_not_clicked_into_scrolls_the_page(qtbot) -> None:
    area, combo, spin, date_edit = make_form(qtbot)
    day = date_edit.date()
    for field in (combo, spin, date_edit, spin.findChild(QWidget, "qt_spinbox_lineedit")):
        assert field is not None
        before = area.verticalScrollBar().value()
        turn_wheel(field)
        assert area.verticalScrollBar().value() > before, f"the page did not scroll over {field}"
    assert combo.currentIndex() == 0
    assert spin.value() == 5
    assert date_edit.date() == day
    # A wheel turn never gives such a field the focus either.
    for field in (combo, spin, date_edit):
        assert field.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_the_wheel_changes_a_field_the_user_clicked_into(qtbot) -> None:
    area, combo, _spin, _date = make_form(qtbot)
    area.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is area)
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    before = area.verticalScrollBar().value()
    turn_wheel(combo)
    assert combo.currentIndex() == 1
    assert area.verticalScrollBar().value() == before


def test_the_guard_is_installed_once_and_covers_the_report_filters(make_window, connect, sandbox) -> None:
    window = make_window()
    assert install_wheel_guard() is install_wheel_guard()
    assert len(QApplication.instance().findChildren(WheelGuard)) == 1
    connect(window, sandbox)
    tick(window, "sale-order-lines")
    page = window.report_page
    page.open_options()
    form = page.pages()["sale-order-lines"].filters
    combos = [w for w in form.findChildren(QComboBox) if w.isVisible()]
    assert combos, "the sale lines report has a choice filter"
    values = form.values()
    for combo in combos:
        turn_wheel(combo)
        turn_wheel(combo, notches=1)
        assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert form.values() == values
    # The date range on the page itself is guarded too.
    index = page.date_row.combo.currentIndex()
    turn_wheel(page.date_row.combo)
    assert page.date_row.combo.currentIndex() == index
    page.options_dialog.reject()


def test_the_wheel_over_a_tab_bar_never_switches_tabs(qtbot, make_window, connect, sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, "customers", "sale-order-lines", "products")
    page = window.report_page
    page.open_options()
    QApplication.processEvents()
    # The report tabs in More options (whose tab bar has the dialog's first focus), the window's tabs.
    for tabs in (page.report_tabs, window.tabs):
        bar = tabs.tabBar()
        tabs.setCurrentIndex(1)
        for notches in (-1, 1, -1):
            turn_wheel(bar, notches)
            assert tabs.currentIndex() == 1, "a stray wheel turn switched tabs"
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())
        assert tabs.currentIndex() == 2  # a click still switches
    page.options_dialog.reject()


def test_every_field_and_tab_bar_of_the_window_is_guarded_and_nothing_else_is_filtered(
    qtbot, make_window, connect, sandbox
) -> None:
    """The guard watches the fields themselves: an application-wide filter stalled long exports."""
    window = make_window()
    connect(window, sandbox)
    tick(window, "customers", "sale-order-lines", "stock-at-date", "sale-profit-lines")
    page = window.report_page
    page.open_options()
    QApplication.processEvents()
    shown = (window, page.options_dialog)
    kinds = (QComboBox, QAbstractSpinBox, QTabBar)
    watched = [w for w in QApplication.allWidgets() if isinstance(w, kinds) and w.window() in shown]
    assert len(watched) > 10
    unguarded = [f"{type(w).__name__} {w.objectName()}" for w in watched if not is_guarded(w)]
    assert unguarded == []
    # Nothing else is filtered: a box nobody guarded keeps Qt's own wheel (an application-wide
    # filter would have caught it, and run for every event of every widget besides).
    loose = QComboBox()
    qtbot.addWidget(loose)
    loose.addItems(["one", "two", "three"])
    loose.show()
    turn_wheel(loose)
    assert not is_guarded(loose) and loose.currentIndex() == 1
    page.options_dialog.reject()
