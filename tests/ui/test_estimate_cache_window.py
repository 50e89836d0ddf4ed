"""The window asks before a long export, but not before a repeat whose records come from the cache."""

from __future__ import annotations

import pytest

from app.ui import export_controller
from tests.ui.conftest import tick

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def test_a_cached_repeat_is_not_announced_as_long(
    qtbot, make_window, connect, make_sandbox, answers, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = make_sandbox(rate_limit=None, counts={"sale": 120})
    # Scaled with the connection's generous limit (1,000 a second): 121 requests are about 15 s.
    monkeypatch.setattr(export_controller, "LONG_EXPORT_SECONDS", 5.0)
    window = make_window()
    connect(window, sandbox)
    tick(window, "sale-order-lines")
    window.report_page.date_row.set_spec("")  # all dates: every sale is read in detail
    answers.answer = answers.answer.Yes

    with qtbot.waitSignal(window.exports.succeeded, timeout=30000):
        assert window.start_export()
    [(title, text)] = answers.asked
    assert "take a while" in title and "120 sales need one request each" in text

    qtbot.waitUntil(lambda: not window.exports.busy)
    answers.asked.clear()
    with qtbot.waitSignal(window.exports.estimate_ready, timeout=30000) as ready:
        assert window.start_export()
    estimate = ready.args[0]
    assert estimate.from_cache == 120
    assert "all 120 sales from this computer" in estimate.explanation
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as second:
        pass
    assert second.args[0].from_cache == 120
    # nothing long to ask about (the only question left is about replacing the first file)
    assert not [text for title, text in answers.asked if "take a while" in title or "will take" in text]
    assert len(answers.asked) <= 1
