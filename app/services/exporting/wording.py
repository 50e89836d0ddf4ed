"""How the export service says durations, limits and vanished records in plain English."""

from __future__ import annotations

from collections.abc import Sequence

from app.models import RateLimit


def describe_duration(seconds: float) -> str:
    """Say roughly how long something takes, for office staff ("about 21 minutes")."""
    if seconds < 60:
        return "under a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    hours, rest = divmod(minutes, 60)
    hour_text = f"{hours} hour{'s' if hours != 1 else ''}"
    return f"about {hour_text}" + (f" {rest} minute{'s' if rest != 1 else ''}" if rest else "")


def describe_elapsed(seconds: float) -> str:
    """Say how long something took ("2 min 5 s")."""
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def describe_limit(limit: RateLimit) -> str:
    """Say a rate limit in words ("60 requests a minute")."""
    if limit.seconds == 60:
        return f"{limit.calls} requests a minute"
    if limit.seconds == 1:
        return f"{limit.calls} requests a second"
    seconds = int(limit.seconds) if float(limit.seconds).is_integer() else limit.seconds
    return f"{limit.calls} requests every {seconds} seconds"


def describe_vanished(names: Sequence[str]) -> str:
    """Say which records were deleted in DEAR between the list and their details.

    ``names`` are the records as the user knows them ("SO-01234"); a long list is shortened so
    a note stays one readable sentence.
    """
    if not names:
        return ""
    shown = list(names[:5])
    if len(names) > len(shown):
        shown.append(f"{len(names) - len(shown):,} more")
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    verb = "was" if len(names) == 1 else "were"
    return f"{text} {verb} deleted in DEAR while the export ran"
