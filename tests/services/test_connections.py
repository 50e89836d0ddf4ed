"""ConnectionStore: keys only in the keyring, the rest in settings, plain messages, hooks."""

from __future__ import annotations

import json
import logging
import socket
import uuid
from pathlib import Path
from typing import Any

import keyring.backend
import pytest
from keyring.backends import fail
from keyring.errors import KeyringLocked

from app import paths
from app.errors import (
    AuthenticationError,
    ConfigurationError,
    CredentialError,
    KeyringUnavailableError,
    TransientApiError,
    exit_code_for,
)
from app.models import DEFAULT_BASE_URL, Connection, RateLimit, ReportRequest
from app.redact import redact
from app.sandbox import COMPANY, Sandbox
from app.services.connections import ConnectionInfo, ConnectionStore
from app.services.credentials import NO_KEYRING_DESCRIPTION, SERVICE_NAME
from app.services.presets import Preset
from app.services.settings import CONNECTIONS, LAST_CONNECTION, SETTINGS_FILE, Settings
from app.wiring import Services

ACCOUNT = "0c6f5a8e-1111-4a2b-9c3d-2e4f6a8b0c1d"
KEY = "b7d1e2f3-a4b5-46c7-98d9-0a1b2c3d4e5f"
OTHER_KEY = "99999999-8888-4777-8666-555544443333"


class LockedKeyring(keyring.backend.KeyringBackend):
    priority = 1
    viable = False

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


def _settings() -> Settings:
    """A fresh read of the settings file in the test's private home (nothing kept in memory)."""
    return Settings(paths.config_dir() / SETTINGS_FILE)


def _every_file_text(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in root.rglob("*") if p.is_file())


def test_add_keeps_the_key_in_the_keyring_only(app_home: Path, memory_keyring: Any) -> None:
    store = ConnectionStore(_settings())
    info = store.add("Acme NZ", ACCOUNT, KEY, rate_limit="30/60")

    assert info == ConnectionInfo("Acme NZ", ACCOUNT, DEFAULT_BASE_URL, RateLimit(30, 60), False, info.id)
    assert memory_keyring.entries == {(SERVICE_NAME, info.id): KEY}
    saved = _settings().get(CONNECTIONS)
    assert saved == [
        {
            "id": info.id,
            "name": "Acme NZ",
            "account_id": ACCOUNT,
            "base_url": DEFAULT_BASE_URL,
            "rate_limit": "30/60",
        }
    ]
    assert KEY not in _every_file_text(app_home)
    assert store.list() == [info]
    assert KEY not in repr(store.list())


def test_get_reads_the_key_and_registers_it_for_redaction() -> None:
    ConnectionStore(_settings()).add(
        "Acme NZ", ACCOUNT, f"  {KEY}\n", base_url="https://example.test/ExternalApi/v2"
    )
    connection = ConnectionStore(_settings()).get("Acme NZ")  # a new store: nothing cached in memory
    assert connection == Connection(
        "Acme NZ", ACCOUNT, KEY, "https://example.test/ExternalApi/v2/", RateLimit(60, 60), False
    )
    assert KEY not in repr(connection)
    assert redact(f"headers: {KEY}") == "headers: ••••••••"


def test_names_are_matched_without_regard_to_case_or_extra_spaces() -> None:
    store = ConnectionStore(_settings())
    store.add("Acme  NZ ", ACCOUNT, KEY)
    assert store.names() == ["Acme NZ"]
    assert store.get(" acme nz").name == "Acme NZ"


def test_unknown_name_lists_the_saved_connections() -> None:
    store = ConnectionStore(_settings())
    with pytest.raises(CredentialError, match="There are no saved connections yet"):
        store.get("Acme")
    store.add("Beta Ltd", ACCOUNT, KEY)
    store.add("Acme NZ", ACCOUNT, OTHER_KEY)
    with pytest.raises(CredentialError) as caught:
        store.get("Gamma")
    assert caught.value.message == "No connection named 'Gamma'. Saved connections: 'Acme NZ', 'Beta Ltd'."
    assert exit_code_for(caught.value) == 2


