"""The Presets tab: save the current export under a name, run one with a double-click, share, schedule."""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import catalogue
from app.dates import label as range_label
from app.errors import AppError
from app.models import ExportRequest
from app.paths import documents_dir
from app.services.connections import ConnectionStore
from app.services.presets import DEFAULT_NAME_PATTERN, PATTERN_FIELDS, Preset, PresetStore, from_document
from app.ui.feedback import confirm_destructive, feedback_for, show_error
from app.ui.schedule_dialog import ScheduleDialog

NAME_ROLE = Qt.ItemDataRole.UserRole
DESCRIPTION_ROLE = Qt.ItemDataRole.UserRole + 1


def describe(preset: Preset) -> str:
    """Return a one-line summary of a preset: reports, dates, companies and where it writes."""
    reports = ", ".join(_report_name(report.key) for report in preset.reports)
    dates = range_label(preset.date_range) if preset.date_range else "all dates"
    if preset.all_connections:
        companies = "every company"
    elif preset.several_companies:
        companies = f"{len(preset.company_names())} companies ({', '.join(preset.company_names())})"
    else:
        companies = preset.connection
    if preset.workbook:
        snapshot = ", a dated snapshot each run" if preset.snapshot else ""
        target = f"into {Path(preset.workbook).name}{snapshot}"
    else:
        target = f"saved to {preset.output_folder or 'the Documents folder'}"
    return f"{reports} · {dates} · {companies} · {target}"


def _report_name(key: str) -> str:
    """Return the report's name (the key itself for a report this version does not know)."""
    try:
        return catalogue.get(key).label
    except AppError:
        return key


def _name_in_file(path: Path) -> str:
    """Return the name of the preset in a file, or "" when it cannot be read (import says why)."""
    try:
        return from_document(json.loads(path.read_text(encoding="utf-8")), check_reports=False).name
    except (OSError, ValueError, AppError):
        return ""


class PresetHost(Protocol):
    """What the panel needs of the window: the export on screen, a place to show one, a way to run one."""

    def preset_from_screen(self, name: str, pattern: str) -> Preset:
        """Return the export on screen as a preset (ConfigurationError when it is incomplete)."""
        ...

    def show_preset(self, preset: Preset) -> None:
        """Show a preset's company, reports, filters, columns, dates and file in the Export tab."""
        ...

    def run_request(self, request: ExportRequest) -> bool:
        """Start an export now; False if it did not start."""
        ...


