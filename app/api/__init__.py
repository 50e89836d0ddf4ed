"""The DEAR API v2 client: pacing, paging, retries and detail fan-out (no Qt)."""

from app.api.client import ClientStats, DearClient, estimate_seconds
from app.api.events import ApiEvent, CallMade, EventCallback, Retrying, Rewalking, Throttled, Waiting
from app.api.governor import RateGovernor, Slot
from app.api.paging import ListPager, ListStats
from app.api.retry import parse_retry_after

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
