"""What the window is given: the app's services (:mod:`app.wiring`) plus the window-only things."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from app import catalogue
from app.models import EndpointSpec
from app.services.cache import CacheService
from app.services.connections import ConnectionStore
from app.services.demo import DemoSession
from app.services.lookup import LookupService
from app.services.presets import PresetStore
from app.services.settings import Settings
from app.ui.export_controller import Exporter
from app.wiring import Services, user_services


@dataclass
class AppServices:
    """Everything the window needs from the layers below it.

    ``core`` is the composition root's :class:`~app.wiring.Services`; the rest only the window
    uses: the demo company, the reports it offers and the clock that dates the file names.
    """

    core: Services
    demo: DemoSession
    specs: tuple[EndpointSpec, ...] = catalogue.ENDPOINTS
    today: Callable[[], date] = field(default=date.today)

    @property
    def settings(self) -> Settings:
        """The settings file."""
        return self.core.settings

    @property
    def connections(self) -> ConnectionStore:
        """The connection store (saved and session-only connections, the demo among them)."""
        return self.core.connections

    @property
    def presets(self) -> PresetStore:
        """The presets folder."""
        return self.core.presets

    @property
    def cache(self) -> CacheService:
        """The local record cache."""
        return self.core.cache

    @property
    def exporter(self) -> Exporter:
        """The export service, as the window uses it (progress pushed to a callback)."""
        return self.core.exporter

    @property
    def lookup(self) -> LookupService:
        """The look-up service."""
        return self.core.lookup


def default_services(*, demo: DemoSession | None = None) -> AppServices:
    """Build the real services on the user's folders, keyring and DEAR."""
    return AppServices(core=user_services(), demo=demo or DemoSession())
