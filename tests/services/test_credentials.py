"""The keyring wrapper: usable and refused backends, plain messages, no secret in any error."""

from __future__ import annotations

from typing import Any

import keyring.backend
import pytest
from keyring.backends import fail, null
from keyring.errors import KeyringLocked, PasswordSetError

from app.errors import KeyringUnavailableError
from app.redact import redact
from app.services.credentials import (
    NO_KEYRING_DESCRIPTION,
    SERVICE_NAME,
    CredentialStore,
    describe_backend,
    unusable_reason,
)

SECRET = "f6c1e2d3-key-never-shown-0001"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A working keyring kept in a dict (the autouse ``memory_keyring`` fixture is the same idea)."""

    priority = 1
    viable = False

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.entries[(service, username)]


class LockedKeyring(keyring.backend.KeyringBackend):
    """A keyring that exists but refuses every call, as a locked keychain does."""

    priority = 1
    viable = False

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


class BrokenKeyring(LockedKeyring):
    """A keyring whose service went away mid-session (an error that is not a KeyringError)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError(f"Can't store password for {username}")

    def get_password(self, service: str, username: str) -> str | None:
        raise ConnectionResetError("the keyring daemon closed the connection")


def _fake_backend(module: str, qualname: str) -> keyring.backend.KeyringBackend:
    """An instance of a do-nothing backend class that claims to live in ``module``."""
    cls = type(
        qualname,
        (MemoryKeyring,),
        {"__module__": module, "__qualname__": qualname, "priority": 1, "viable": False},
    )
    return cls()


@pytest.mark.parametrize(
    ("module", "qualname", "expected"),
    [
        ("keyring.backends.Windows", "WinVaultKeyring", "Windows Credential Manager"),
        ("keyring.backends.macOS", "Keyring", "macOS Keychain"),
        ("keyring.backends.SecretService", "Keyring", "Secret Service (GNOME Keyring)"),
        ("keyring.backends.libsecret", "Keyring", "Secret Service (GNOME Keyring)"),
        ("keyring.backends.kwallet", "DBusKeyring", "KDE Wallet"),
        ("keyrings.alt.file", "PlaintextKeyring", NO_KEYRING_DESCRIPTION),
        ("keyrings.alt.file", "EncryptedKeyring", NO_KEYRING_DESCRIPTION),
    ],
)
def test_backend_names_for_the_window_and_self_test(module: str, qualname: str, expected: str) -> None:
    assert describe_backend(_fake_backend(module, qualname)) == expected


def test_fail_and_null_backends_are_refused_with_plain_reasons() -> None:
    assert describe_backend(fail.Keyring()) == NO_KEYRING_DESCRIPTION
    assert describe_backend(null.Keyring()) == NO_KEYRING_DESCRIPTION
    assert "no keyring" in (unusable_reason(fail.Keyring()) or "")
    assert "switched off" in (unusable_reason(null.Keyring()) or "")
    assert "ordinary file" in (unusable_reason(_fake_backend("keyrings.alt.file", "PlaintextKeyring")) or "")
    assert unusable_reason(MemoryKeyring()) is None


def test_a_chain_is_judged_by_the_backend_that_will_hold_the_secret() -> None:
    class Chain(MemoryKeyring):
        viable = False

        def __init__(self, members: list[keyring.backend.KeyringBackend]) -> None:
            super().__init__()
            self.backends = members

    windows = _fake_backend("keyring.backends.Windows", "WinVaultKeyring")
    plaintext = _fake_backend("keyrings.alt.file", "PlaintextKeyring")
    assert describe_backend(Chain([windows, plaintext])) == "Windows Credential Manager"
    assert unusable_reason(Chain([plaintext, windows])) is not None
    assert unusable_reason(Chain([])) is not None


def test_round_trip_in_a_usable_keyring(memory_keyring: Any) -> None:
    store = CredentialStore()
    assert store.is_usable()
    store.write("conn-1", SECRET)
    assert memory_keyring.entries == {(SERVICE_NAME, "conn-1"): SECRET}
    assert SERVICE_NAME == "DEAR Export"
    assert store.read("conn-1") == SECRET
    assert redact(f"key={SECRET}") == "key=••••••••"
    assert store.delete("conn-1") is True
    assert store.read("conn-1") is None
    assert store.delete("conn-1") is False


def test_the_current_default_keyring_is_looked_up_on_every_call() -> None:
    store = CredentialStore()
    replacement = MemoryKeyring()
    keyring.set_keyring(replacement)
    store.write("conn-2", SECRET)
    assert replacement.entries[(SERVICE_NAME, "conn-2")] == SECRET


def test_no_keyring_explains_what_happened_and_what_to_do() -> None:
    store = CredentialStore(fail.Keyring())
    assert not store.is_usable()
    assert store.description() == NO_KEYRING_DESCRIPTION
    with pytest.raises(KeyringUnavailableError) as caught:
        store.write("conn-1", SECRET)
    error = caught.value
    assert error.message.startswith("Application Keys cannot be stored safely:")
    assert "session only" in error.hint
    assert "fail" in error.details
    assert SECRET not in f"{error} {error.details} {error!r}"
    with pytest.raises(KeyringUnavailableError):
        store.read("conn-1")


def test_null_backend_never_silently_drops_a_key() -> None:
    with pytest.raises(KeyringUnavailableError, match="switched off"):
        CredentialStore(null.Keyring()).write("conn-1", SECRET)


def test_locked_keyring_becomes_a_plain_error_without_the_secret() -> None:
    store = CredentialStore(LockedKeyring())
    for action in (lambda: store.write("c", SECRET), lambda: store.read("c"), lambda: store.delete("c")):
        with pytest.raises(KeyringUnavailableError) as caught:
            action()
        assert "is locked" in caught.value.message
        assert SECRET not in f"{caught.value} {caught.value.details}"


def test_other_keyring_failures_are_explained_too() -> None:
    store = CredentialStore(BrokenKeyring())
    with pytest.raises(KeyringUnavailableError, match="did not respond as expected") as caught:
        store.write("c", SECRET)
    assert "PasswordSetError" in caught.value.details
    with pytest.raises(KeyringUnavailableError) as caught:
        store.read("c")
    assert "ConnectionResetError" in caught.value.details
    assert "keyring service may be missing" in caught.value.details