@pytest.mark.parametrize(
    ("name", "account_id", "key", "base_url", "rate_limit", "words"),
    [
        ("", ACCOUNT, KEY, DEFAULT_BASE_URL, "60/60", "needs a name"),
        ("A" * 81, ACCOUNT, KEY, DEFAULT_BASE_URL, "60/60", "too long"),
        ("Acme", "", KEY, DEFAULT_BASE_URL, "60/60", "Account ID is missing"),
        ("Acme", ACCOUNT, "   ", DEFAULT_BASE_URL, "60/60", "Application Key is empty"),
        ("Acme", ACCOUNT, "abc def", DEFAULT_BASE_URL, "60/60", "spaces or line breaks"),
        ("Acme", ACCOUNT, KEY, "inventory.dearsystems.com", "60/60", "is not a web address"),
        ("Acme", ACCOUNT, KEY, DEFAULT_BASE_URL, "sixty", "is not a rate limit"),
        ("Acme", ACCOUNT, KEY, DEFAULT_BASE_URL, "0/60", "above zero"),
    ],
)
def test_bad_input_is_refused_in_plain_words(
    name: str, account_id: str, key: str, base_url: str, rate_limit: str, words: str, memory_keyring: Any
) -> None:
    with pytest.raises(ConfigurationError, match=words) as caught:
        ConnectionStore(_settings()).add(name, account_id, key, base_url=base_url, rate_limit=rate_limit)
    assert key.strip() == "" or key not in str(caught.value)
    assert memory_keyring.entries == {}
    assert _settings().get(CONNECTIONS) == []


def test_duplicate_names_are_refused() -> None:
    store = ConnectionStore(_settings())
    store.add("Acme NZ", ACCOUNT, KEY)
    with pytest.raises(ConfigurationError, match="already a connection named 'Acme NZ'"):
        store.add("ACME nz", ACCOUNT, OTHER_KEY)
    store.add("Beta", ACCOUNT, OTHER_KEY)
    with pytest.raises(ConfigurationError, match="already a connection"):
        store.rename("Beta", "acme nz")


def test_update_changes_only_what_is_given(memory_keyring: Any) -> None:
    store = ConnectionStore(_settings())
    info = store.add("Acme NZ", ACCOUNT, KEY)
    changed = store.update("Acme NZ", application_key=OTHER_KEY, rate_limit=RateLimit(20, 60))
    assert changed == ConnectionInfo("Acme NZ", ACCOUNT, DEFAULT_BASE_URL, RateLimit(20, 60), False, info.id)
    assert memory_keyring.entries == {(SERVICE_NAME, info.id): OTHER_KEY}
    assert ConnectionStore(_settings()).get("Acme NZ").application_key == OTHER_KEY
    store.update("acme nz", account_id="new-account", base_url="http://127.0.0.1:9/x")
    reread = ConnectionStore(_settings()).get("Acme NZ")
    assert (reread.account_id, reread.base_url, reread.rate_limit) == (
        "new-account",
        "http://127.0.0.1:9/x/",
        RateLimit(20, 60),
    )


def test_rename_keeps_the_key_and_moves_last_connection(memory_keyring: Any) -> None:
    settings = _settings()
    store = ConnectionStore(settings)
    info = store.add("Acme", ACCOUNT, KEY)
    settings.set(LAST_CONNECTION, "Acme")

    renamed = store.rename("acme", "Acme New Zealand")

    assert renamed.id == info.id
    assert memory_keyring.entries == {(SERVICE_NAME, info.id): KEY}
    assert ConnectionStore(_settings()).get("Acme New Zealand").application_key == KEY
    assert _settings().get(LAST_CONNECTION) == "Acme New Zealand"
    with pytest.raises(CredentialError):
        store.get("Acme")


