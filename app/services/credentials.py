"""Application Keys in the OS keyring: Windows Credential Manager, macOS Keychain or Secret Service.

One keyring entry per connection, under the service name "DEAR Export" with the connection's
stable id as the user name (so a rename never moves the secret). Backends that do not keep a
secret safe are refused, never used quietly: the "fail" backend (no keyring at all), the "null"
backend (drops everything) and the keyrings.alt file backends (plain or weakly protected files).

Thread safety: keyring backends are not thread-safe and may show an unlock prompt, so use this
module (and ``ConnectionStore``) from the GUI thread or the command line only, never from a worker.
"""

from __future__ import annotations

import logging
import sys

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

from app import APP_NAME
from app.errors import KeyringUnavailableError
from app.redact import redact, register_secret

log = logging.getLogger(__name__)

SERVICE_NAME = APP_NAME
"""The keyring service every entry is filed under ("DEAR Export")."""

_FRIENDLY_NAMES = {
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Manager",
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.SecretService.Keyring": "Secret Service (GNOME Keyring)",
    "keyring.backends.libsecret.Keyring": "Secret Service (GNOME Keyring)",
    "keyring.backends.kwallet.DBusKeyring": "KDE Wallet",
    "keyring.backends.kwallet.DBusKeyringKWallet4": "KDE Wallet",
}
NO_KEYRING_DESCRIPTION = "Nowhere safe: no usable keyring here, so keys are kept for this session only"


def _qualified_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _effective(backend: KeyringBackend) -> KeyringBackend | None:
    """Return the backend that will actually hold secrets (the first member of a chain), or None."""
    members = getattr(backend, "backends", None)
    if isinstance(members, list | tuple):
        return members[0] if members else None
    return backend


def unusable_reason(backend: KeyringBackend) -> str | None:
    """Say in plain words why ``backend`` must not hold an Application Key; None when it is fine."""
    effective = _effective(backend)
    if effective is None:
        return "this computer has no keyring (secure password storage) the app can use"
    module = type(effective).__module__
    name = _qualified_name(effective)
    if name == "keyring.backends.fail.Keyring":
        return "this computer has no keyring (secure password storage) the app can use"
    if name == "keyring.backends.null.Keyring":
        return "password storage is switched off on this computer (the keyring is set to 'null')"
    if module.startswith("keyrings.alt"):
        return "the only keyring available keeps passwords in an ordinary file, which is not safe enough"
    return None


def describe_backend(backend: KeyringBackend) -> str:
    """Name where secrets go with ``backend``, as the window and the self-test show it."""
    if unusable_reason(backend) is not None:
        return NO_KEYRING_DESCRIPTION
    effective = _effective(backend)
    assert effective is not None  # unusable_reason covers an empty chain
    name = _qualified_name(effective)
    if name in _FRIENDLY_NAMES:
        return _FRIENDLY_NAMES[name]
    return str(getattr(effective, "name", type(effective).__name__))


def keyring_remedy() -> str:
    """Say what makes a keyring available on this operating system, in plain words."""
    if sys.platform == "win32":
        return "Sign in to Windows with your own account so that Windows Credential Manager is available."
    if sys.platform == "darwin":
        return "Unlock your login keychain (Keychain Access) and try again."
    return (
        "Install and unlock a keyring that offers the Secret Service (GNOME Keyring or KDE Wallet), "
        "then try again."
    )


def _what_to_do() -> str:
    return f"{keyring_remedy()} Until then you can keep a connection for this session only (in the window)."


class CredentialStore:
    """Reads, writes and deletes Application Keys in one keyring backend.

    ``backend`` None means the keyring library's current default (looked up on every call, so
    ``keyring.set_keyring`` takes effect). GUI thread or command line only (see the module note).
    """

    def __init__(self, backend: KeyringBackend | None = None, service: str = SERVICE_NAME) -> None:
        self._backend = backend
        self._service = service

    @property
    def backend(self) -> KeyringBackend:
        """The keyring backend in use."""
        return self._backend if self._backend is not None else keyring.get_keyring()

    def description(self) -> str:
        """Name where secrets will be stored ("Windows Credential Manager", "macOS Keychain", ...)."""
        return describe_backend(self.backend)

    def is_usable(self) -> bool:
        """Tell whether the backend can keep a secret safely (it may still be locked)."""
        return unusable_reason(self.backend) is None

    def ensure_usable(self) -> None:
        """Raise KeyringUnavailableError when the backend must not hold a secret."""
        backend = self.backend
        reason = unusable_reason(backend)
        if reason is not None:
            raise KeyringUnavailableError(
                f"Application Keys cannot be stored safely: {reason}.",
                hint=_what_to_do(),
                details=f"keyring backend: {_qualified_name(backend)}",
            )

    def read(self, entry: str) -> str | None:
        """Return the secret stored under ``entry``, or None if there is none."""
        self.ensure_usable()
        try:
            secret = self.backend.get_password(self._service, entry)
        except Exception as error:  # every backend failure becomes one plain message
            raise self._failure("read", error) from error
        if secret:
            register_secret(secret)
        return secret or None

    def write(self, entry: str, secret: str) -> None:
        """Store ``secret`` under ``entry``, replacing any earlier one."""
        register_secret(secret)
        self.ensure_usable()
        try:
            self.backend.set_password(self._service, entry, secret)
        except Exception as error:  # see read()
            raise self._failure("save", error) from error

    def delete(self, entry: str) -> bool:
        """Remove the secret under ``entry``; False when there was none."""
        self.ensure_usable()
        try:
            self.backend.delete_password(self._service, entry)
        except PasswordDeleteError:
            return False
        except Exception as error:  # see read()
            raise self._failure("delete", error) from error
        return True

    def _failure(self, verb: str, error: BaseException) -> KeyringUnavailableError:
        where = self.description()
        locked = "lock" in type(error).__name__.lower() or "locked" in str(error).lower()
        what = f"{where} is locked" if locked else f"{where} did not respond as expected"
        technical = redact(f"{_qualified_name(self.backend)}: {type(error).__name__}: {error}")
        log.warning("Keyring %s failed: %s", verb, technical)
        if not isinstance(error, KeyringError):
            technical += " (not a keyring error: the keyring service may be missing or stopped)"
        return KeyringUnavailableError(
            f"Could not {verb} the Application Key: {what}.",
            hint=_what_to_do(),
            details=technical,
        )
