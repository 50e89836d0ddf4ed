"""The composition root: the one place that builds the services and connects them.

The window, the self-test and every command take their services from here; tests build the same
graph over temporary folders with :func:`build_services`. No service reaches for the user's
files by itself: each is given its file or folder here.

What is connected:

* the connection list lives in ``config_dir/settings.json``, presets in ``config_dir/presets``,
  the record cache in ``data_dir``;
* removing a connection deletes its cached records (``ConnectionStore.on_removed``);
* renaming a connection points the presets that use it at the new name
  (``ConnectionStore.on_renamed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths
from app.services.connections import ConnectionInfo, ConnectionStore
from app.services.lookup import LookupService
from app.services.presets import PresetStore
from app.services.reference_lists import ReferenceLists
from app.services.settings import SETTINGS_FILE, Settings

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

    from app.services.cache import CacheService
    from app.services.exporting import ClientFactory, ExportService

PRESETS_FOLDER = "presets"
"""The folder beside the settings file that holds the presets."""


@dataclass
class Services:
    """Everything the window and the commands use from the layers below, built once."""

    settings: Settings
    connections: ConnectionStore
    presets: PresetStore
    cache: CacheService
    exporter: ExportService
    lookup: LookupService
    reference_lists: ReferenceLists  # DEAR's name lists for filters, kept per connection


def build_services(
    *,
    config_dir: Path,
    data_dir: Path,
    keyring_backend: KeyringBackend | None = None,
    client_factory: ClientFactory | None = None,
) -> Services:
    """Build and connect the services over these folders.

    ``keyring_backend`` defaults to the OS keyring. ``client_factory`` (a ``Connection`` gives a
    ``DearClient``) is what exports and look-ups use; default: DEAR over the internet. Connection
    tests keep their own short-timeout client.
    """
    # Imported here: the export service is only needed once an export or the cache is touched,
    # and these modules are the heavier ones to import at start-up.
    from app.services.cache import CacheService
    from app.services.exporting import ExportService, dear_client

    settings = Settings(config_dir / SETTINGS_FILE)
    connections = ConnectionStore(settings, keyring_backend)
    presets = PresetStore(config_dir / PRESETS_FOLDER, settings=settings, connections=connections)
    cache = CacheService(data_dir, connections=connections)
    cache.attach(connections)  # removing a connection also deletes its cached records

    def presets_follow(old: ConnectionInfo, new: ConnectionInfo) -> None:
        presets.rename_connection(old.name, new.name)

    connections.on_renamed.append(presets_follow)
    return Services(
        settings=settings,
        connections=connections,
        presets=presets,
        cache=cache,
        exporter=ExportService(client_factory or dear_client, cache=cache),
        lookup=LookupService(client_factory),
        reference_lists=ReferenceLists(client_factory),
    )


def user_services() -> Services:
    """Build the services on the user's own folders, OS keyring and DEAR."""
    return build_services(config_dir=paths.config_dir(), data_dir=paths.data_dir())
