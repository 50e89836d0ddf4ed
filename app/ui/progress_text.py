"""The words of an export's progress: durations, the wait note and its countdown, the counts line."""

from __future__ import annotations

import math
import re

from app.models import Progress, RateLimit


def plain_duration(seconds: float) -> str:
    """'about 21 minutes', 'about 40 seconds', 'about 1 hour 5 minutes'."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        whole = max(1, math.ceil(seconds / 5.0) * 5) if seconds >= 5 else max(1, math.ceil(seconds))
        return f"about {whole} second{'s' if whole != 1 else ''}"
    minutes = round(seconds / 60.0)
    if minutes < 60:
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    hours, rest = divmod(minutes, 60)
    text = f"about {hours} hour{'s' if hours != 1 else ''}"
    return f"{text} {rest} minute{'s' if rest != 1 else ''}" if rest else text


def wait_note(limit: RateLimit | None, seconds: float) -> str:
    """Return the note shown while we wait for DEAR's limit."""
    remaining = max(1, math.ceil(seconds))
    if limit is None:
        return f"Waiting for DEAR's request limit; continuing in {remaining} s"
    per_minute = limit.per_minute
    share = f"{int(per_minute)}" if float(per_minute).is_integer() else f"{per_minute:.1f}"
    return f"DEAR limits us to {share} requests a minute; continuing in {remaining} s"


_SECONDS = re.compile(r"\b\d+ s\b")
# "Reading sales: 49 of 300": the counts line below the bar says how far, from the same event's
# numbers, so the status line keeps only the stage (two counters could disagree otherwise).
_TRAILING_COUNT = re.compile(r":\s*[\d,]+ of [\d,]+\s*$")


def stage_text(message: str) -> str:
    """Return a progress message without its trailing "N of M" count (the counts line has it)."""
    return _TRAILING_COUNT.sub("", message) or message


COUNTDOWN_INTERVAL_MS = 250


def countdown_text(message: str, seconds: float) -> str:
    """Return a wait note with its seconds counted down ("…; continuing in 40 s" -> "… in 39 s")."""
    remaining = max(1, math.ceil(seconds))
    found = list(_SECONDS.finditer(message))
    if not found:
        return f"{message} ({remaining} s)"
    last = found[-1]
    return f"{message[: last.start()]}{remaining} s{message[last.end() :]}"


def counts_text(event: Progress, *, running: bool = True) -> str:
    """Return the counts line: records, requests to DEAR and, while running, what is still to come."""
    parts = []
    if event.records_total:
        parts.append(f"{event.records_done:,} of {event.records_total:,} records")
    elif event.records_done:
        parts.append(f"{event.records_done:,} records")
    requests = f"{event.calls_used:,} request{'s' if event.calls_used != 1 else ''} to DEAR"
    if running and event.calls_remaining:
        requests += f" ({event.calls_remaining:,} still to go)"
    parts.append(requests)
    if running and event.seconds_left is not None and event.seconds_left > 0:
        parts.append(f"{plain_duration(event.seconds_left)} left")
    return " · ".join(parts)
