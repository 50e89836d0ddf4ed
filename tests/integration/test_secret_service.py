"""A connection stored, read and deleted through a real Secret Service (GNOME Keyring over D-Bus).

Run it with a private, unlocked keyring: ``bash .ci/with-secret-service.sh .venv/bin/python -m pytest
tests/integration/test_secret_service.py``. Skipped when no Secret Service is reachable, unless
``DEAR_REQUIRE_SECRET_SERVICE`` is set (CI sets it): then it fails, so it can never be skipped there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
import secretstorage
from keyring.backends import SecretService

from app.errors import CredentialError
from app.services.credentials import SERVICE_NAME
from app.wiring import build_services

pytestmark = pytest.mark.secret_service

REQUIRE = "DEAR_REQUIRE_SECRET_SERVICE"


def _unreachable_reason() -> str | None:
    """Why no Secret Service can be used here, or None when one answers on the session bus."""
    try:
        SecretService.Keyring.priority  # noqa: B018 - the property probes D-Bus and raises if unusable
    except Exception as error:  # noqa: BLE001 - any failure means "not reachable"; its text is reported
        return f"{type(error).__name__}: {error}"
    return None


@pytest.fixture
def secret_service() -> Iterator[SecretService.Keyring]:
    reason = _unreachable_reason()
    if reason is not None:
        if os.environ.get(REQUIRE):
            pytest.fail(f"{REQUIRE} is set but no Secret Service is reachable ({reason}).", pytrace=False)
        pytest.skip(f"no Secret Service reachable ({reason}); set {REQUIRE}=1 to make this a failure")
    yield SecretService.Keyring()


def _items_for(entry: str) -> list[tuple[str, dict[str, str], str]]:
    """Look the entry up with secretstorage directly, not through the code under test."""
    with closing(secretstorage.dbus_init()) as bus:
        collection = secretstorage.get_default_collection(bus)
        return [
            (item.get_label(), item.get_attributes(), item.get_secret().decode("utf-8"))
            for item in collection.search_items({"service": SERVICE_NAME, "username": entry})
        ]


def test_store_read_and_delete_through_the_secret_service(
    secret_service: SecretService.Keyring, app_home: Path
) -> None:
    key = f"it-{uuid.uuid4()}"
    folders = {"config_dir": app_home / "config", "data_dir": app_home / "data"}
    store = build_services(**folders, keyring_backend=secret_service).connections
    assert store.keyring_usable()
    assert store.backend_description() == "Secret Service (GNOME Keyring)"
    info = store.add(f"Integration {uuid.uuid4().hex[:8]}", "acc-it", key)
    try:
        items = _items_for(info.id)
        assert len(items) == 1
        _label, attributes, secret = items[0]
        assert secret == key
        assert attributes["service"] == "DEAR Export"
        assert attributes["username"] == info.id

        # A fresh store (as after a restart) reads the key back from the keyring.
        again = build_services(**folders, keyring_backend=SecretService.Keyring()).connections
        assert again.get(info.name).application_key == key

        # A rename keeps the same keyring entry.
        renamed = again.rename(info.name, f"{info.name} renamed")
        assert again.get(renamed.name).application_key == key
        assert len(_items_for(info.id)) == 1

        again.remove(renamed.name)
        assert _items_for(info.id) == []
        with pytest.raises(CredentialError):
            again.get(renamed.name)
    finally:
        if _items_for(info.id):
            secret_service.delete_password(SERVICE_NAME, info.id)
    on_disk = "".join(p.read_text(encoding="utf-8") for p in app_home.rglob("*") if p.is_file())
    assert key not in on_disk
