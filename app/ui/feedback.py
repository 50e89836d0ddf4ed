"""Turn errors into words for office staff: a title, what happened, what to try, and details to copy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from app.errors import (
    ApiError,
    AppError,
    AuthenticationError,
    Cancelled,
    ConfigurationError,
    CredentialError,
    ExportError,
    FileInUseError,
    RateLimitedError,
    TransientApiError,
)
from app.redact import redact


@dataclass(frozen=True)
class Feedback:
    """What the window shows for one error."""

    title: str
    message: str
    hint: str
    details: str

    @property
    def text(self) -> str:
        """Message and hint as one block of text."""
        return f"{self.message}\n\n{self.hint}".strip() if self.hint else self.message


def _title_for(error: AppError) -> str:
    if isinstance(error, Cancelled):
        return "Cancelled"
    if isinstance(error, AuthenticationError):
        return "DEAR did not accept the connection"
    if isinstance(error, RateLimitedError):
        return "DEAR is busy"
    if isinstance(error, TransientApiError):
        return "Could not reach DEAR"
    if isinstance(error, ApiError):
        return "DEAR could not answer"
    if isinstance(error, FileInUseError):
        return "The file is open in another program"
    if isinstance(error, ExportError):
        return "The file could not be saved"
    if isinstance(error, CredentialError):
        return "Connection problem"
    if isinstance(error, ConfigurationError):
        return "Please check your choices"
    return "Something went wrong"


def feedback_for(error: BaseException) -> Feedback:
    """Return the title, message, hint and copyable details for any error (secrets masked)."""
    if not isinstance(error, AppError):
        error = AppError(
            "Something unexpected went wrong.",
            hint="Try again. If it happens again, use “Copy details” and send them to your support person.",
            details=f"{type(error).__name__}: {error}",
        )
    details = error.details or f"{type(error).__name__}: {error.message}"
    if isinstance(error, ApiError):
        extra = []
        if error.endpoint:
            extra.append(f"Endpoint: {error.endpoint}")
        if error.status is not None:
            extra.append(f"HTTP status: {error.status}")
        if extra:
            details = "\n".join([details, *extra])
    return Feedback(
        title=_title_for(error),
        message=redact(error.message),
        hint=redact(error.hint),
        details=redact(details),
    )


def copy_to_clipboard(text: str) -> None:
    """Put ``text`` on the system clipboard (secrets masked once more)."""
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(redact(text))


def show_error(parent: QWidget | None, error: BaseException) -> QMessageBox:
    """Show a warning box for errors outside the export panel (which shows them inline).

    The whole message wraps in the box (never cut off); technical details go behind "Show Details".
    The box is window-modal and does not block; it is returned (a box without a parent lives only
    as long as the caller keeps it).
    """
    info = feedback_for(error)
    box = QMessageBox(QMessageBox.Icon.Warning, info.title, info.text, QMessageBox.StandardButton.Ok, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if info.details and info.details != info.message:
        box.setDetailedText(info.details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def confirm_destructive(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask before deleting or replacing something; Cancel is the default, so Enter never destroys."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class PathMessage(QMessageBox):
    """Says the system could not open a file or folder, shows its path and offers to copy it."""

    def __init__(self, parent: QWidget | None, path: Path, what: str, reason: str) -> None:
        super().__init__(parent)
        self.path = path
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(f"Could not open the {what}")
        self.setText(f"{reason}\n\n{path}")
        self.setInformativeText(
            f"Copy the path and open the {what} yourself, for example from File Explorer or Finder."
        )
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = self.addButton("&Copy path", QMessageBox.ButtonRole.ActionRole)
        self.addButton(QMessageBox.StandardButton.Close)
        self.buttonClicked.connect(self._on_button_clicked)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    @Slot(QAbstractButton)
    def _on_button_clicked(self, button: QAbstractButton) -> None:
        if button is self.copy_button:
            copy_to_clipboard(str(self.path))


def open_in_system(parent: QWidget | None, path: Path, *, folder: bool = False) -> PathMessage | None:
    """Open a file (or the folder holding it) with the system; say so, with the path, when it cannot.

    Returns the message shown (None when the system opened it). ``QDesktopServices.openUrl``
    returns False when no program is set up for the file, or the desktop refuses it.
    """
    target = path.parent if folder else path
    what = "folder" if folder else "file"
    if not target.exists():
        reason = f"The {what} is no longer there: it may have been moved, renamed or deleted."
    elif QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
        return None
    elif folder:
        reason = "This computer could not show the folder."
    else:
        reason = (
            "This computer has no program set up to open this file (for an .xlsx file: Excel or LibreOffice)."
        )
    message = PathMessage(parent, target, what, reason)
    message.open()
    return message
