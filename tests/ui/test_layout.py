"""The Export tab at real laptop sizes: Export and the progress always in sight, no label cut off.

1366x768 at 150% is 910x512 logical pixels and 1600x1000 at 200% is 800x500: the window must
work at 900x500 without scrolling, as well as at 1280x720 and 1920x1080.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

from app.errors import AuthenticationError
from app.sandbox import Sandbox
from tests.ui.conftest import tick

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]

SIZES = [(900, 500), (1280, 720), (1920, 1080)]


def visible_part(widget: QWidget) -> QRect:
    """Return the part of ``widget`` its ancestors let through, in the window's coordinates."""
    window = widget.window()
    shown = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    parent = widget.parentWidget()
    while parent is not None:
        shown = shown.intersected(QRect(parent.mapTo(window, parent.rect().topLeft()), parent.size()))
        if parent is window:
            break
        parent = parent.parentWidget()
    return shown


def fully_visible(widget: QWidget) -> bool:
    """True when the widget is shown and nothing of it is clipped by its window or an ancestor."""
    whole = QRect(widget.mapTo(widget.window(), widget.rect().topLeft()), widget.size())
    return widget.isVisible() and not widget.size().isEmpty() and visible_part(widget) == whole


def cut_texts(window: QWidget) -> list[str]:
    """Return the shown labels and buttons whose text does not fit their size (a clipped label)."""
    problems = []
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text() or (label.pixmap() and not label.pixmap().isNull()):
            continue
        if label.wordWrap():
            needed_height = label.heightForWidth(label.width())
            if needed_height > label.height():
                problems.append(
                    f"wrapped label {label.text()!r}: needs {needed_height} px high, has {label.height()}"
                )
        elif label.minimumSizeHint().width() > label.width() or label.sizeHint().height() > label.height():
            problems.append(
                f"label {label.text()!r}: needs {label.sizeHint().toTuple()}, has {label.size().toTuple()}"
            )
        elif not fully_visible(label):
            problems.append(f"label {label.text()!r} is partly outside its window")
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and button.text() and button.minimumSizeHint().width() > button.width():
            problems.append(
                f"button {button.text()!r}: needs {button.minimumSizeHint().width()} px, has {button.width()}"
            )
    return problems


def check_main_path(window: Any, size: tuple[int, int]) -> None:
    window.resize(*size)
    QApplication.processEvents()
    assert window.size().toTuple() == size, "the window cannot be made this small"
    page = window.report_page
    panel = page.export_panel
    must_show = {
        "Export button": page.export_button,
        "progress bar": panel.bar,
        "progress status": panel.status,
        "Cancel": panel.cancel_button,
        "date range": page.date_row.combo,
        "file": page.output.path_edit,
        "options summary": page.options_summary,
        "More options": page.more_button,
    }
    if panel.counts.text():
        must_show["progress counts"] = panel.counts
    if panel.error_frame.isVisible():
        must_show["error message"] = panel.error_message
    # The file's name is readable, not a dozen characters squeezed beside the buttons.
    path_edit = page.output.path_edit
    assert path_edit.width() >= path_edit.fontMetrics().averageCharWidth() * 30, (size, path_edit.width())
    search = page.report_picker.search
    assert search.fontMetrics().horizontalAdvance(search.placeholderText()) < search.width() - 30, size
    hidden = [name for name, widget in must_show.items() if not fully_visible(widget)]
    assert not hidden, f"at {size}: not fully visible: {hidden}"
    assert not cut_texts(window), f"at {size}: {cut_texts(window)}"


def test_the_window_allows_900_by_500_and_keeps_the_path_in_sight_at_its_smallest(
    make_window, connect, sandbox: Sandbox
) -> None:
    window = make_window()
    hint = window.minimumSizeHint()
    assert hint.width() <= 900 and hint.height() <= 500, hint
    # "At every size the window allows": its smallest size too.
    window.company_bar.start_demo()
    tick(window, "sale-order-lines")
    smallest = window.minimumSizeHint()
    check_main_path(window, (smallest.width(), smallest.height()))


@pytest.mark.parametrize("size", SIZES)
def test_main_path_in_sight_with_a_report_ticked(make_window, connect, sandbox: Sandbox, size) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, "sale-order-lines")
    window.report_page.date_row.set_spec("last-month")
    check_main_path(window, size)
    # The ticked report's name is readable in the picker without scrolling sideways.
    tree = window.report_page.report_picker.tree
    item = window.report_page.report_picker.item_for("sale-order-lines")
    assert tree.visualItemRect(item).intersects(tree.viewport().rect())
    # Every report's name shows whole: no name is elided and the tree never scrolls sideways.
    assert tree.sizeHintForColumn(0) <= tree.viewport().width(), (tree.sizeHintForColumn(0), size)
    assert not tree.horizontalScrollBar().isVisible()


@pytest.mark.parametrize("size", SIZES)
def test_main_path_in_sight_after_an_export_and_after_a_failure(
    qtbot, make_window, connect, sandbox: Sandbox, answers, size
) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, "customers")
    window.report_page.output.path_edit.setText(str(window.services.settings.output_folder / "c.xlsx"))
    window.report_page.output._on_path_edit_text_edited("c")
    window.resize(*size)
    with qtbot.waitSignal(window.exports.succeeded, timeout=60_000):
        assert window.start_export()
    check_main_path(window, size)
    panel = window.report_page.export_panel
    assert fully_visible(panel.open_button) and fully_visible(panel.folder_button)

    # A real failure: the same export with a key DEAR refuses.
    connect(window, sandbox, name="Wrong key", key="not-the-key")
    with qtbot.waitSignal(window.exports.failed, timeout=60_000):
        assert window.start_export()
    assert panel.error_frame.isVisible()
    check_main_path(window, size)
    assert fully_visible(panel.copy_button)


