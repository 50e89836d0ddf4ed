"""Schedule…: the exact command that runs a preset, and how to set it up in each system's scheduler.

The app does not install schedules itself; it shows what to type and where.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

from PySide6.QtCore import QSize, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.errors import AppError
from app.services.connection_fields import ConnectionInfo
from app.ui.feedback import copy_to_clipboard

if TYPE_CHECKING:
    from app.services.connections import ConnectionStore
    from app.services.presets import PresetStore

# How much of the screen's width the dialog may take to show its longest line unwrapped.
SCREEN_SHARE = 0.9


def quoted(name: str) -> str:
    """Return a preset name quoted for a command line (double quotes inside are escaped)."""
    return '"' + name.replace('"', '\\"') + '"'


def scheduler_argv(preset: str) -> list[str]:
    """Return the full command that runs ``preset`` from a scheduler, as a program and its arguments.

    An installed (frozen) app runs its own executable; on Windows that is the console program
    ``dear-export.exe`` beside the window's ``DEAR Export.exe``, because a windowed program can
    print nothing. Run from source, it is this Python with ``-m app``.
    """
    if paths.is_frozen():
        executable = Path(sys.executable)
        console = executable.with_name("dear-export.exe")
        if sys.platform == "win32" and console.exists():
            executable = console
        return [str(executable), "run-preset", preset]
    return [sys.executable, "-m", "app", "run-preset", preset]


def program() -> str:
    """How to start the app from a scheduler: the installed program, or ``dear-export`` from source."""
    if paths.is_frozen():
        return quoted(scheduler_argv("")[0])
    return "dear-export"


def command_for(preset: str) -> str:
    """Return the exact command that runs ``preset`` without the window."""
    return f"{program()} run-preset {quoted(preset)}"


def fallback_command_for(preset: str) -> str:
    """Return the command with the program's full path, for when ``dear-export`` is not on the PATH."""
    executable, *arguments, name = scheduler_argv(preset)
    return " ".join([quoted(executable), *arguments, quoted(name)])


def windows_steps(preset: str) -> str:
    """Step-by-step Windows Task Scheduler instructions."""
    return "\n".join(
        [
            "1. Open the Start menu, type “Task Scheduler” and open it.",
            "2. In the right-hand panel choose “Create Basic Task…”.",
            f"3. Name it, for example “DEAR Export – {preset}”, and press Next.",
            "4. Choose how often (Daily, Weekly, …) and the time, then press Next.",
            "5. Choose “Start a program” and press Next.",
            "6. In “Program/script” paste the program part of the command below;",
            "   in “Add arguments” paste the rest.",
            f"      Command: {command_for(preset)}",
            f"      If that is not found: {fallback_command_for(preset)}",
            "7. Press Finish. Your computer must be on (and you signed in) at that time.",
            "8. To test it, right-click the task and choose Run; the file appears in the preset's folder.",
        ]
    )


def launchd_plist(preset: str, hour: int = 7, minute: int = 0) -> str:
    """Return a launchd agent (macOS) that runs the preset every day at ``hour:minute``."""
    items = "\n".join(f"    <string>{xml_escape(arg)}</string>" for arg in scheduler_argv(preset))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>app.dear-export.preset</string>
  <key>ProgramArguments</key>
  <array>
{items}
  </array>
  <key>StartCalendarInterval</key>
  <dict>
    <key>Hour</key>
    <integer>{hour}</integer>
    <key>Minute</key>
    <integer>{minute}</integer>
  </dict>
