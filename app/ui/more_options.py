"""The "More options" window: each ticked report's filters and columns, one tab per report.

Filters and columns are not on the Export tab's main path (reports, dates, file, Export,
progress), so that path fits a small screen at large text sizes; the page shows a one-line
summary of whatever differs from the defaults instead. Changes here apply at once: the window
has no OK/Cancel of its own, only Close (and Esc).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from app.ui.report_tab import ReportTab


class MoreOptionsDialog(QDialog):
    """Holds ``report_tabs`` (a :class:`ReportTab` per ticked report); the page adds and removes them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Filters and columns")
        self.report_tabs = QTabWidget(self)
        self.report_tabs.setDocumentMode(True)
        self.no_reports_label = QLabel(
            "Tick one or more reports first: each ticked report gets its filters and columns here.", self
        )
        self.no_reports_label.setWordWrap(True)
        self.no_reports_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.no_reports_label, 1)
        layout.addWidget(self.report_tabs, 1)
        layout.addWidget(buttons)
        self.show_tabs(False)

    def show_tabs(self, any_ticked: bool) -> None:
        """Show the report tabs, or the hint when no report is ticked."""
        self.report_tabs.setVisible(any_ticked)
        self.no_reports_label.setVisible(not any_ticked)

    def open_sized(self, tab: ReportTab | None = None) -> None:
        """Open (window-modal) at a size that shows a report's filters and columns, within the screen."""
        if tab is not None:
            self.report_tabs.setCurrentWidget(tab)
        chars = self.fontMetrics().averageCharWidth()
        lines = self.fontMetrics().lineSpacing()
        hint = self.sizeHint()
        wanted_width, wanted_height = max(hint.width(), chars * 110), max(hint.height(), lines * 30)
        screen = self.screen().availableGeometry()
        self.resize(
            min(wanted_width, screen.width() * 9 // 10), min(wanted_height, screen.height() * 9 // 10)
        )
        self.open()
