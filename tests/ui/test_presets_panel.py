"""The Presets tab: save, run with a double-click, share as a file; the demo's presets; its host."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.errors import ConfigurationError
from app.models import ReportRequest
from app.sandbox import Sandbox
from app.services.presets import Preset
from app.ui.presets_panel import PresetsPanel
from tests.ui.conftest import sheet_rows, tick

# The offscreen platform says this about every top-level window it shows; it is not our warning.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def test_preset_saved_then_run_with_a_double_click(qtbot, make_window, connect, sandbox: Sandbox) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, "suppliers")
    window.report_page.date_row.set_spec("last-month")
    panel = window.presets_panel
    panel.name_edit.setText("Monthly suppliers")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.list.count() == 1
    preset = window.services.presets.load("Monthly suppliers")
    assert preset.connection == "Acme test"
    assert preset.date_range == "last-month"
    assert [r.key for r in preset.reports] == ["suppliers"]

    window.tabs.setCurrentWidget(panel)
    item = panel.list.item(0)
    qtbot.waitUntil(lambda: panel.list.isVisible() and not panel.list.visualItemRect(item).isEmpty())
    where = panel.list.visualItemRect(item).center()
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as blocker:
        # A real double-click is a press and release, then the double-click event.
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=where)
        qtbot.mouseDClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=where)
    result = blocker.args[0]
    written = result.files[0]
    span = window.report_page.date_row.chosen_range()
    assert written.name == f"Monthly suppliers {span.start.isoformat()} to {span.end.isoformat()}.xlsx"
    rows = sheet_rows(written)
    assert rows[0][0] == window.report_page.pages()["suppliers"].spec.columns[0].header


def test_preset_export_and_import_files(
    qtbot, make_window, connect, sandbox: Sandbox, save_dialog, answers, tmp_path: Path
) -> None:
    window = make_window()
    connect(window, sandbox)
    tick(window, "customers")
    panel = window.presets_panel
    panel.name_edit.setText("Shared customers")
    panel.save_button.click()
    shared = tmp_path / "shared.json"
    save_dialog(shared)
    panel.export_button.click()
    assert shared.is_file() and "Shared customers" in shared.read_text(encoding="utf-8")
    assert sandbox.application_key not in shared.read_text(encoding="utf-8")

    panel.delete_button.click()
    assert panel.list.count() == 0
    panel.import_button.click()
    assert [panel.list.item(i).text() for i in range(panel.list.count())] == ["Shared customers"]
    # Importing the same file again asks before replacing.
    panel.import_button.click()
    assert any("Replace" in title for title, _ in answers.asked)
    assert panel.list.count() == 1


def test_a_preset_on_the_demo_company_runs_like_any_other(qtbot, make_window) -> None:
    window = make_window()
    window.company_bar.start_demo()
    tick(window, "customers")
    panel = window.presets_panel
    assert panel.save_current("Demo customers")
    assert window.services.presets.load("Demo customers").connection == "Demo company"
    window.tabs.setCurrentWidget(panel)
    with qtbot.waitSignal(window.exports.succeeded, timeout=30000) as blocker:
        assert panel.run_preset("Demo customers")
    assert blocker.args[0].sheets[0].rows > 0
    assert window.tabs.currentWidget() is window.report_page


class FakeHost:
    """Stands in for the window: a preset on screen, a place to show one, a run that is only recorded."""

    def __init__(self, preset: Any) -> None:
        self.preset = preset
        self.shown: list[Any] = []
        self.ran: list[Any] = []

    def preset_from_screen(self, name: str, pattern: str) -> Any:
        if self.preset is None:
            raise ConfigurationError(
                "No report is ticked.", hint="Tick the reports the preset should export."
            )
        return replace(self.preset, name=name, name_pattern=pattern)

    def show_preset(self, preset: Any) -> None:
        self.shown.append(preset)

    def run_request(self, request: Any) -> bool:
        self.ran.append(request)
        return True


def test_the_panel_saves_shows_and_runs_presets_through_its_host(
    qtbot, make_window, connect, sandbox
) -> None:
    services = make_window.services()
    connect_name = "Acme test"
    services.connections.add(
        connect_name, sandbox.account_id, sandbox.application_key, base_url=sandbox.base_url
    )
    host = FakeHost(Preset(name="x", connection=connect_name, reports=(ReportRequest("customers"),)))
    panel = PresetsPanel(services.presets, services.connections, lambda: date(2026, 11, 15), host)
    qtbot.addWidget(panel)
    assert panel.save_current("Weekly customers", "{preset} {date}")
    assert panel.list.count() == 1 and "Saved the preset" in panel.status.text()
    assert panel.load_preset("Weekly customers")
    assert [p.name for p in host.shown] == ["Weekly customers"]
    assert panel.run_preset("Weekly customers")
    # Running shows the preset first (the Export tab's "Save to" is then the file it writes).
    assert [p.name for p in host.shown] == ["Weekly customers", "Weekly customers"]
    [request] = host.ran
    assert request.connection.application_key == sandbox.application_key  # read here, on the GUI thread
    assert request.output.name == "Weekly customers 2026-11-15.xlsx"

    host.preset = None
    assert not panel.save_current("Nothing ticked")
    assert "No report is ticked" in panel.status.text()
    assert not panel.run_preset("No such preset")
    assert len(host.ran) == 1


def test_the_description_line_names_the_workbook_the_companies_and_the_reports(qtbot, make_window) -> None:
    services = make_window.services()
    for name in ("North", "South", "East"):
        services.connections.add(name, f"acc-{name}", "k" * 40)
    reports = (ReportRequest("stock-at-date"), ReportRequest("sale-profit-lines"))
    services.presets.save(
        Preset(
            name="Group stock",
            connection="North",
            reports=reports,
            date_range="last-month",
            companies=("North", "South", "East"),
            workbook=str(Path("C:/Reports/Monthly.xlsx")),
            snapshot=True,
        )
    )
    services.presets.save(
        Preset(name="Every company", connection="North", reports=reports, all_connections=True)
    )
    services.presets.save(Preset(name="Plain", connection="South", reports=(ReportRequest("customers"),)))
    panel = PresetsPanel(services.presets, services.connections, lambda: date(2026, 11, 15), FakeHost(None))
    qtbot.addWidget(panel)
    panel.show()
    panel.select("Group stock")
    line = panel.description.text()
    assert panel.description.isVisible()
    assert line.startswith("Stock on hand at a date, Sale profit by line · Last month · ")
    assert "3 companies (North, South, East)" in line
    assert "into Monthly.xlsx, a dated snapshot each run" in line
    assert line == panel.list.currentItem().toolTip()
    panel.select("Every company")
    assert "every company" in panel.description.text()
    panel.select("Plain")
    assert "· South · saved to the Documents folder" in panel.description.text()
