"""The export panel's words and states, fed real Progress and ExportResult values."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.errors import FileInUseError
from app.models import ExportResult, Progress, RateLimit, SheetSummary
from app.ui.export_panel import ExportPanel
from app.ui.naming import default_stem
from app.ui.progress_text import countdown_text, plain_duration, wait_note

pytestmark = pytest.mark.gui


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (3, "about 3 seconds"),
        (41, "about 45 seconds"),
        (60, "about 1 minute"),
        (21 * 60 + 10, "about 21 minutes"),
        (65 * 60, "about 1 hour 5 minutes"),
        (120 * 60, "about 2 hours"),
    ],
)
def test_plain_duration(seconds: float, text: str) -> None:
    assert plain_duration(seconds) == text


def test_wait_note_names_the_limit() -> None:
    assert wait_note(RateLimit(60, 60), 39.2) == "DEAR limits us to 60 requests a minute; continuing in 40 s"
    assert wait_note(RateLimit(30, 60), 5) == "DEAR limits us to 30 requests a minute; continuing in 5 s"


def test_default_file_names() -> None:
    assert default_stem(["Sale order lines"], date(2026, 10, 1), date(2026, 10, 31)) == (
        "Sale order lines 2026-10-01 to 2026-10-31"
    )
    assert default_stem(["Customers", "Suppliers"], date(2026, 1, 5), date(2026, 1, 5)) == (
        "Customers and Suppliers 2026-01-05"
    )
    assert default_stem(["A", "B", "C"], date(2026, 1, 1), None).startswith("A and 2 more since 2026-01-01")
    assert default_stem(['Bad: "name"/x'], date(2026, 1, 1), date(2026, 1, 2)) == (
        "Bad- -name--x 2026-01-01 to 2026-01-02"
    )


def test_progress_waiting_success_and_failure(qtbot, tmp_path: Path) -> None:
    panel = ExportPanel()
    qtbot.addWidget(panel)
    panel.begin("Exporting…", RateLimit())
    assert panel.running and panel.cancel_button.isEnabled()
    panel.show_progress(Progress("details", "Reading sales: 10 of 40", 10, 40, 12, 30, 0.0, 31.0))
    assert panel.bar.maximum() == 40 and panel.bar.value() == 10
    assert (
        panel.counts.text()
        == "10 of 40 records · 12 requests to DEAR (30 still to go) · about 35 seconds left"
    )
    assert not panel.wait_label.isVisibleTo(panel)
    # One source of truth for how far: the counts line. The status line names the stage only, so a
    # wait event carrying newer counts cannot leave an older "10 of 40" beside a newer "14 of 40".
    assert panel.status.text() == "Reading sales"
    panel.show_progress(
        Progress("waiting", "DEAR limits us to 60 requests a minute; continuing in 40 s", 14, 40)
    )
    assert panel.wait_label.isVisibleTo(panel) and "continuing in 40 s" in panel.wait_label.text()
    assert panel.status.text() == "Reading sales"  # the wait has its own line
    assert panel.counts.text().startswith("14 of 40 records")
    assert "10 of 40" not in panel.status.text() + panel.counts.text()
    panel.show_progress(Progress("details", "Reading sales: 15 of 40", 15, 40))
    assert not panel.wait_label.isVisibleTo(panel)

    target = tmp_path / "out.xlsx"
    result = ExportResult(
        (target,),
        (SheetSummary("Sale order lines", 120, True, "All 40 sales arrived."),),
        44,
        75.0,
        # The service also lists the sheet's note among the export's notes: logged once all the same.
        notes=("All 40 sales arrived.", "Prices are in each sale's own currency."),
    )
    panel.show_success(result)
    assert panel.status.text() == "Done: 120 rows saved to out.xlsx in 1 minute."
    assert panel.open_button.isVisibleTo(panel) and panel.files == (target,)
    assert not panel.running
    log = panel.log.toPlainText()
    assert log.count("All 40 sales arrived.") == 1
    assert log.count("Prices are in each sale's own currency.") == 1

    panel.begin("Exporting again…", RateLimit())
    assert not panel.open_button.isVisibleTo(panel)
    panel.show_failure(FileInUseError("out.xlsx is open in Excel."))
    assert panel.error_frame.isVisibleTo(panel)
    assert panel.error_title.text() == "The file is open in another program"
    assert "Close the file in Excel" in panel.error_hint.text()


def test_countdown_text_counts_the_last_seconds_in_the_note() -> None:
    note = "DEAR limits us to 60 requests a minute; continuing in 40 s"
    assert countdown_text(note, 38.2) == "DEAR limits us to 60 requests a minute; continuing in 39 s"
    assert countdown_text(note, 0.0) == "DEAR limits us to 60 requests a minute; continuing in 1 s"
    assert countdown_text("Waiting for DEAR", 12) == "Waiting for DEAR (12 s)"


def test_a_wait_without_a_length_is_shown_as_it_is(qtbot) -> None:
    panel = ExportPanel()
    qtbot.addWidget(panel)
    panel.begin("Exporting…", RateLimit())
    panel.show_progress(Progress("waiting", "DEAR asked us to slow down; continuing in 7 s", 1, 2))
    assert panel.wait_label.text() == "DEAR asked us to slow down; continuing in 7 s"
    panel.show_progress(Progress("waiting", "", 1, 2, waiting_seconds=4.2))
    assert panel.wait_label.text() == "DEAR limits us to 60 requests a minute; continuing in 5 s"