def test_rename_announces_old_and_new_to_every_hook(caplog: pytest.LogCaptureFixture) -> None:
    store = ConnectionStore(_settings())
    before = store.add("Acme", ACCOUNT, KEY)
    seen: list[tuple[ConnectionInfo, ConnectionInfo]] = []

    def failing_hook(_old: ConnectionInfo, _new: ConnectionInfo) -> None:
        raise OSError("presets folder is read-only")

    store.on_renamed.extend([failing_hook, lambda old, new: seen.append((old, new))])
    with caplog.at_level(logging.WARNING, logger="app.services.connections"):
        after = store.rename("Acme", "Acme NZ")

    assert seen == [(before, after)]  # the second hook still ran after the first failed
    assert "Follow-up work after renaming connection 'Acme' failed" in caplog.text
    assert store.names() == ["Acme NZ"]  # a failing hook does not undo the rename


def test_wired_presets_follow_a_renamed_connection(services: Services) -> None:
    services.presets.save(Preset("Monthly", "Acme", (ReportRequest("products"),)))
    services.presets.save(Preset("Other", "Somebody else", (ReportRequest("products"),)))
    services.connections.add("Acme", ACCOUNT, KEY)

    services.connections.rename("acme", "Acme New Zealand")

    assert services.presets.load("Monthly").connection == "Acme New Zealand"
    assert services.presets.load("Other").connection == "Somebody else"