</dict>
</plist>
"""


def macos_steps(preset: str) -> str:
    """Step-by-step launchd instructions."""
    return "\n".join(
        [
            "1. Open TextEdit, choose Format → Make Plain Text, and paste the text below.",
            "2. Change the Hour and Minute if you want another time (24-hour clock).",
            "3. Save it as “app.dear-export.preset.plist” in your home folder's Library/LaunchAgents folder",
            "   (in Finder: Go → Go to Folder… and type ~/Library/LaunchAgents).",
            "4. Open Terminal and type:  launchctl load ~/Library/LaunchAgents/app.dear-export.preset.plist",
            "5. It runs every day at that time while you are signed in.",
            "   To stop it: launchctl unload ~/Library/LaunchAgents/app.dear-export.preset.plist",
            "",
            launchd_plist(preset),
        ]
    )


def cron_line(preset: str, hour: int = 7, minute: int = 0) -> str:
    """Return a crontab line that runs the preset every day at ``hour:minute``.

    cron starts programs without the desktop session's D-Bus address, and without it the
    keyring (Secret Service) cannot be reached to read the Application Key: pass it on.
    """
    bus = "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$(id -u)/bus"
    return f"{minute} {hour} * * * {bus} {fallback_command_for(preset)}"


def cron_steps(preset: str) -> str:
    """Step-by-step cron (Linux) instructions."""
    return "\n".join(
        [
            "1. Open a terminal and type:  crontab -e",
            "2. Add this line at the end. It runs every day at 07:00",
            "   (the first two numbers are the minute and the hour):",
            "",
            f"   {cron_line(preset)}",
            "",
            "3. Save and close the editor. cron runs it while the computer is on.",
            "   The app's log folder records every run: " + str(paths.log_dir()),
        ]
    )


def unattended_problem(connection_name: str, info: ConnectionInfo | None) -> str:
    """Say why a scheduled run of a preset with this connection cannot work, and what to do ("" if it can)."""
    if info is None:
        return (
            f"This preset uses the connection “{connection_name}”, which no longer exists, so a "
            "scheduled run would fail. Open the preset, choose one of your connections, save it, "
            "then set up the schedule."
        )
    if info.demo:
        return (
            "This preset uses the demo company, which exists only while the app is open, so a "
            "scheduled run cannot reach it. Add your own company under Manage connections, choose it "
            "for this preset and save the preset, then set up the schedule."
        )
    if info.session_only:
        return (
            f"This preset uses “{info.name}”, a connection kept for this session only: its key is "
            "not stored on this computer, so a scheduled run cannot read it and would fail. Add the "
            "connection again on a computer whose keyring works (or choose another connection for "
            "this preset), then set up the schedule."
        )
    return ""


def unattended_problems(infos: dict[str, ConnectionInfo | None]) -> str:
    """Say which of a preset's companies cannot run unattended: one sentence per kind of problem."""
    gone = [name for name, info in infos.items() if info is None]
    demo = [name for name, info in infos.items() if info is not None and info.demo]
    session = [
        name for name, info in infos.items() if info is not None and info.session_only and not info.demo
    ]
    if len(gone) + len(demo) + len(session) <= 1:
        return next((text for name, info in infos.items() if (text := unattended_problem(name, info))), "")
    sentences = []
    if gone:
        sentences.append(
            f"The connections {_names(gone)} no longer exist."
            if len(gone) > 1
            else unattended_problem(gone[0], None)
        )
    if demo:
        sentences.append(unattended_problem(demo[0], infos[demo[0]]))
    if session:
        sentences.append(
            f"The connections {_names(session)} are kept for this session only: their keys are not "
            "stored on this computer, so a scheduled run cannot read them and would fail."
            if len(session) > 1
            else unattended_problem(session[0], infos[session[0]])
        )
    if len(gone) > 1 or len(session) > 1:
        sentences.append(
            "Add them again on a computer whose keyring works (or choose other companies for this "
            "preset and save it), then set up the schedule."
        )
    return " ".join(sentences)


def _names(names: list[str]) -> str:
    quoted = [f"“{name}”" for name in names]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


