"""How to treat each DEAR answer: success, throttle, passing failure, or a final error.

DEAR's quirks are why this is hand-written rather than left to urllib3's ``Retry``:
the limit answer has varied over the years (503, then 429, and at least one report of a
400 whose body carries the limit message), ``Retry-After`` arrives as ``60 Seconds``
rather than a bare number, and a throttle must pause every thread on the key, which a
per-connection ``Retry`` cannot do.
"""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum

from app.models import RateLimit


class Outcome(StrEnum):
    """What to do with one HTTP answer."""

    OK = "ok"
    THROTTLED = "throttled"  # wait (pausing the whole key) and send the same request again
    TRANSIENT = "transient"  # bounded back-off, then TransientApiError
    AUTH = "auth"  # AuthenticationError at once
    REJECTED = "rejected"  # RequestRejectedError at once


_LIMIT_TEXT = re.compile(r"calls\s+per\s+.*?seconds?\s+api\s+limit|api\s+limit", re.IGNORECASE)
_SECONDS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:s|sec|secs|second|seconds)?\s*$", re.IGNORECASE)

MAX_TRANSIENT_ATTEMPTS = 5
"""Sends of one request before a 5xx, timeout or dropped connection becomes final."""

MAX_THROTTLE_SECONDS = 600.0
"""Continuous throttling of one request this long becomes RateLimitedError."""


def is_limit_message(text: str) -> bool:
    """Tell whether DEAR's answer text is its 'calls per ... seconds API limit' message."""
    return bool(_LIMIT_TEXT.search(text))


def classify(status: int, body_text: str) -> Outcome:
    """Sort an HTTP status (and, for 400, the body text) into an :class:`Outcome`."""
    if 200 <= status < 300:
        return Outcome.OK
    if status in (429, 503):
        return Outcome.THROTTLED
    if status == 400 and is_limit_message(body_text):
        return Outcome.THROTTLED
    if status in (401, 403):
        return Outcome.AUTH
    if status >= 500 or status == 408:
        return Outcome.TRANSIENT
    return Outcome.REJECTED


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header, or None when it says nothing usable.

    Accepts a bare number (``60``), DEAR's ``60 Seconds`` form and an HTTP date.
    """
    if value is None or not value.strip():
        return None
    match = _SECONDS.match(value)
    if match:
        return float(match.group(1))
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


def throttle_wait(limit: RateLimit, throttles_so_far: int, retry_after: float | None) -> float:
    """How long to pause after DEAR throttled us.

    Without a usable ``Retry-After`` the pause starts at a sixth of the window (10 s for 60/60)
    and doubles up to one full window, by which time every earlier call has aged out of it.
    """
    if retry_after is not None:
        return retry_after
    first = limit.seconds / 6.0
    return float(min(limit.seconds, first * 2.0 ** max(0, throttles_so_far - 1)))


def backoff_delay(
    attempt: int, *, base: float = 0.5, cap: float = 8.0, rng: random.Random | None = None
) -> float:
    """Exponential back-off with jitter for the ``attempt``-th failure (1-based)."""
    ceiling = min(cap, base * (2 ** max(0, attempt - 1)))
    chooser = rng or random
    # Jitter spreads retries from several threads so they do not arrive together.
    return float(ceiling * chooser.uniform(0.5, 1.0))


def dear_exception_text(body_text: str) -> str:
    """DEAR's own error text from a ``[{"ErrorCode":..,"Exception":..}]`` body (or the raw text)."""
    try:
        data = json.loads(body_text)
    except ValueError:
        return _plain(body_text)
    items = data if isinstance(data, list) else [data]
    messages = [
        str(item.get("Exception") or item.get("Message") or "").strip()
        for item in items
        if isinstance(item, dict)
    ]
    messages = [m for m in messages if m]
    return "; ".join(messages) if messages else _plain(body_text)


def _plain(text: str, limit: int = 300) -> str:
    """Collapse whitespace and drop markup so an error body fits in one readable line."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
