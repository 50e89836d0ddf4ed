"""Done when (issue 12): from the first start, the demo's "sale lines for last month" in at most five clicks.

Real clicks (qtbot.mouseClick) at 900x500, 1280x720 and 1920x1080 logical pixels, with nothing
scrolled: the guide's demo button, the report's tick box, the date range and its "Last month",
Export. Every question the app asks on the way would be a click too, so they are counted.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionButton, QWidget

from app.models import CancelToken, RateLimit
from app.services.demo import DEMO_RATE_LIMIT
from app.ui.export_controller import LONG_EXPORT_SECONDS
from tests.ui.conftest import sheet_rows
from tests.ui.test_layout import fully_visible

# The offscreen platform's own notes when a window or a drop-down list opens; not our warnings.
pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(
        "This plugin does not support propagateSizeHints",
        "This plugin does not support raise",
        "This plugin does not support grabbing the keyboard",
    ),
]


class Clicker:
    """Clicks like a user and counts every click."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.count = 0

    def click(self, widget: QWidget, pos: QPoint | None = None) -> None:
        assert widget.isVisible(), f"{widget} is not on screen"
        if pos is None:
            assert fully_visible(widget), f"{widget} is not fully in sight"
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or widget.rect().center())
        self.count += 1
        QApplication.processEvents()


def check_box_position(tree: Any, item: Any) -> QPoint:
    """Return the middle of a tree item's tick box, in the tree's viewport."""
    rect = tree.visualItemRect(item)
    option = QStyleOptionButton()
    indicator = tree.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, option, tree)
    margin = tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1
    return QPoint(rect.left() + margin + indicator // 2, rect.center().y())


@pytest.mark.parametrize("size", [(900, 500), (1280, 720), (1920, 1080)])
def test_first_export_of_sale_lines_for_last_month_takes_five_clicks(
    qtbot, make_window, answers, size: tuple[int, int]
) -> None:
    window = make_window()
    window.resize(*size)
    QApplication.processEvents()
    clicks = Clicker(qtbot)

    guide = window.company_bar.maybe_show_first_run()
    assert guide is not None, "the first start shows the welcome guide"
    qtbot.waitExposed(guide)
    clicks.click(guide.demo_button)  # 1
    assert window.company_bar.showing_demo()

    page = window.report_page
    tree = page.report_picker.tree
    item = page.report_picker.item_for("sale-order-lines")
    assert "Sale order lines" in item.text(0)
    assert tree.visualItemRect(item).bottom() < tree.viewport().height(), "the report needs scrolling"
    clicks.click(tree.viewport(), check_box_position(tree, item))  # 2
    assert page.report_picker.selected_keys() == ["sale-order-lines"]

    combo = page.date_row.combo
    clicks.click(combo)  # 3: the list of quick ranges opens
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    # The open list ignores a release within the double-click time (Qt's guard against the click
    # that opened it); a person's next click comes later than that.
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    row = combo.findData("last-month")
    index = view.model().index(row, 0)
    clicks.click(view.viewport(), view.visualRect(index).center())  # 4
    assert combo.currentData() == "last-month"
    qtbot.waitUntil(lambda: not view.isVisible())

    # No page scrolling: Export and the progress are in sight as they are.
    assert fully_visible(page.export_button) and fully_visible(page.export_panel.bar)
    with qtbot.waitSignal(window.exports.succeeded, timeout=120_000):
        clicks.click(page.export_button)  # 5
    assert clicks.count + len(answers.asked) <= 5, answers.asked
    assert clicks.count == 5

    [path] = page.export_panel.files
    assert path.name.startswith("Sale order lines")
    rows = sheet_rows(path)
    assert len(rows) > 1 and rows[0][0]  # a header and at least one sale line
    assert page.export_panel.status.text().startswith("Done:")
    assert fully_visible(page.export_panel.open_button)

    # The test's demo runs without DEAR's request limit; with the real demo's limit the same
    # export must still start without the "will take a while" question (a sixth click).
    request = window.exports.last_request
    assert request is not None
    limited = replace(request, connection=replace(request.connection, rate_limit=RateLimit(*DEMO_RATE_LIMIT)))
    estimate = window.services.exporter.estimate(limited, CancelToken())
    assert estimate.seconds <= LONG_EXPORT_SECONDS, estimate.explanation
