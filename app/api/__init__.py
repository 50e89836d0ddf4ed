"""The DEAR API v2 client: pacing, paging, retries and detail fan-out (no Qt)."""

from typing import TYPE_CHECKING, Any

from app.api.events import ApiEvent, CallMade, EventCallback, Retrying, Rewalking, Throttled, Waiting
from app.api.governor import RateGovernor, Slot
from app.api.paging import ListPager, ListStats
from app.api.retry import parse_retry_after

if TYPE_CHECKING:
    from app.api.client import ClientStats, DearClient, estimate_seconds

__all__ = [
    "ApiEvent",
    "CallMade",
    "ClientStats",
    "DearClient",
    "EventCallback",
    "ListPager",
    "ListStats",
    "RateGovernor",
    "Retrying",
    "Rewalking",
    "Slot",
    "Throttled",
    "Waiting",
    "estimate_seconds",
    "parse_retry_after",
]


def __getattr__(name: str) -> Any:
    """Give the client's names on first use: it loads requests, which the window's start can do without."""
    if name in ("ClientStats", "DearClient", "estimate_seconds"):
        from app.api import client

        return getattr(client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
