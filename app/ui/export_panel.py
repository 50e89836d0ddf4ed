"""The export panel: progress with records, requests and time left, the wait note, a log, and the outcome."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.models import ExportResult, Progress, RateLimit
from app.services.exporting.company_wording import written_without
from app.ui.feedback import Feedback, copy_to_clipboard, feedback_for, open_in_system
from app.ui.progress_text import (
    COUNTDOWN_INTERVAL_MS,
    countdown_text,
    counts_text,
    plain_duration,
    stage_text,
    wait_note,
)


class ExportPanel(QWidget):
    """Shows one export's progress and outcome.

    Signals:
        cancel_requested(): the user pressed Cancel.
    """

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._limit: RateLimit | None = None
        self._files: tuple[Path, ...] = ()
        self._feedback: Feedback | None = None
        self._phases_logged: set[str] = set()
        self._waits_seen = 0
        self._last_event: Progress | None = None
        self._last_log = ""
        # A wait is pushed once, with its length; the panel counts it down itself.
        self._wait_text = ""
        self._wait_until = 0.0
        self._countdown = QTimer(self)
        self._countdown.setInterval(COUNTDOWN_INTERVAL_MS)
        self._countdown.timeout.connect(self._on_countdown_timeout)

        self.status = QLabel("Choose what to export, then press Export.", self)
        self.status.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.bar.setTextVisible(True)
        self.bar.setAccessibleName("Export progress")
        self.counts = QLabel("", self)
        self.counts.setWordWrap(True)
        self.wait_label = QLabel("", self)
        self.wait_label.setWordWrap(True)
        self.wait_label.setVisible(False)
        self.wait_label.setStyleSheet("QLabel { color: palette(link); font-weight: bold; }")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop the export (Esc). Nothing half-written is left behind.")
        self.cancel_button.setEnabled(False)

        self.error_frame = QFrame(self)
        self.error_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.error_title = QLabel("", self.error_frame)
        font = self.error_title.font()
        font.setBold(True)
        self.error_title.setFont(font)
        self.error_message = QLabel("", self.error_frame)
        self.error_message.setWordWrap(True)
        self.error_hint = QLabel("", self.error_frame)
        self.error_hint.setWordWrap(True)
        self.copy_button = QPushButton("Copy det&ails", self.error_frame)
        error_layout = QVBoxLayout(self.error_frame)
        spacing = self.fontMetrics().lineSpacing() // 3
        error_layout.setContentsMargins(spacing, spacing, spacing, spacing)
        # The button shares the title's row: the message below keeps every line it needs.
        title_row = QHBoxLayout()
        title_row.addWidget(self.error_title, 1)
        title_row.addWidget(self.copy_button)
        error_layout.addLayout(title_row)
        error_layout.addWidget(self.error_message)
        error_layout.addWidget(self.error_hint)
        self.error_frame.setVisible(False)

        self.open_button = QPushButton("&Open file", self)
        self.folder_button = QPushButton("Show &in folder", self)
        self.open_button.setVisible(False)
        self.folder_button.setVisible(False)

        self.log = QPlainTextEdit(self)
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(2000)
        self.log.setAccessibleName("Export log")
        self.log.setPlaceholderText("What the export did appears here.")
        self._log_lines = self.log.fontMetrics().lineSpacing() * 2
        self.log.setMinimumHeight(self._log_lines)
        # The log takes what is left, so the progress lines above it always show in full.
        self.log.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)

        top = QHBoxLayout()
        top.addWidget(self.bar, 1)
        top.addWidget(self.cancel_button)
        results = QHBoxLayout()
        results.addWidget(self.open_button)
        results.addWidget(self.folder_button)
        results.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # The status line shares its row with the page's Export button (add_action).
        self._status_row = QHBoxLayout()
        self._status_row.addWidget(self.status, 1)
        layout.addLayout(self._status_row)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addWidget(self.wait_label)
        layout.addWidget(self.error_frame)
        layout.addLayout(results)
        layout.addWidget(self.log, 1)

        self._follow_log = True
        log_bar = self.log.verticalScrollBar()
        log_bar.rangeChanged.connect(self._on_log_bar_range_changed)
        log_bar.valueChanged.connect(self._on_log_bar_value_changed)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.folder_button.clicked.connect(self._on_folder_button_clicked)

    def add_action(self, button: QPushButton) -> None:
        """Place the page's Export button at the right of the status line, just above the bar."""
        self._status_row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

    # ------------------------------------------------------------------ state changes

    @property
    def files(self) -> tuple[Path, ...]:
        """Files of the last successful export."""
        return self._files

    @property
    def feedback(self) -> Feedback | None:
        """What the last failure said (None after success)."""
        return self._feedback

    def add_log(self, text: str) -> None:
        """Append one time-stamped line to the log (not the same line twice running) and show it."""
        if text == self._last_log:
            return
        self._last_log = text
        self.log.appendPlainText(f"{datetime.now():%H:%M:%S}  {text}")
        # Follow the newest line even when the log was scrolled up when it arrived, and keep
        # following when the log is resized (a failure's message takes its room, say).
        self._follow_log = True
        bar = self.log.verticalScrollBar()
        bar.setValue(bar.maximum())

    def explain_empty(self, filters: str) -> None:
        """Add to "Done: 0 rows" which dates and filters were set (``filters`` "" when none were)."""
        note = (
            f"No records matched: {filters}. "
            "Change the dates, or the filters under “More options”, then export again."
            if filters
            else "DEAR has no records of this kind yet."
        )
        self.status.setText(f"{self.status.text()} {note}")
        self.add_log(note)

    def begin(self, title: str, limit: RateLimit | None) -> None:
        """Reset for a new job and allow Cancel."""
        self._limit = limit
        self._files = ()
        self._feedback = None
        self._phases_logged = set()
        self._waits_seen = 0
        self._last_event = None
        self.status.setText(title)
        self.bar.setRange(0, 0)  # busy until the first count arrives
        self._set_counts("")
        self._hide_wait()
        self.error_frame.setVisible(False)
        self.log.setMinimumHeight(self._log_lines)
        self.open_button.setVisible(False)
        self.folder_button.setVisible(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self.add_log(title)

    def show_progress(self, event: Progress) -> None:
        """Update the bar, the counts, the time left and the wait note from one event."""
        self._last_event = event
        if event.records_total:
            self.bar.setRange(0, max(1, event.records_total))
            self.bar.setValue(min(event.records_done, event.records_total))
        else:
            self.bar.setRange(0, 0)
        self._set_counts(counts_text(event))
        if event.phase == "waiting":
            # The service words the wait (our pacing, DEAR throttling, a retry) and counts it down.
            self._show_wait(
                event.message or wait_note(self._limit, event.waiting_seconds), event.waiting_seconds
            )
        else:
            self._hide_wait()
            if event.message:
                self.status.setText(stage_text(event.message))
        # The first message of each phase goes to the log; the counts line shows the running numbers.
        # "done" is summed up by show_success, which lists every sheet.
        if event.message and event.phase not in self._phases_logged and event.phase != "done":
            self.add_log(stage_text(event.message))
            self._phases_logged.add(event.phase)

    def show_success(self, result: ExportResult) -> None:
        """Say what was written and offer to open it."""
        self._end()
        self._files = tuple(result.files)
        rows = sum(sheet.rows for sheet in result.sheets)
        names = ", ".join(path.name for path in result.files)
        when = plain_duration(result.seconds).replace("about ", "")
        text = f"Done: {rows:,} rows saved to {names} in {when}."
        if result.failures:
            # A company left out is said first and plainly; the log and the About sheet say what to do.
            text = f"{written_without(result)} {rows:,} rows saved to {names}."
            if not all(sheet.complete for sheet in result.sheets):
                text += " Some records could not be fetched either: see the log."
        elif not result.complete:
            text = f"Finished, but some records could not be fetched: {rows:,} rows saved to {names}."
        if result.from_cache:
            text += f" {result.from_cache:,} records were unchanged in DEAR and came from the local cache."
        self.status.setText(text)
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.add_log(text)
        for sheet in result.sheets:
            self.add_log(
                f"  {sheet.name}: {sheet.rows:,} rows{' (incomplete)' if not sheet.complete else ''}"
            )
            if sheet.note:
                self.add_log(f"    {sheet.note}")
        sheet_notes = {sheet.note for sheet in result.sheets}
        for note in result.notes:
            if note not in sheet_notes:  # said already, under its sheet
                self.add_log(note)
        self.open_button.setVisible(bool(self._files))
        self.folder_button.setVisible(bool(self._files))

    def show_failure(self, error: AppError) -> None:
        """Show what went wrong, what to try, and offer the details."""
        self._end()
        info = feedback_for(error)
        self._feedback = info
        self.status.setText("The export did not finish.")
        self.error_title.setText(info.title)
        self.error_message.setText(info.message)
        self.error_hint.setText(info.hint)
        self.error_hint.setVisible(bool(info.hint))
        self.error_frame.setVisible(True)
        # The message needs every line; the log (which repeats it) gives way on a small screen.
        self.log.setMinimumHeight(0)
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.add_log(f"Failed: {info.message}")

    def show_cancelled(self) -> None:
        """Say the export was cancelled and nothing was left behind."""
        self._end()
        self.status.setText("Export cancelled. No file was written.")
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.add_log("Cancelled. No file was written.")

    def cancelling(self) -> None:
        """Show that a cancel was asked for (the job stops at its next check)."""
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self.status.setText("Cancelling…")

    @property
    def running(self) -> bool:
        """True while a job is shown as running."""
        return self.cancel_button.isEnabled()

    def _end(self) -> None:
        # The counts stay as they ended; what was still to come means nothing once the job stopped.
        if self._last_event is not None:
            self._set_counts(counts_text(self._last_event, running=False))
        self._hide_wait()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancel")

    def _set_counts(self, text: str) -> None:
        # An empty line would still take a line's height from the message and the log.
        self.counts.setText(text)
        self.counts.setVisible(bool(text))

    def _show_wait(self, text: str, seconds: float) -> None:
        self._wait_text = text
        if seconds > 0:
            self._wait_until = time.monotonic() + seconds
            self.wait_label.setText(countdown_text(text, seconds))
            self._countdown.start()
        else:
            self._countdown.stop()
            self.wait_label.setText(text)
        self.wait_label.setVisible(True)
        self._waits_seen += 1

    def _hide_wait(self) -> None:
        self._countdown.stop()
        self.wait_label.setVisible(False)

    @property
    def waits_seen(self) -> int:
        """Return how many waiting notes this export showed (the log keeps the first)."""
        return self._waits_seen

    # ------------------------------------------------------------------ slots

    @Slot(int, int)
    def _on_log_bar_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow_log:
            self.log.verticalScrollBar().setValue(maximum)

    @Slot(int)
    def _on_log_bar_value_changed(self, value: int) -> None:
        # Scrolled up by the user: stay there until the next line arrives.
        self._follow_log = value >= self.log.verticalScrollBar().maximum()

    @Slot()
    def _on_countdown_timeout(self) -> None:
        left = self._wait_until - time.monotonic()
        self.wait_label.setText(countdown_text(self._wait_text, left))
        if left <= 0:
            self._countdown.stop()

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        self.cancel_requested.emit()

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        if self._feedback is not None:
            info = self._feedback
            copy_to_clipboard(f"{info.title}\n{info.message}\n{info.hint}\n\n{info.details}")

    @Slot()
    def _on_open_button_clicked(self) -> None:
        if self._files:
            open_in_system(self, self._files[0])  # says so, with the path, when it cannot

    @Slot()
    def _on_folder_button_clicked(self) -> None:
        if self._files:
            open_in_system(self, self._files[0], folder=True)