def test_remove_deletes_the_key_and_runs_the_hooks(
    memory_keyring: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _settings()
    store = ConnectionStore(settings)
    acme = store.add("Acme", ACCOUNT, KEY)
    beta = store.add("Beta", ACCOUNT, OTHER_KEY)
    settings.set(LAST_CONNECTION, "Acme")
    seen: list[ConnectionInfo] = []

    def failing_hook(_info: ConnectionInfo) -> None:
        raise OSError("cache file in use")

    store.on_removed.extend([failing_hook, seen.append])
    with caplog.at_level(logging.WARNING, logger="app.services.connections"):
        removed = store.remove("Acme")

    assert removed == acme
    assert seen == [acme]  # the second hook still ran after the first failed
    assert "Follow-up work after removing connection 'Acme' failed" in caplog.text
    assert memory_keyring.entries == {(SERVICE_NAME, beta.id): OTHER_KEY}
    assert [i.name for i in ConnectionStore(_settings()).list()] == ["Beta"]
    assert _settings().get(LAST_CONNECTION) == ""


def test_a_key_missing_from_the_keyring_says_how_to_fix_it(memory_keyring: Any) -> None:
    store = ConnectionStore(_settings())
    info = store.add("Acme", ACCOUNT, KEY)
    del memory_keyring.entries[(SERVICE_NAME, info.id)]
    with pytest.raises(CredentialError) as caught:
        store.get("Acme")
    assert "missing from" in caught.value.message
    assert 'connections update "Acme" --new-key' in caught.value.hint


def test_no_keyring_refuses_to_save_and_offers_session_only(app_home: Path) -> None:
    store = ConnectionStore(_settings(), keyring_backend=fail.Keyring())
    assert not store.keyring_usable()
    assert store.backend_description() == NO_KEYRING_DESCRIPTION
    with pytest.raises(KeyringUnavailableError) as caught:
        store.add("Acme", ACCOUNT, KEY)
    assert "cannot be stored safely" in caught.value.message
    assert "session only" in caught.value.hint
    assert _settings().get(CONNECTIONS) == []

    info = store.add("Acme", ACCOUNT, KEY, session_only=True)
    assert info.session_only
    assert store.list() == [info]
    assert store.get("Acme").application_key == KEY
    assert store.get("Acme").session_only
    store.update("Acme", application_key=OTHER_KEY)
    assert store.get("Acme").application_key == OTHER_KEY
    store.rename("Acme", "Acme Temp")
    assert store.names() == ["Acme Temp"]
    assert KEY not in _every_file_text(app_home) and OTHER_KEY not in _every_file_text(app_home)
    assert _settings().get(CONNECTIONS) == []
    # forgotten with the process:
    assert ConnectionStore(_settings(), keyring_backend=fail.Keyring()).list() == []
    store.remove("Acme Temp")
    assert store.list() == []


def test_a_locked_keyring_changes_nothing() -> None:
    store = ConnectionStore(_settings(), keyring_backend=LockedKeyring())
    with pytest.raises(KeyringUnavailableError, match="is locked"):
        store.add("Acme", ACCOUNT, KEY)
    assert store.list() == []
    assert _settings().get(CONNECTIONS) == []


def test_a_locked_keyring_keeps_the_connection_when_removing_fails(memory_keyring: Any) -> None:
    settings = _settings()
    ConnectionStore(settings).add("Acme", ACCOUNT, KEY)
    locked = ConnectionStore(settings, keyring_backend=LockedKeyring())
    with pytest.raises(KeyringUnavailableError):
        locked.remove("Acme")
    assert ConnectionStore(settings).get("Acme").application_key == KEY


def test_damaged_connection_entries_are_skipped(caplog: pytest.LogCaptureFixture) -> None:
    settings = _settings()
    good = ConnectionStore(settings).add("Acme", ACCOUNT, KEY)
    settings.set(CONNECTIONS, [*settings.get(CONNECTIONS), {"name": "no id or account"}, "junk"])
    with caplog.at_level(logging.WARNING):
        assert ConnectionStore(settings).list() == [good]
    assert "damaged connection entry" in caplog.text


# ----------------------------------------------------------------------------- test() against the sandbox


def test_connection_test_reports_the_company(sandbox: Sandbox) -> None:
    store = ConnectionStore(_settings())
    store.add("Demo", sandbox.account_id, sandbox.application_key, base_url=sandbox.base_url)
    result = store.test("Demo")
    assert result.ok
    assert result.company == COMPANY
    assert result.message == f"Connected to {COMPANY}."
    assert result.error is None
    assert sandbox.call_counts()["me"] == 1


def test_connection_test_says_when_the_key_is_wrong(sandbox: Sandbox) -> None:
    store = ConnectionStore(_settings())
    store.add("Demo", sandbox.account_id, "not-the-right-key", base_url=sandbox.base_url)
    result = store.test("Demo")
    assert not result.ok
    assert result.company == ""
    assert result.message == "DEAR did not accept the Account ID and Application Key of 'Demo'."
    assert "Integrations" in result.hint
    assert isinstance(result.error, AuthenticationError)
    assert exit_code_for(result.error) == 3


def test_connection_test_says_when_dear_cannot_be_reached() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connection = Connection("Offline", ACCOUNT, KEY, f"http://127.0.0.1:{port}/ExternalApi/v2/")
    result = ConnectionStore(_settings()).test(connection)
    assert not result.ok
    assert result.message == f"Could not reach DEAR at 127.0.0.1:{port}."
    assert "internet connection" in result.hint
    assert isinstance(result.error, TransientApiError)
    assert exit_code_for(result.error) == 4
    assert KEY not in f"{result.message} {result.hint} {result.error.details}"


def test_settings_file_holds_no_key_after_every_operation(app_home: Path, sandbox: Sandbox) -> None:
    store = ConnectionStore(_settings())
    store.add("Demo", sandbox.account_id, sandbox.application_key, base_url=sandbox.base_url)
    store.update("Demo", application_key=KEY)
    store.update("Demo", application_key=sandbox.application_key)
    store.rename("Demo", "Demo 2")
    store.test("Demo 2")
    text = _every_file_text(app_home)
    assert "Demo 2" in text
    for secret in (KEY, sandbox.application_key):
        assert secret not in text
    saved = json.loads(_settings().path.read_text(encoding="utf-8"))
    assert set(saved["connections"][0]) == {"id", "name", "account_id", "base_url", "rate_limit"}


def test_every_key_is_registered_for_redaction_as_soon_as_it_is_given() -> None:
    store = ConnectionStore(_settings(), keyring_backend=fail.Keyring())
    first, second = f"session-{uuid.uuid4()}", f"session-{uuid.uuid4()}"
    store.add("Temp", ACCOUNT, first, session_only=True)
    assert redact(first) == "••••••••"
    store.update("Temp", application_key=second)
    assert redact(f"x {second} y") == "x •••••••• y"
