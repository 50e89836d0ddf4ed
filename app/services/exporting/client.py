"""Making the DEAR client for an export, loaded on first use (requests takes a while to import)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from app.api.events import EventCallback
from app.models import Connection, RateLimit

if TYPE_CHECKING:
    from app.api.client import DearClient


def dear_client(connection: Connection, *, on_event: EventCallback | None = None) -> DearClient:
    """Make the real DEAR client for ``connection`` (the default :class:`ClientFactory`)."""
    # Imported here: requests takes a tenth of a second to load, which the window's start can skip.
    from app.api.client import DearClient

    return DearClient(connection, on_event=on_event)


def estimate_seconds(calls_remaining: int, limit: RateLimit, *, available_now: int | None = None) -> float:
    """:func:`app.api.client.estimate_seconds`, loaded on first use like the client itself."""
    from app.api.client import estimate_seconds as estimate

    return estimate(calls_remaining, limit, available_now=available_now)


class ClientFactory(Protocol):
    """Makes the client for a connection; ``DearClient`` itself fits."""

    def __call__(self, connection: Connection, *, on_event: EventCallback | None = None) -> DearClient:
        """Return a client for ``connection`` that reports its events to ``on_event``."""
        ...
