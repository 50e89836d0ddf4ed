"""The export panel after several companies of which one could not be read: said plainly, in sight."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt

from app.sandbox import Sandbox
from tests.conftest import MemoryKeyring
from tests.ui.conftest import sheet_rows, tick
from tests.ui.test_layout import check_main_path

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.mark.parametrize("size", [(900, 500), (1280, 720)])
def test_a_refused_company_is_named_in_the_first_line_and_nothing_is_cut(
    qtbot, make_window, connect, make_sandbox: Callable[..., Sandbox], size: tuple[int, int]
) -> None:
    window = make_window()
    north = make_sandbox(rate_limit=None, seed=51, counts={"customer": 6})
    south = make_sandbox(rate_limit=None, seed=52, counts={"customer": 3})
    connect(window, north, "Company B", key="not-the-right-key")
    connect(window, south, "Company C")
    connect(window, north, "Company A")  # chosen
    window.company_bar.all_companies_action.trigger()
    tick(window, "customers")
    window.resize(*size)
    with qtbot.waitSignal(window.exports.succeeded, timeout=60_000) as blocker:
        qtbot.mouseClick(window.report_page.export_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert [row[0] for row in sheet_rows(result.files[0], "Customers")[1:]] == ["Company A"] * 6 + [
        "Company C"
    ] * 3
    panel = window.report_page.export_panel
    assert panel.status.text() == (
        "Written, without Company B: DEAR refused its Account ID and key. "
        f"The other 2 companies are in the file. 9 rows saved to {result.files[0].name}."
    )
    check_main_path(window, size)  # the whole line shows (wrapped), Export and progress in sight
    log = panel.log.toPlainText()
    assert "Company B was not exported: DEAR did not accept" in log  # the details and what to do


def test_all_companies_with_a_key_missing_exports_the_others_and_says_so(
    qtbot, make_window, connect, make_sandbox: Callable[..., Sandbox], memory_keyring: MemoryKeyring
) -> None:
    window = make_window()
    north = make_sandbox(rate_limit=None, seed=53, counts={"customer": 4})
    south = make_sandbox(rate_limit=None, seed=54, counts={"customer": 2})
    connect(window, south, "South")
    connect(window, north, "North")
    (entry,) = [e for e, value in memory_keyring.entries.items() if value == south.application_key]
    del memory_keyring.entries[entry]
    window.company_bar.all_companies_action.trigger()
    tick(window, "customers")
    with qtbot.waitSignal(window.exports.succeeded, timeout=60_000) as blocker:
        assert window.start_export()  # no error box: the company without its key fails alone
    result = blocker.args[0]
    assert [(f.company, f.exit_status) for f in result.failures] == [("South", 3)]
    assert [row[0] for row in sheet_rows(result.files[0], "Customers")[1:]] == ["North"] * 4
    assert window.report_page.export_panel.status.text().startswith(
        "Written, without South: its Application Key is not saved on this computer. "
        "The other company is in the file."
    )
    assert not south.stats()["counts"]