@pytest.mark.parametrize(
    "key",
    [
        "sale-order-lines",
        "customers",
        "purchase-order-lines",
        "stock-at-date",
        "stock-movement-summary",
        "sale-profit-lines",
    ],
)
def test_more_options_opens_with_no_filter_cut_on_the_right(
    make_window, connect, sandbox: Sandbox, key
) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, key)
    page = window.report_page
    page.open_options()
    QApplication.processEvents()
    dialog = page.options_dialog
    tab = page.pages()[key]
    assert dialog.isVisible() and page.report_tabs.currentWidget() is tab
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    form = tab.filters
    viewport = form.parentWidget()
    for name in (f.name for f in tab.spec.filters if f.name not in form.ranged):
        field = form.input_for(name)
        right = field.mapTo(viewport, field.rect().topRight()).x()
        assert right < viewport.width(), f"the {name} filter is cut on the right"
    assert form.note.width() <= viewport.width()
    assert fully_visible(tab.columns.list) and fully_visible(dialog.close_button)
    dialog.reject()


def test_a_long_failure_message_shows_in_full_at_900_by_500_on_the_demo(make_window) -> None:
    window = make_window()
    window.company_bar.start_demo()  # the demo banner takes a row of its own
    tick(window, "sale-order-lines")
    sentence = (
        "DEAR refused to give the sale orders of this company: either the Account ID and the key are "
        "wrong, or the API application behind them may not read sales."
    )
    window.report_page.export_panel.show_failure(
        AuthenticationError(
            f"{sentence} {sentence}", hint="Check them in DEAR under Integrations, API, then try again."
        )
    )
    check_main_path(window, (900, 500))
    panel = window.report_page.export_panel
    assert fully_visible(panel.error_message) and fully_visible(panel.error_hint)
    assert panel.error_message.heightForWidth(panel.error_message.width()) <= panel.error_message.height()


def test_a_long_options_summary_keeps_the_main_path_in_sight(make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    keys = ("customers", "suppliers", "sale-order-lines", "products")
    tick(window, *keys)
    for key in keys:
        tab = window.report_page.pages()[key]
        for line_edit in tab.filters.findChildren(QLineEdit):
            line_edit.setText("Harbour Lights")
        tab.columns.set_columns(list(tab.columns.columns())[:-2])
    summary = window.report_page.options_summary.text()
    # Every report with choices is named; their filters are counted, and listed in the tooltip.
    assert "Customers: 3 filters · 2 columns hidden" in summary
    assert all(tab.spec.label in summary for tab in window.report_page.pages().values())
    assert "Contact: Harbour Lights" in window.report_page.options_summary.toolTip()
    check_main_path(window, (900, 500))


@pytest.mark.parametrize("size", SIZES)
def test_every_control_of_the_export_tab_fits_with_several_companies_and_a_workbook(
    make_window, connect, make_sandbox, size, tmp_path
) -> None:
    # Every control that joined the Export tab after the layout: "Companies to export" beside the
    # picker, "Add to an existing workbook…" on the Save to row (with a workbook chosen), and the
    # look-up's "In:" on the Look up tab.
    window = make_window()
    north, south = make_sandbox(rate_limit=None, seed=71), make_sandbox(rate_limit=None, seed=71)
    connect(window, south, "South Pacific Trading Company Limited")
    connect(window, north, "North")
    window.company_bar.all_companies_action.trigger()
    tick(window, "sale-order-lines", "stock-at-date")
    window.report_page.output.use_workbook(tmp_path / "Monthly sales and stock figures.xlsx")
    check_main_path(window, size)
    bar = window.company_bar
    for widget in (bar.connection_combo, bar.companies_button, bar.manage_button, bar.demo_button):
        assert fully_visible(widget), widget.accessibleName() or widget.text()
    output = window.report_page.output
    for widget in (output.path_edit, output.browse_button, output.into_button, output.format_combo):
        assert fully_visible(widget), widget.accessibleName() or widget.text()
    window.tabs.setCurrentWidget(window.lookup_tab)
    QApplication.processEvents()
    assert window.size().toTuple() == size
    scope = window.lookup_tab.scope
    assert fully_visible(scope.combo) and fully_visible(window.lookup_tab.search_button)
    assert not cut_texts(window), cut_texts(window)


def test_a_long_company_name_does_not_widen_the_window(make_window, sandbox: Sandbox) -> None:
    # The longest name a connection may have (80 characters), saved before the window opens (as
    # at every start after the first), and a second company beside it.
    long_name = "Harbour Lights Wholesale, Retail and Marine Supplies Trading Company of NZ Limited"[:80]
    services = make_window.services()
    for name in (long_name, "North"):
        services.connections.add(name, sandbox.account_id, sandbox.application_key, base_url=sandbox.base_url)
    window = make_window(services)
    window.company_bar.select(long_name)
    QApplication.processEvents()
    assert window.minimumSizeHint().width() <= 900, window.minimumSizeHint()
    check_main_path(window, (900, 500))
    assert window.company_bar.connection_combo.currentText().startswith(long_name)
