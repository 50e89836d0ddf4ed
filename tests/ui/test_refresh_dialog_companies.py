"""The window and living workbooks of several companies; "Keep each run as a dated snapshot"; 900x500.

A workbook written from two companies is refreshed from both (each with its saved connection);
a company not saved here is named and Refresh stays off. Adding to a workbook shows the snapshot
choice, which the request and presets carry. At 900x500 nothing of the page or the dialog is cut.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from app.models import CancelToken, ExportRequest, ReportRequest
from app.sandbox import Sandbox
from app.services.exporting import ExportService
from app.ui.refresh_dialog import RefreshDialog
from tests.ui.conftest import add_connection, tick
from tests.ui.test_layout import check_main_path, cut_texts, fully_visible

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def two_company_workbook(window: Any, make_sandbox: Callable[..., Sandbox], path: Path) -> None:
    """Save North and South in the window's store and write a workbook of both (as ``export --into`` does)."""
    for name, seed, products in (("North", 41, 5), ("South", 42, 3)):
        sb = make_sandbox(rate_limit=None, seed=seed, counts={"product": products})
        add_connection(window, sb, name)
    store = window.services.connections
    request = ExportRequest.for_companies(
        (store.get("North"), store.get("South")), reports=(ReportRequest("products"),), output=path, into=True
    )
    assert ExportService(cache=None).run(request, CancelToken()).complete


def dialog_at(window: Any, path: Path, size: tuple[int, int] = (900, 500)) -> RefreshDialog:
    dialog = RefreshDialog(path, window.services.connections, window.company_bar.current_connection, window)
    dialog.resize(*size)
    dialog.show()
    QApplication.processEvents()
    return dialog


def test_a_two_company_workbook_is_refreshed_from_both(
    qtbot: Any, make_window: Any, make_sandbox: Callable[..., Sandbox], tmp_path: Path
) -> None:
    window = make_window()
    book = tmp_path / "Group.xlsx"
    two_company_workbook(window, make_sandbox, book)
    dialog = dialog_at(window, book)
    qtbot.addWidget(dialog)
    assert "with the data of North and South" in dialog.message.text()
    assert dialog.refresh_button.isEnabled() and fully_visible(dialog.refresh_button)
    assert not cut_texts(dialog)
    request = dialog.request()
    assert request is not None and request.into and request.output == book
    assert [c.name for c in request.connections] == ["North", "South"]

    window.services.connections.remove("South")
    dialog = dialog_at(window, book)
    qtbot.addWidget(dialog)
    text = dialog.message.text()
    assert "no connection named “South” is saved on this computer" in text
    assert not dialog.refresh_button.isEnabled()
    assert not cut_texts(dialog) and fully_visible(dialog.message)


def test_adding_to_a_workbook_offers_snapshots_which_requests_and_presets_keep(
    make_window: Any, connect: Any, sandbox: Sandbox, tmp_path: Path
) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, "product-availability")
    page, output = window.report_page, window.report_page.output
    assert not output.snapshot_box.isVisible()
    book = tmp_path / "History.xlsx"
    output.use_workbook(book)
    QApplication.processEvents()
    assert output.snapshot_box.isVisible() and not output.snapshot
    output.snapshot_box.setChecked(True)
    connection = window.company_bar.current_connection()
    request = page.build_request(connection)
    assert request.into and request.snapshot and request.output == book
    preset = page.to_preset("Daily stock", "{preset}", connection.name)
    assert preset.workbook == str(book) and preset.snapshot

    # The export page with the snapshot choice shown, at 900x500: nothing cut, the main path in sight.
    check_main_path(window, (900, 500))
    assert fully_visible(output.snapshot_box)

    # Writing a new file again hides (and clears) the choice; showing the preset brings it back.
    output.follow_preset("")
    QApplication.processEvents()
    assert not output.snapshot_box.isVisible() and not output.snapshot
    page.show_preset(preset)
    QApplication.processEvents()
    assert output.into and output.snapshot_box.isChecked() and output.snapshot
    assert page.build_request(connection).snapshot
