"""Turn errors into words for office staff: a title, what happened, what to try, and details to copy."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

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


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """Show a simple warning box for errors outside the export panel (which shows them inline)."""
    info = feedback_for(error)
    QMessageBox.warning(parent, info.title, info.text)