class ScheduleDialog(QDialog):
    """Shows the command for one preset and the steps for Windows, macOS and Linux.

    ``warning`` (see :func:`unattended_problem`) is shown above everything when the preset cannot
    run unattended as it is.
    """

    @classmethod
    def for_preset(
        cls, preset: str, presets: PresetStore, connections: ConnectionStore, parent: QWidget | None = None
    ) -> ScheduleDialog:
        """Make the dialog for a saved preset, warning when its connection cannot run unattended."""
        try:
            saved = presets.load(preset)
        except AppError:
            return cls(preset, parent)
        # Every company the run will export: one that cannot run unattended fails the whole run.
        # (--all-connections takes the saved ones when it runs: the demo is never among them.)
        names = (
            [info.name for info in connections.list() if not info.demo]
            if saved.all_connections
            else list(saved.company_names())
        )
        infos: dict[str, ConnectionInfo | None] = {}
        for name in names:
            try:
                infos[name] = connections.info(name)
            except AppError:
                infos[name] = None
        return cls(preset, parent, warning=unattended_problems(infos))

    def __init__(self, preset: str, parent: QWidget | None = None, *, warning: str = "") -> None:
        super().__init__(parent)
        self.preset = preset
        self.setWindowTitle(f"Schedule “{preset}”")
        self.warning = QLabel(f"⚠ {warning}", self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("QLabel { color: #8a4b00; font-weight: bold; }")
        self.warning.setVisible(bool(warning))
        intro = QLabel(
            "The app does not set up schedules itself. Your computer's own scheduler can run this preset "
            "at set times with the command below; the window does not need to be open. "
            "The connection's key is read from your keyring, so set the schedule up under your own user "
            "account, signed in.",
            self,
        )
        intro.setWordWrap(True)
        self.command_edit = QLineEdit(command_for(preset), self)
        self.command_edit.setReadOnly(True)
        self.command_edit.setAccessibleName("Command")
        command_label = QLabel("&Command:", self)
        command_label.setBuddy(self.command_edit)
        self.copy_button = QPushButton("&Copy command", self)
        row = QHBoxLayout()
        row.addWidget(command_label)
        row.addWidget(self.command_edit, 1)
        row.addWidget(self.copy_button)
        self.tabs = QTabWidget(self)
        for title, text in (
            ("&Windows Task Scheduler", windows_steps(preset)),
            ("&macOS (launchd)", macos_steps(preset)),
            ("&Linux (cron)", cron_steps(preset)),
        ):
            view = QPlainTextEdit(text, self.tabs)
            view.setReadOnly(True)
            # Long lines wrap rather than scroll sideways; the dialog opens wide enough that
            # they rarely need to (see _opening_size).
            view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            self.tabs.addTab(view, title)
        if sys.platform == "darwin":
            self.tabs.setCurrentIndex(1)
        elif not sys.platform.startswith("win"):
            self.tabs.setCurrentIndex(2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.command_edit.setMinimumWidth(
            min(self.command_edit.fontMetrics().horizontalAdvance(self.command_edit.text()) + 16, 900)
        )
        self.resize(self._opening_size())

    def _opening_size(self) -> QSize:
        """Return a size showing the longest instruction line unwrapped, within the screen."""
        widest = 0
        for index in range(self.tabs.count()):
            view = self.tabs.widget(index)
            if isinstance(view, QPlainTextEdit):
                metrics = view.fontMetrics()
                lines = view.toPlainText().splitlines()
                widest = max([widest, *(metrics.horizontalAdvance(line) for line in lines)])
        # The text's frame, the tab page and the dialog's margins, with room for a scroll bar.
        wanted = QSize(widest + 120, self.fontMetrics().lineSpacing() * 34)
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry().size()
            wanted = wanted.boundedTo(
                QSize(int(room.width() * SCREEN_SHARE), int(room.height() * SCREEN_SHARE))
            )
        return wanted.expandedTo(self.minimumSizeHint())

    def text_of(self, index: int) -> str:
        """Return the instructions on one tab (tests read them)."""
        view = self.tabs.widget(index)
        assert isinstance(view, QPlainTextEdit)
        return view.toPlainText()

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        copy_to_clipboard(self.command_edit.text())
