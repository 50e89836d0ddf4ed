"""The report picker's search: everyday words find reports, and an empty result says what to try."""

from __future__ import annotations

import pytest

from app import catalogue
from app.ui.report_picker import HINT, ReportPicker

pytestmark = [pytest.mark.gui]


def test_search_finds_by_synonym_and_says_when_nothing_matches(qtbot) -> None:
    picker = ReportPicker(catalogue.ENDPOINTS)
    qtbot.addWidget(picker)
    qtbot.keyClicks(picker.search, "sales lines last month")
    visible = picker.visible_keys()
    assert "sale-order-lines" in visible
    assert "customers" not in visible

    picker.search.clear()
    qtbot.keyClicks(picker.search, "sold")
    assert "sale-order-lines" in picker.visible_keys()

    picker.search.clear()
    qtbot.keyClicks(picker.search, "zebra")
    assert picker.visible_keys() == []
    text = picker.description.text()
    assert text.startswith("No report matches “zebra”.")
    assert "Try “sale lines”" in text
    # Every group row is hidden too, so the tree is visibly empty.
    assert all(picker.tree.topLevelItem(i).isHidden() for i in range(picker.tree.topLevelItemCount()))

    picker.search.clear()
    assert picker.description.text() == HINT
    assert len(picker.visible_keys()) == len(catalogue.ENDPOINTS)
