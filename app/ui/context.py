"""The services the window works with, built once and handed to it (tests build their own)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from app import catalogue
from app.models import EndpointSpec
from app.services.connections import ConnectionStore
from app.services.demo import DemoSession
from app.services.lookup import LookupService
from app.services.presets import PresetStore
from app.services.settings import Settings

if TYPE_CHECKING:
    from app.services.cache import CacheService
    from app.services.exporting import ExportService


@dataclass
class AppServices:
    """Everything the window needs from the layers below it."""

    settings: Settings
    connections: ConnectionStore
    presets: PresetStore
    exporter: ExportService
    lookup: LookupService
    demo: DemoSession
    specs: tuple[EndpointSpec, ...] = catalogue.ENDPOINTS
    today: Callable[[], date] = field(default=date.today)
    cache: CacheService | None = None  # the local record cache, for "Clear cache" (None: no cache)


def default_services(*, demo: DemoSession | None = None) -> AppServices:
    """Build the real services on the user's settings, keyring and DEAR."""
    from app.services.cache import CacheService
    from app.services.exporting import ExportService

    settings = Settings()
    connections = ConnectionStore(settings)
    cache = CacheService(connections=connections)
    cache.attach(connections)  # removing a connection also deletes its cached records
    return AppServices(
        settings=settings,
        connections=connections,
        presets=PresetStore(settings=settings, connections=connections),
        exporter=ExportService(cache=cache),
        lookup=LookupService(),
        demo=demo or DemoSession(),
        cache=cache,
    )
