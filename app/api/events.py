"""Small, frozen progress events the client reports through its ``on_event`` callback.

The callback is called from worker threads, so whoever receives these must be thread-safe
(the UI forwards them through a Qt signal; the CLI just prints).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CallMade:
    """One request reached DEAR (or was attempted) and got an answer or a failure."""

    path: str
    status: int | None
    seconds: float


@dataclass(frozen=True)
class Throttled:
    """DEAR said we are over the API limit; every request on this key pauses."""

    path: str
    status: int
    wait_seconds: float


@dataclass(frozen=True)
class Waiting:
    """The client is waiting before it may send the next request."""

    seconds: float
    reason: str  # "limit" (our own pacing) or "throttled" (DEAR asked us to slow down)


@dataclass(frozen=True)
class Retrying:
    """A request failed for a passing reason and will be sent again."""

    path: str
    attempt: int
    wait_seconds: float
    reason: str


@dataclass(frozen=True)
class Rewalking:
    """A list came back short of its Total (rows moved between pages); walking it again."""

    path: str
    unique: int
    total: int
    rewalk: int


ApiEvent = CallMade | Throttled | Waiting | Retrying | Rewalking
EventCallback = Callable[[ApiEvent], None]
