"""Ticking several companies in the company bar, exporting them together, and presets remembering it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt

from app.sandbox import Sandbox
from app.services.presets import Preset
from tests.ui.conftest import sheet_rows, tick


def test_ticking_two_companies_exports_both_into_one_sheet(
    qtbot, make_window, connect, make_sandbox: Callable[..., Sandbox]
) -> None:
    window = make_window()
    north = make_sandbox(rate_limit=None, seed=11, counts={"customer": 9})
    south = make_sandbox(rate_limit=None, seed=12, counts={"customer": 4})
    connect(window, south, "South")
    connect(window, north, "North")  # chosen in the picker
    bar = window.company_bar
    assert bar.companies_button.isVisibleTo(window)
    assert bar.export_names() == ["North"]
    assert bar.companies_button.text().startswith("Only this company")

    bar._company_actions["South"].trigger()  # what a click on "South" in the list does

    assert bar.export_names() == ["North", "South"]
    assert bar.companies_button.text().startswith("2 companies")
    tick(window, "customers")
    with qtbot.waitSignal(window.exports.succeeded, timeout=60000) as blocker:
        qtbot.mouseClick(window.report_page.export_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result.failures == ()
    rows = sheet_rows(result.files[0], "Customers")
    assert rows[0][:2] == ("Company", "Company's base currency")
    assert [row[0] for row in rows[1:]] == ["North"] * 9 + ["South"] * 4
    log = window.report_page.export_panel.log.toPlainText()
    assert "North: " in log and "South: " in log  # progress named each company


def test_all_companies_and_only_this_one(make_window, connect, make_sandbox: Callable[..., Sandbox]) -> None:
    window = make_window()
    for seed, name in ((21, "A"), (22, "B"), (23, "C")):
        connect(window, make_sandbox(rate_limit=None, seed=seed), name)
    bar = window.company_bar
    bar.select("B")
    bar.all_companies_action.trigger()
    assert bar.export_names() == ["B", "A", "C"]
    assert bar.companies_button.text().startswith("All 3 companies")
    preset = bar.with_companies(Preset("P", "B", ()))
    assert preset.all_connections and preset.companies == ()

    bar.only_this_action.trigger()
    assert bar.export_names() == ["B"]
    assert not bar.with_companies(Preset("P", "B", ())).several_companies


def test_a_preset_ticks_its_companies(make_window, connect, make_sandbox: Callable[..., Sandbox]) -> None:
    window = make_window()
    for seed, name in ((31, "A"), (32, "B"), (33, "C")):
        connect(window, make_sandbox(rate_limit=None, seed=seed), name)
    bar = window.company_bar
    bar.select("C")
    bar.show_companies(Preset("P", "C", (), companies=("C", "A")))
    assert bar.export_names() == ["C", "A"]
    assert bar.with_companies(Preset("P", "C", ())).companies == ("C", "A")


def test_a_refused_company_is_named_in_the_window_and_the_other_written(
    qtbot, make_window, connect, make_sandbox: Callable[..., Sandbox]
) -> None:
    window = make_window()
    sb = make_sandbox(rate_limit=None, seed=13, counts={"customer": 5})
    connect(window, sb, "Refused", key="not-the-right-key")
    connect(window, sb, "Good")
    window.company_bar.tick_companies(["Refused"])
    tick(window, "customers")
    with qtbot.waitSignal(window.exports.succeeded, timeout=60000) as blocker:
        qtbot.mouseClick(window.report_page.export_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert [failure.company for failure in result.failures] == ["Refused"]
    assert [row[0] for row in sheet_rows(result.files[0], "Customers")[1:]] == ["Good"] * 5
    assert (
        "Refused was not exported: DEAR did not accept" in window.report_page.export_panel.log.toPlainText()
    )
