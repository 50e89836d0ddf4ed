"""Faults the sandbox can answer with instead of data: injected on request, or at random at a set rate.

The shapes copy what clients have met from DEAR (docs/dear-api.md §6 and §7): HTML error pages,
dropped connections, cut-off JSON and the limit message.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

FAULT_KINDS = ("500", "drop", "html502", "html200", "truncated")
INJECTABLE = (*FAULT_KINDS, "throttle")
ALIASES = {
    "server_error": "500",
    "error": "500",
    "html": "html502",
    "disconnect": "drop",
    "truncate": "truncated",
}
NOT_FOUND_PAGE = (
    "<!DOCTYPE html><html><head><title>Page not found</title></head>"
    "<body><h1>Page not found</h1><p>The page you requested does not exist.</p></body></html>"
)
BAD_GATEWAY_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><h1>502 Bad Gateway</h1></body></html>"
)
MAINTENANCE_PAGE = (
    "<!DOCTYPE html><html><head><title>DEAR Inventory</title></head>"
    "<body><h1>We'll be back soon</h1><p>Scheduled maintenance is in progress.</p></body></html>"
)


def throttle_message(calls: int, seconds: float) -> str:
    """DEAR's limit message with the configured numbers."""
    return f"You have reached {calls} calls per {seconds:g} seconds API limit."


@dataclass
class _Injection:
    kind: str
    remaining: int
    path: str | None


class FaultPlan:
    """Pending injected faults, and the random faults at the configured rate (same sequence per seed)."""

    def __init__(self, seed: int) -> None:
        self._injections: list[_Injection] = []
        self._lock = threading.Lock()
        self._random = random.Random(f"{seed}:faults")

    def inject(self, kind: str, count: int = 1, path: str | None = None) -> None:
        """Make the next ``count`` requests (to ``path``, or any) get fault ``kind``."""
        kind = ALIASES.get(str(kind).lower(), str(kind).lower())
        if kind not in INJECTABLE:
            raise ValueError(f"Unknown fault '{kind}': choose one of {', '.join(INJECTABLE)}.")
        target = path.strip("/").lower() if path else None
        with self._lock:
            self._injections.append(_Injection(kind, max(1, int(count)), target))

    def take(self, endpoint: str) -> str | None:
        """Return the injected fault for this request, if one is pending for its path."""
        with self._lock:
            for injection in self._injections:
                if injection.path in (None, endpoint):
                    injection.remaining -= 1
                    if injection.remaining <= 0:
                        self._injections.remove(injection)
                    return injection.kind
        return None

    def at_random(self, rate: float) -> str | None:
        """Return a random fault with probability ``rate``, else None."""
        if rate <= 0:
            return None
        with self._lock:
            if self._random.random() >= rate:
                return None
            return self._random.choice(FAULT_KINDS)
