"""How long a number of calls takes under a key's API limit (for the estimate shown before an export)."""

from __future__ import annotations

import math

from app.models import RateLimit


def estimate_seconds(
    calls_remaining: int,
    limit: RateLimit,
    *,
    latency: float = 0.5,
    available_now: int | None = None,
    parallel: int = 4,
) -> float:
    """Estimate honestly how many seconds ``calls_remaining`` calls take under ``limit``.

    The calls that fit in the window's free slots (``available_now``; a fresh window when
    None) go at once, ``parallel`` at a time. Every later call waits for a slot, and a slot
    comes back a full window after its call finished (see the governor), so they run in
    batches of ``limit.calls``, one window plus the time a call takes apart.
    5,000 calls at 60/60 with half a second per call: about 84 minutes; 20 calls: seconds.
    """
    if calls_remaining <= 0:
        return 0.0
    latency = max(0.0, latency)
    free = limit.calls if available_now is None else max(0, min(available_now, limit.calls))
    burst = min(calls_remaining, free)
    later = calls_remaining - burst
    seconds = math.ceil(burst / max(1, parallel)) * latency
    if later:
        # Slots come back in the rhythm they were taken: each further batch of limit.calls waits
        # one window (plus the call's own time) for the batch before it.
        seconds += math.ceil(later / limit.calls) * (limit.seconds + latency)
    return seconds
