"""Test-wide setup: offscreen Qt, a private app home, an in-memory keyring, the app's services."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import pytest
from keyring.errors import PasswordDeleteError

from app.api.governor import RateGovernor
from app.sandbox import Sandbox, SandboxConfig
from app.wiring import Services, build_services

# Without a display Qt aborts the whole run (docs/platform-notes.md); set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Undo app.main.configure_logging after each test (its handlers hold that test's stderr)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    if hasattr(root, "_dear_export_configured"):
        delattr(root, "_dear_export_configured")


@pytest.fixture(autouse=True)
def fresh_rate_governors() -> Iterator[None]:
    """Give every test empty API windows: the sandbox's key is the same in every test of the run."""
    RateGovernor.forget_all()
    yield
    RateGovernor.forget_all()


@pytest.fixture(autouse=True)
def app_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point every user folder (settings, data, logs, Documents) at a fresh temporary tree."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DEAR_EXPORT_HOME", str(home))
    yield home


# --------------------------------------------------------------------------- DEAR sandbox fixtures


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., Sandbox]]:
    """Factory: ``make_sandbox(rate_limit=(30, 3.0), ...)`` starts a sandbox; all stop at teardown."""
    started: list[Sandbox] = []

    def factory(**config: Any) -> Sandbox:
        config.setdefault("size", "small")
        config.setdefault("seed", 1)
        sandbox = Sandbox(SandboxConfig(**config)).start()
        started.append(sandbox)
        return sandbox

    yield factory
    for sandbox in started:
        sandbox.stop()


@pytest.fixture
def sandbox(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    """A running small sandbox (seed 1) with no API limit."""
    return make_sandbox(rate_limit=None)


# --------------------------------------------------------------------------- in-memory keyring


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Stands in for the OS keyring in tests: secrets live in ``entries``, keyed by (service, user)."""

    priority = 1
    viable = False  # never offered by keyring's own backend discovery, only installed explicitly

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("no such entry")


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Install a fresh in-memory keyring for every test (the machine's own keyring is never touched)."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


# --------------------------------------------------------------------------- the app's services


@pytest.fixture
def services(app_home: Path, memory_keyring: MemoryKeyring) -> Services:
    """The app's services, wired as the window and the commands wire them, over the private home.

    The folders are the ones ``app.wiring.user_services()`` finds through DEAR_EXPORT_HOME, so a
    command run in the test sees the same files. Settings are read once: build a new graph (or
    call ``user_services()``) to see what a command changed.
    """
    return build_services(
        config_dir=app_home / "config", data_dir=app_home / "data", keyring_backend=memory_keyring
    )
