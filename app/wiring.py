"""The composition root: every service of the app, built once over the given folders.

MINIMAL STAND-IN written by the ui branch so that the window can be built on it before the
services branch lands; that branch's version (same API) replaces this file at merge.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from keyring.backend import KeyringBackend

from app import paths
from app.services.cache import CacheService
from app.services.connections import ConnectionStore
from app.services.exporting import ClientFactory, ExportService, dear_client
from app.services.lookup import LookupService
from app.services.presets import PresetStore
from app.services.settings import SETTINGS_FILE, Settings


@dataclass
class Services:
    """The app's services, sharing one settings file, one connection store and one cache."""

    settings: Settings
    connections: ConnectionStore
    presets: PresetStore
    cache: CacheService
    exporter: ExportService
    lookup: LookupService


def build_services(
    *,
    config_dir: Path,
    data_dir: Path,
    keyring_backend: KeyringBackend | None = None,
    client_factory: ClientFactory | None = None,
) -> Services:
    """Build every service over ``config_dir`` (settings, presets) and ``data_dir`` (the cache)."""
    settings = Settings(config_dir / SETTINGS_FILE)
    connections = ConnectionStore(settings, keyring_backend)
    cache = CacheService(data_dir, connections=connections)
    cache.attach(connections)  # removing a connection also deletes its cached records
    return Services(
        settings=settings,
        connections=connections,
        presets=PresetStore(config_dir / "presets", settings=settings, connections=connections),
        cache=cache,
        exporter=ExportService(client_factory or dear_client, cache=cache),
        lookup=LookupService(),
    )


def user_services() -> Services:
    """Build the services on the user's own folders, keyring and DEAR."""
    return build_services(config_dir=paths.config_dir(), data_dir=paths.data_dir())
