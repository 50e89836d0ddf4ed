"""UI test helpers: services built by app.wiring over temporary folders, the sandbox as the DEAR account."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.models import Connection, RateLimit
from app.sandbox import Sandbox


def _connection_for(sb: Sandbox, name: str = "Acme test", *, limit: RateLimit | None = None) -> Connection:
    return Connection(name, sb.account_id, sb.application_key, sb.base_url, limit or RateLimit(1000, 1))


@pytest.fixture
def connection_for() -> Callable[..., Connection]:
    """``connection_for(sandbox, name=..., limit=...)``: a connection to a sandbox (generous limit)."""
    return _connection_for


class Answers:
    """Stands in for QMessageBox's static dialogs: records each question and gives a set answer."""

    def __init__(self) -> None:
        self.answer = QMessageBox.StandardButton.Yes
        self.asked: list[tuple[str, str]] = []
        self.defaults: list[Any] = []  # each question's default button (NoButton: Qt chooses)
        self.warnings: list[tuple[str, str]] = []

    def question(self, _parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        self.asked.append((title, text))
        self.defaults.append(args[1] if len(args) > 1 else QMessageBox.StandardButton.NoButton)
        return self.answer

    def warning(self, _parent: Any, title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        self.warnings.append((title, text))
        return QMessageBox.StandardButton.Ok


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Iterator[Answers]:
    """Patch QMessageBox.question/warning/critical/information (the only statics the UI uses)."""
    recorder = Answers()
    monkeypatch.setattr(QMessageBox, "question", recorder.question)
    monkeypatch.setattr(QMessageBox, "warning", recorder.warning)
    monkeypatch.setattr(QMessageBox, "critical", recorder.warning)
    monkeypatch.setattr(QMessageBox, "information", recorder.warning)
    yield recorder


@pytest.fixture
def save_dialog(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path | None], None]:
    """``save_dialog(path)`` makes QFileDialog.getSaveFileName/getOpenFileName answer ``path``."""

    def answer_with(path: Path | None) -> None:
        result = (str(path) if path else "", "")
        monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: result)
        monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *a, **k: result)

    return answer_with


# --------------------------------------------------------------------------- the window on a sandbox


def build_app_services(folder: Path) -> Any:
    """The window's services as app.wiring builds them, over ``folder`` (the demo without delays)."""
    from app.services.demo import DemoSession
    from app.ui.context import AppServices
    from app.wiring import build_services

    core = build_services(config_dir=folder / "config", data_dir=folder / "data")
    return AppServices(core=core, demo=DemoSession(rate_limit=None, latency_ms=0))


class WindowMaker:
    """Builds main windows on real services (settings and cache in the test's folder, in-memory keyring)."""

    def __init__(self, qtbot: Any, folder: Path) -> None:
        self.qtbot = qtbot
        self.folder = folder
        self.windows: list[Any] = []

    def services(self) -> Any:
        return build_app_services(self.folder)

    def __call__(self, services: Any = None) -> Any:
        from app.ui.main_window import MainWindow

        window = MainWindow(services or self.services())
        self.qtbot.addWidget(window)
        window.show()
        self.windows.append(window)
        return window

    def close_all(self) -> None:
        for window in self.windows:
            window.runner.cancel_all()
            window.runner.wait_for_done(10_000)
            window.services.demo.stop()


@pytest.fixture
def make_window(qtbot: Any, tmp_path: Path) -> Iterator[WindowMaker]:
    """``make_window()`` opens a main window; every window's work is stopped at teardown."""
    maker = WindowMaker(qtbot, tmp_path / "app")
    yield maker
    maker.close_all()


def add_connection(
    window: Any, sb: Sandbox, name: str = "Acme test", limit: str = "1000/1", key: str = ""
) -> str:
    """Save a connection to ``sb`` in the window's store and choose it."""
    window.services.connections.add(
        name, sb.account_id, key or sb.application_key, base_url=sb.base_url, rate_limit=limit
    )
    window.company_bar.refresh(select=name)
    return name


@pytest.fixture
def connect() -> Callable[..., str]:
    """``connect(window, sandbox, name=..., limit=..., key=...)``: add and choose a sandbox connection."""
    return add_connection


# --------------------------------------------------------------------------- helpers for the tests


def all_records(sb: Sandbox, path: str, key: str) -> list[dict[str, Any]]:
    response = requests.get(sb.base_url + path, params={"Limit": 1000}, headers=sb.headers, timeout=30)
    assert response.status_code == 200
    return response.json()[key]


def tick(window: Any, *keys: str) -> None:
    for key in keys:
        window.report_page.report_picker.item_for(key).setCheckState(0, Qt.CheckState.Checked)


def sheet_rows(path: Path, sheet: str | None = None) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book[sheet or book.sheetnames[0]].iter_rows(values_only=True))
    finally:
        book.close()
