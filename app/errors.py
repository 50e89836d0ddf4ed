"""The exception tree every layer raises, with messages a user can act on.

::

    AppError                      message: plain English, safe to show; never a secret
    ├── ConfigurationError        bad usage: unknown report, bad filter value, bad option
    ├── CredentialError           keyring problems, unknown or incomplete connection
    │   └── KeyringUnavailableError   no usable OS keyring (fail/null backend, locked)
    ├── ApiError                  anything DEAR (or the network) did to a request
    │   ├── AuthenticationError   403: wrong Account ID / Application Key, or no permission
    │   ├── RateLimitedError      throttled and retries ran out
    │   ├── TransientApiError     5xx, timeouts, dropped connections after retries
    │   ├── BadResponseError      not JSON, truncated JSON, unexpected shape
    │   └── RequestRejectedError  other 4xx: names the endpoint and the filter DEAR rejected
    ├── ExportError               could not write the output
    │   └── FileInUseError        the target is open in another program (Excel)
    └── Cancelled                 the user (or a scheduler signal) cancelled the work

Each error carries ``message`` (what happened, plain words), ``hint`` (what to do)
and ``details`` (technical text for "Copy details"; also secret-free). The CLI maps
classes to exit codes with :func:`exit_code_for`.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """Base of every error the app raises on purpose."""

    default_hint = ""

    def __init__(self, message: str, *, hint: str | None = None, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = self.default_hint if hint is None else hint
        self.details = details

    def user_text(self) -> str:
        """Return the message and the hint as one paragraph, for a dialog or a log line."""
        return f"{self.message} {self.hint}".strip()

    def __str__(self) -> str:
        return self.user_text()


class ConfigurationError(AppError):
    """The request itself is wrong: an unknown report, a bad filter value, a bad option."""


class CredentialError(AppError):
    """A connection is missing, incomplete, or its secret cannot be read or stored."""


class KeyringUnavailableError(CredentialError):
    """No usable OS keyring on this computer (or it is locked)."""

    default_hint = (
        "You can keep the connection for this session only; it will be forgotten when the app closes."
    )


class ApiError(AppError):
    """Base for everything DEAR or the network did to a request."""

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        details: str = "",
        endpoint: str = "",
        status: int | None = None,
    ) -> None:
        super().__init__(message, hint=hint, details=details)
        self.endpoint = endpoint
        self.status = status


class AuthenticationError(ApiError):
    """DEAR answered 403: the Account ID and key were not accepted (or lack permission)."""

    default_hint = "Check the Account ID and Application Key under Integrations → API in DEAR."


class RateLimitedError(ApiError):
    """DEAR kept throttling us after every retry."""

    default_hint = (
        "Another program may be using the same API application. Try again in a few minutes, "
        "or lower this connection's share of the API limit."
    )


class TransientApiError(ApiError):
    """Server errors, timeouts and dropped connections that outlasted the retries."""

    default_hint = "Check your internet connection and try again. DEAR may also be having problems."


class CertificateError(ApiError):
    """DEAR's TLS certificate could not be checked; retrying cannot help, so it is never retried."""

    default_hint = (
        "Something between this computer and DEAR (a proxy, antivirus or a wrong clock) may be "
        "intercepting the connection. Check the computer's date and time, or ask whoever looks "
        "after your network."
    )


class RecordNotFoundError(ApiError):
    """DEAR said a record does not exist (a detail read of an ID that is gone)."""

    default_hint = "It may have been deleted in DEAR. Check the record there."

    def __init__(self, message: str, *, record_id: str = "", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.record_id = record_id


class BadResponseError(ApiError):
    """DEAR answered something that is not the JSON we expected."""

    default_hint = (
        "This is usually temporary. Try again; if it keeps happening, copy the details for support."
    )


class RequestRejectedError(ApiError):
    """DEAR rejected the request (a 4xx other than 403 and throttling)."""

    default_hint = "Check the filters you chose for this report."


class ExportError(AppError):
    """The workbook or CSV could not be written."""

    default_hint = "Check that the folder exists and that you can save files there."


class FileInUseError(ExportError):
    """The target file is open in another program, usually Excel."""

    default_hint = "Close the file in Excel (or choose another name) and export again. Nothing was changed."


class Cancelled(AppError):  # noqa: N818 - not an error to the user: they asked for it
    """The work was cancelled on request; nothing half-written is left behind."""

    def __init__(self, message: str = "The export was cancelled.", **kwargs: str) -> None:
        super().__init__(message, hint=kwargs.get("hint", ""), details=kwargs.get("details", ""))


EXIT_OK = 0
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_API = 4
EXIT_OUTPUT = 5
# The export finished and its files were written, but some records could not be read
# (DEAR's list kept changing while it was read): a scheduler must not mistake it for complete.
EXIT_INCOMPLETE = 6
EXIT_CANCELLED = 130


def exit_code_for(error: BaseException) -> int:
    """Return the documented command-line exit status for an error."""
    if isinstance(error, (Cancelled, KeyboardInterrupt)):
        return EXIT_CANCELLED
    if isinstance(error, AuthenticationError):
        return EXIT_AUTH
    if isinstance(error, ApiError):
        return EXIT_API
    if isinstance(error, ExportError):
        return EXIT_OUTPUT
    if isinstance(error, (ConfigurationError, CredentialError)):
        return EXIT_USAGE
    return 1
