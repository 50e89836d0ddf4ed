"""Errors and failures to open files, said in full: wrapped text, details, the path to copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox

from app.errors import AuthenticationError
from app.ui.feedback import PathMessage, confirm_destructive, open_in_system, show_error

pytestmark = [pytest.mark.gui]


@pytest.fixture
def system_refuses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The desktop cannot open anything (no program for .xlsx): openUrl answers False."""
    asked: list[str] = []

    def refuse(url) -> bool:
        asked.append(url.toLocalFile())
        return False

    monkeypatch.setattr(QDesktopServices, "openUrl", refuse)
    return asked


def test_open_file_says_when_the_system_cannot_and_offers_the_path(
    qtbot, tmp_path: Path, system_refuses
) -> None:
    book = tmp_path / "Sale order lines.xlsx"
    book.write_bytes(b"PK")
    message = open_in_system(None, book)
    assert isinstance(message, PathMessage)
    qtbot.addWidget(message)
    assert system_refuses == [str(book)]
    assert message.windowTitle() == "Could not open the file"
    assert str(book) in message.text()
    assert "no program set up to open this file" in message.text()
    message.copy_button.click()
    assert QGuiApplication.clipboard().text() == str(book)


def test_show_in_folder_and_a_missing_file(qtbot, tmp_path: Path, system_refuses) -> None:
    book = tmp_path / "gone.xlsx"
    message = open_in_system(None, book)
    assert message is not None
    qtbot.addWidget(message)
    assert "no longer there" in message.text() and system_refuses == []  # not even tried
    book.write_bytes(b"PK")
    folder_message = open_in_system(None, book, folder=True)
    assert folder_message is not None
    qtbot.addWidget(folder_message)
    assert system_refuses == [str(tmp_path)]
    assert folder_message.windowTitle() == "Could not open the folder"


def test_nothing_is_shown_when_the_system_opens_it(qtbot, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: True)
    book = tmp_path / "ok.xlsx"
    book.write_bytes(b"PK")
    assert open_in_system(None, book) is None


def test_an_error_box_shows_the_whole_message_and_details(qtbot) -> None:
    error = AuthenticationError(
        "DEAR refused access to Sale order lines: this Account ID and Application Key are not "
        "allowed to read sales.",
        hint="Check the key in DEAR under Integrations → API, or ask your DEAR administrator.",
        details="GET saleList: HTTP 403: Incorrect credentials!",
        endpoint="saleList",
        status=403,
    )
    box = show_error(None, error)
    qtbot.addWidget(box)
    assert box.isVisible()
    assert box.text().startswith("DEAR refused access to Sale order lines:")
    assert box.text().endswith("ask your DEAR administrator.")
    assert "saleList" not in box.text()
    assert "saleList" in box.detailedText()  # for support, behind "Show Details…"
    box.close()


def test_destructive_questions_default_to_cancel(answers) -> None:
    assert confirm_destructive(None, "Delete", "Delete it?") is True  # the recorder answers Yes
    assert answers.defaults == [QMessageBox.StandardButton.Cancel]