class PresetsPanel(QWidget):
    """Lists presets and saves, runs, loads, deletes, exports, imports and schedules them.

    The window (the :class:`PresetHost`) says what "the current export" is, shows a loaded
    preset and runs a resolved one; the panel does the rest. It reads a preset's connection
    (with its key) here, on the GUI thread, before the export starts.
    """

    def __init__(
        self,
        store: PresetStore,
        connections: ConnectionStore,
        today: Callable[[], date],
        host: PresetHost,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._connections = connections
        self._today = today
        # Weak: the host is the window that owns this panel; a strong reference would make a
        # cycle whose Qt wrappers the garbage collector may free in the wrong order.
        self._host = weakref.ref(host)
        self.schedule_dialog: ScheduleDialog | None = None
        self._running = ""  # the preset whose export runs now ("" when none)

        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("For example: Monthly sales lines")
        self.pattern_edit = QLineEdit(DEFAULT_NAME_PATTERN, self)
        self.pattern_edit.setToolTip(
            "The file name, with these placeholders filled in when the preset runs:\n"
            + "\n".join(f"{{{key}}}: {text}" for key, text in PATTERN_FIELDS.items())
        )
        self.save_button = QPushButton("&Save current export as preset", self)
        form = QFormLayout()
        name_label = QLabel("Preset &name:", self)
        name_label.setBuddy(self.name_edit)
        pattern_label = QLabel("File name p&attern:", self)
        pattern_label.setBuddy(self.pattern_edit)
        form.addRow(name_label, self.name_edit)
        form.addRow(pattern_label, self.pattern_edit)
        form.addRow("", self.save_button)

        self.list = QListWidget(self)
        self.list.setAccessibleName("Presets")
        list_label = QLabel("Saved presets (double-click or press Enter to run one):", self)
        list_label.setBuddy(self.list)
        self.run_button = QPushButton("&Run now", self)
        self.load_button = QPushButton("Show in E&xport tab", self)
        self.delete_button = QPushButton("&Delete", self)
        self.export_button = QPushButton("Export t&o file…", self)
        self.import_button = QPushButton("&Import from file…", self)
        self.schedule_button = QPushButton("Sched&ule…", self)
        # The highlighted preset in one line: reports, dates, companies, file or workbook.
        self.description = QLabel("", self)
        self.description.setWordWrap(True)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        buttons = QGridLayout()
        for index, button in enumerate(
            (
                self.run_button,
                self.load_button,
                self.schedule_button,
                self.export_button,
                self.import_button,
                self.delete_button,
            )
        ):
            buttons.addWidget(button, index // 3, index % 3)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(list_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.description)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.name_edit.returnPressed.connect(self._on_save_button_clicked)
        self.list.itemActivated.connect(self._on_list_item_activated)
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.run_button.clicked.connect(self._on_run_button_clicked)
        self.load_button.clicked.connect(self._on_load_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.schedule_button.clicked.connect(self._on_schedule_button_clicked)
        self.refresh()

    # ------------------------------------------------------------------ public

    def refresh(self, select: str = "") -> None:
        """Reload the list from the presets folder."""
        current = select or self.selected_name()
        self.list.clear()
        for preset in self._store.list():
            item = QListWidgetItem(preset.name, self.list)
            item.setData(NAME_ROLE, preset.name)
            item.setToolTip(describe(preset))
            item.setData(DESCRIPTION_ROLE, describe(preset))
        matches = self.list.findItems(current, Qt.MatchFlag.MatchExactly) if current else []
        if matches:
            self.list.setCurrentItem(matches[0])
        elif self.list.count():
            self.list.setCurrentRow(0)
        self._on_list_current_row_changed(self.list.currentRow())

    def selected_name(self) -> str:
        """Return the highlighted preset's name ("" if none)."""
        item = self.list.currentItem()
        return str(item.data(NAME_ROLE)) if item else ""

    def select(self, name: str) -> None:
        """Highlight a preset by name."""
        self.refresh(select=name)

    def set_status(self, text: str) -> None:
        """Show a short message under the list."""
        self.status.setText(text)

    def save_current(self, name: str, pattern: str = DEFAULT_NAME_PATTERN) -> bool:
        """Save the export on screen as a preset; False (with the reason shown) if it cannot be saved."""
        host = self._host()
        if host is None:
            return False
        try:
            preset = host.preset_from_screen(name, pattern)
            self._store.save(preset)
        except AppError as error:
            self.set_status(feedback_for(error).text)
            return False
        self.refresh(select=preset.name)
        self.set_status(f"Saved the preset '{preset.name}'. Double-click it to run it.")
        return True

    def run_preset(self, name: str) -> bool:
        """Run a saved preset now (its connection's key is read here, on the GUI thread)."""
        host = self._host()
        if host is None:
            return False
        try:
            preset = self._store.load(name)
            # Several companies: the store reads every one (here too, on the GUI thread).
            connection = None if preset.several_companies else self._connections.get(preset.connection)
            request = self._store.resolve(preset, self._today(), connection=connection)
        except AppError as error:
            self.set_status(feedback_for(error).text)
            return False
        # The Export tab shows what runs, so its "Save to" is the file this preset writes.
        host.show_preset(preset)
        started = host.run_request(request)
        if started:
            self._running = preset.name
            self.set_status(f"Running '{preset.name}'…")
        else:
            self.set_status(
                f"'{preset.name}' did not start: another export is running, or the Export tab says why."
            )
        return started

    def run_ended(self, outcome: str) -> None:
        """Replace "Running…" by how the preset's export ended (nothing when no preset ran)."""
        if self._running:
            self.set_status(f"'{self._running}': {outcome}")
            self._running = ""

    def load_preset(self, name: str) -> bool:
        """Show a preset's choices in the Export tab (without running it)."""
        host = self._host()
        if host is None:
            return False
        try:
            preset = self._store.load(name)
        except AppError as error:
            self.set_status(feedback_for(error).text)
            return False
        host.show_preset(preset)
        return True

    # ------------------------------------------------------------------ slots

    @Slot(int)
    def _on_list_current_row_changed(self, row: int) -> None:
        has = row >= 0
        item = self.list.item(row) if has else None
        self.description.setText(str(item.data(DESCRIPTION_ROLE)) if item is not None else "")
        for button in (
            self.run_button,
            self.load_button,
            self.delete_button,
            self.export_button,
            self.schedule_button,
        ):
            button.setEnabled(has)

    @Slot()
    def _on_save_button_clicked(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.set_status("Type a name for the preset first.")
            self.name_edit.setFocus()
            return
        self.save_current(name, self.pattern_edit.text().strip() or DEFAULT_NAME_PATTERN)

    @Slot(QListWidgetItem)
    def _on_list_item_activated(self, item: QListWidgetItem) -> None:
        self.run_preset(str(item.data(NAME_ROLE)))

    @Slot()
    def _on_run_button_clicked(self) -> None:
        if self.selected_name():
            self.run_preset(self.selected_name())

    @Slot()
    def _on_load_button_clicked(self) -> None:
        if self.selected_name():
            self.load_preset(self.selected_name())

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        name = self.selected_name()
        if not name:
            return
        if not confirm_destructive(self, "Delete preset", f"Delete the preset '{name}'?"):
            return
        try:
            self._store.delete(name)
        except AppError as error:
            self.set_status(feedback_for(error).text)
            return
        self.refresh()
        self.set_status(f"Deleted '{name}'.")

    @Slot()
    def _on_export_button_clicked(self) -> None:
        name = self.selected_name()
        if not name:
            return
        suggested = documents_dir() / f"{name}.json"
        path, _ = QFileDialog.getSaveFileName(
            self, "Export preset", str(suggested), "DEAR Export preset (*.json)"
        )
        if not path:
            return
        try:
            written = self._store.export_file(name, Path(path))
        except AppError as error:
            show_error(self, error)
            return
        self.set_status(f"Saved '{name}' to {written}. Send this file to a colleague to share the preset.")

    @Slot()
    def _on_import_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import preset", str(documents_dir()), "DEAR Export preset (*.json)"
        )
        if not path:
            return
        replace_existing = False
        incoming = _name_in_file(Path(path))
        if incoming and incoming.casefold() in {n.casefold() for n in self._store.names()}:
            if not confirm_destructive(
                self, "Replace preset", f"There is already a preset named '{incoming}'. Replace it?"
            ):
                return
            replace_existing = True
        try:
            preset = self._store.import_file(Path(path), replace_existing=replace_existing)
        except AppError as error:
            show_error(self, error)
            return
        self.refresh(select=preset.name)
        self.set_status(f"Imported '{preset.name}'.")

    @Slot()
    def _on_schedule_button_clicked(self) -> None:
        name = self.selected_name()
        if not name:
            return
        self.schedule_dialog = ScheduleDialog.for_preset(name, self._store, self._connections, self)
        self.schedule_dialog.open()
