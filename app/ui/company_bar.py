"""The company bar: which connection the window works with, managing them, the demo company and its banner.

Several companies: the "Companies to export" button (right after the picker) opens a list to
tick other companies (or all) to export together with the chosen one; the export then writes
one sheet per report with a column Company (see app.services.exporting.companies).

The demo company is an ordinary session-only connection in the connection store (marked
``demo`` and served by :class:`~app.services.demo.DemoSession`'s simulated company), so the
picker, presets and exports treat it like any other; only the banner and the title say "demo".
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.models import Connection
from app.services.connections import ConnectionInfo, ConnectionStore
from app.services.demo import DemoSession
from app.services.exporting.company_keys import read_companies
from app.services.presets import Preset
from app.services.settings import Settings
from app.ui.connections_dialog import ConnectionsDialog
from app.ui.feedback import show_error
from app.ui.first_run import FirstRunDialog
from app.ui.worker import JobRunner

log = logging.getLogger(__name__)

DEMO_BANNER = (
    "You are looking at DEMO DATA: a made-up company running on this computer. "
    "Nothing here comes from a real DEAR account."
)
NO_CONNECTION = "No connection yet: press “Manage connections…”"


def item_text(info: ConnectionInfo) -> str:
    """Return how the picker names a connection ("Acme", "Acme (this session only)", ...)."""
    if info.demo:
        return f"{info.name} (demo data)"
    return f"{info.name} (this session only)" if info.session_only else info.name


class CompanyBar(QWidget):
    """The banner for demo data, then the company picker, "Manage connections…" and the demo button.

    Signals:
        connection_chosen(str): the chosen connection changed; carries its name ("" for none).
        demo_started(object): the demo company runs and is chosen; carries its Connection.
        status_message(str): a line for the window's status bar.
    """

    connection_chosen = Signal(str)
    demo_started = Signal(object)
    status_message = Signal(str)

    def __init__(
        self,
        connections: ConnectionStore,
        demo: DemoSession,
        settings: Settings,
        runner: JobRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._connections = connections
        self._demo = demo
        self._settings = settings
        self._runner = runner
        self._infos: dict[str, ConnectionInfo] = {}
        self.connections_dialog: ConnectionsDialog | None = None
        self.first_run_dialog: FirstRunDialog | None = None

        self.demo_banner = QLabel(DEMO_BANNER, self)
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setStyleSheet(
            "QLabel { background: #fff3cd; color: #5c4400; border: 1px solid #e0c060; padding: 0.4em; }"
        )
        self.demo_banner.setVisible(False)
        self.connection_combo = QComboBox(self)
        self.connection_combo.setAccessibleName("Company connection")
        # Sized for 24 characters, not for the longest name: a long company name must not make the
        # window wider than the user made it (the combo takes the row's spare width anyway).
        self.connection_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.connection_combo.setMinimumContentsLength(24)
        label = QLabel("Compan&y:", self)
        label.setBuddy(self.connection_combo)
        # No mnemonic (the window's letters are taken); it comes right after the picker in Tab order.
        self.companies_button = QToolButton(self)
        self.companies_button.setAccessibleName("Companies to export")
        self.companies_button.setToolTip(
            "Tick other companies to export them together with this one: one sheet per report, "
            "with a column Company."
        )
        self.companies_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.companies_menu = QMenu(self.companies_button)
        self.companies_button.setMenu(self.companies_menu)
        self.all_companies_action = QAction("All companies", self)
        self.only_this_action = QAction("Only the chosen company", self)
        self._company_actions: dict[str, QAction] = {}
        self._ticked: set[str] = set()  # companies ticked besides the chosen one
        self._all_companies = False
        self.manage_button = QPushButton("&Manage connections…", self)
        self.demo_button = QPushButton("&Try with demo data", self)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.connection_combo, 1)
        row.addWidget(self.companies_button)
        row.addWidget(self.manage_button)
        row.addWidget(self.demo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.demo_banner)
        layout.addLayout(row)

        self.connection_combo.currentIndexChanged.connect(self._on_connection_combo_changed)
        self.manage_button.clicked.connect(self._on_manage_requested)
        self.demo_button.clicked.connect(self._on_demo_requested)
        self.all_companies_action.triggered.connect(self._on_all_companies_triggered)
        self.only_this_action.triggered.connect(self._on_only_this_triggered)
        self.refresh()

    # ------------------------------------------------------------------ the picker

    def refresh(self, select: str = "") -> None:
        """Reload the picker from the connection store and choose ``select`` (or keep the choice)."""
        wanted = select or self.connection_name()
        infos = self._connections.list()
        self._infos = {info.name: info for info in infos}
        combo = self.connection_combo
        combo.blockSignals(True)
        combo.clear()
        for info in infos:
            combo.addItem(item_text(info), info.name)
        if combo.count() == 0:
            combo.addItem(NO_CONNECTION, "")
        index = combo.findData(wanted) if wanted else -1
        if index < 0 and not wanted:
            index = combo.findData(self._settings.last_connection)
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)
        self._rebuild_companies_menu(infos)
        self._chosen()

    def connection_name(self) -> str:
        """Return the chosen connection's name ("" if none)."""
        return str(self.connection_combo.currentData() or "")

    def select(self, name: str) -> bool:
        """Choose a connection by name; False if there is none by that name."""
        index = self.connection_combo.findData(name)
        if index < 0:
            return False
        self.connection_combo.setCurrentIndex(index)
        return True

    def showing_demo(self) -> bool:
        """Return True while the chosen connection is the demo company."""
        info = self._infos.get(self.connection_name())
        return info is not None and info.demo

    def current_connection(self) -> Connection | None:
        """Return the chosen connection with its key (read on the GUI thread), or None with a message."""
        name = self.connection_name()
        if not name:
            self.status_message.emit("Add a connection first: press “Manage connections…”.")
            return None
        try:
            return self._connections.get(name)
        except AppError as error:
            show_error(self, error)
            return None

    def remember_choice(self) -> None:
        """Remember the chosen connection for next time (not a session-only one: it will be gone)."""
        info = self._infos.get(self.connection_name())
        if info is not None and not info.session_only and self._settings.last_connection != info.name:
            self._settings.last_connection = info.name

    def set_busy(self, busy: bool) -> None:
        """Keep the companies fixed while an export runs."""
        self.connection_combo.setEnabled(not busy)
        self.companies_button.setEnabled(not busy)

    # ------------------------------------------------------------------ several companies

    def export_names(self) -> list[str]:
        """Return the companies an export reads: the chosen one first, then those ticked, in list order."""
        chosen = self.connection_name()
        if not chosen:
            return []
        if self.showing_demo():
            return [chosen]  # made-up data is never mixed with a real company's
        ticked = [name for name in self._company_actions if self._all_companies or name in self._ticked]
        return [chosen, *(name for name in ticked if name != chosen)]

    def tick_companies(self, names: list[str] | tuple[str, ...], *, every: bool = False) -> None:
        """Tick these companies (or, with ``every``, all of them) to export with the chosen one."""
        wanted = {name.casefold() for name in names}
        self._all_companies = every
        self._ticked = {name for name in self._company_actions if name.casefold() in wanted}
        self._show_companies()

    def export_connections(self) -> tuple[Connection, ...] | None:
        """Return every company to export with its key (read here, on the GUI thread); None with a message."""
        return self._with_keys(self.export_names())

    def every_company_name(self) -> list[str]:
        """Return the chosen company, then every other saved one (the demo is never mixed with them)."""
        chosen = self.connection_name()
        if not chosen or self.showing_demo():
            return [chosen] if chosen else []
        return [chosen, *(name for name in self._company_actions if name != chosen)]

    @property
    def all_companies(self) -> bool:
        """True when "All companies" is chosen (a living workbook records it for its refresh)."""
        return self._all_companies

    def every_company(self) -> tuple[Connection, ...] | None:
        """Return :meth:`every_company_name`'s connections with their keys; None with a message."""
        return self._with_keys(self.every_company_name())

    def _with_keys(self, names: list[str]) -> tuple[Connection, ...] | None:
        if not names:
            self.status_message.emit("Add a connection first: press “Manage connections…”.")
            return None
        try:
            return read_companies(self._connections, names)  # several: a missing key fails that company alone
        except AppError as error:
            show_error(self, error)
            return None

    def with_companies(self, preset: Preset) -> Preset:
        """Return ``preset`` remembering the companies ticked here (all, or the ones named)."""
        names = self.export_names()
        if self._all_companies:
            return replace(preset, all_connections=True, companies=())
        return replace(preset, companies=tuple(names) if len(names) > 1 else (), all_connections=False)

    def show_companies(self, preset: Preset) -> None:
        """Tick the companies a preset exports (the picker shows its first)."""
        self.tick_companies(preset.company_names(), every=preset.all_connections)

    def _rebuild_companies_menu(self, infos: list[ConnectionInfo]) -> None:
        menu = self.companies_menu
        menu.clear()
        self._company_actions = {}
        for info in infos:
            if info.demo:
                continue  # the demo company is never exported with real ones
            action = QAction(item_text(info), menu)
            action.setCheckable(True)
            action.setData(info.name)
            action.toggled.connect(self._on_company_toggled)
            menu.addAction(action)
            self._company_actions[info.name] = action
        menu.addSeparator()
        menu.addAction(self.all_companies_action)
        menu.addAction(self.only_this_action)
        self._show_companies()

    def _show_companies(self) -> None:
        chosen = self.connection_name()
        self._ticked &= set(self._company_actions)  # a removed connection is no longer ticked
        for name, action in self._company_actions.items():
            action.blockSignals(True)
            # The chosen company is always exported; the others as ticked (or all).
            action.setChecked(name == chosen or self._all_companies or name in self._ticked)
            action.blockSignals(False)
            action.setEnabled(name != chosen)
        names = self.export_names()
        if self._all_companies and len(names) > 1:
            text = f"All {len(names)} companies"
        elif len(names) > 1:
            text = f"{len(names)} companies"
        else:
            text = "Only this company"
        self.companies_button.setText(f"{text} ▾")
        self.companies_button.setVisible(len(self._company_actions) > 1 and not self.showing_demo())
        self.companies_button.setAccessibleDescription(", ".join(names))

    # ------------------------------------------------------------------ the demo and the dialogs

    def start_demo(self) -> Connection:
        """Start the demo company, list it among the connections and choose it."""
        info = self._demo.start_in(self._connections)
        self.refresh(select=info.name)
        connection = self._connections.get(info.name)
        self.demo_started.emit(connection)
        self.status_message.emit("The demo company is ready. Tick a report and press Export.")
        return connection

    def maybe_show_first_run(self) -> FirstRunDialog | None:
        """Show the welcome guide when there are no connections and it was never shown."""
        if self._settings.first_run_done or self._connections.list():
            return None
        self._settings.first_run_done = True
        return self.show_first_run()

    def show_first_run(self) -> FirstRunDialog:
        """Open the welcome guide (not blocking)."""
        self.first_run_dialog = FirstRunDialog(self.window())
        self.first_run_dialog.add_requested.connect(self._on_first_run_add_requested)
        self.first_run_dialog.demo_requested.connect(self._on_demo_requested)
        self.first_run_dialog.open()
        return self.first_run_dialog

    def open_connections(self, *, add: bool = False) -> ConnectionsDialog:
        """Open the connections dialog (not blocking), optionally straight into the add form."""
        self.connections_dialog = ConnectionsDialog(self._connections, self._runner, self.window())
        self.connections_dialog.connections_changed.connect(self._on_connections_changed)
        self.connections_dialog.open()
        if add:
            self.connections_dialog.open_form()
        return self.connections_dialog

    def _chosen(self) -> None:
        self._show_companies()
        self.demo_banner.setVisible(self.showing_demo())
        self.connection_chosen.emit(self.connection_name())

    # ------------------------------------------------------------------ slots

    @Slot(int)
    def _on_connection_combo_changed(self, _index: int) -> None:
        self._chosen()
        try:
            self.remember_choice()
        except AppError as error:
            log.warning("Could not remember the connection: %s", error)

    @Slot(bool)
    def _on_company_toggled(self, checked: bool) -> None:
        action = self.sender()
        name = str(action.data()) if isinstance(action, QAction) else ""
        if self._all_companies and not checked:
            # Unticking one of "all": the rest stay ticked, by name from now on.
            self._all_companies = False
            self._ticked = set(self._company_actions)
        if checked:
            self._ticked.add(name)
        else:
            self._ticked.discard(name)
        self._show_companies()

    @Slot()
    def _on_all_companies_triggered(self) -> None:
        self.tick_companies([], every=True)

    @Slot()
    def _on_only_this_triggered(self) -> None:
        self.tick_companies([])

    @Slot()
    def _on_manage_requested(self) -> None:
        self.open_connections()

    @Slot()
    def _on_first_run_add_requested(self) -> None:
        self.open_connections(add=True)

    @Slot()
    def _on_connections_changed(self) -> None:
        select = self.connections_dialog.selected_name() if self.connections_dialog else ""
        self.refresh(select=select)

    @Slot()
    def _on_demo_requested(self) -> None:
        try:
            self.start_demo()
        except (AppError, OSError) as error:
            show_error(self, error)
