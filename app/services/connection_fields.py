"""The fields of a saved connection: what may be shown, how each is checked, how it is stored.

Everything here is free of the keyring and the settings file, so checks can run anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.errors import ConfigurationError
from app.models import DEFAULT_BASE_URL, RateLimit

MAX_NAME_LENGTH = 80
DEFAULT_RATE_LIMIT = RateLimit()
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_URL = re.compile(r"^https?://[^\s/]+(/\S*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class ConnectionInfo:
    """What the window may show about a connection: everything except the key."""

    name: str
    account_id: str
    base_url: str = DEFAULT_BASE_URL
    rate_limit: RateLimit = DEFAULT_RATE_LIMIT
    session_only: bool = False
    id: str = ""
    demo: bool = False  # the built-in demo company (always session-only)


def check_name(name: str) -> str:
    """Return a connection name with spaces tidied; ConfigurationError when empty, too long or odd."""
    clean = " ".join(name.split())
    if not clean:
        raise ConfigurationError("A connection needs a name.", hint="For example the company's name.")
    if len(clean) > MAX_NAME_LENGTH or _CONTROL.search(clean):
        raise ConfigurationError(
            "That connection name is too long or contains unusual characters.",
            hint=f"Use a short name of up to {MAX_NAME_LENGTH} letters, digits and spaces.",
        )
    return clean


def check_key(key: str) -> str:
    """Return the Application Key without surrounding spaces; ConfigurationError if it was mis-copied."""
    clean = key.strip()
    if not clean:
        raise ConfigurationError(
            "The Application Key is empty.", hint="Copy it from DEAR under Integrations → API and paste it."
        )
    if any(ch.isspace() for ch in clean) or _CONTROL.search(clean):
        raise ConfigurationError(
            "The Application Key contains spaces or line breaks, so it was not copied correctly.",
            hint="Copy it again from DEAR under Integrations → API and paste only the key.",
        )
    return clean


def check_account_id(account_id: str) -> str:
    """Return the Account ID tidied; ConfigurationError if missing or mis-copied."""
    clean = account_id.strip()
    if not clean or any(ch.isspace() for ch in clean) or _CONTROL.search(clean):
        raise ConfigurationError(
            "The Account ID is missing or was not copied correctly.",
            hint="Copy it from DEAR under Integrations → API; it looks like 1a2b3c4d-....",
        )
    return clean


def check_base_url(base_url: str) -> str:
    """Return the web address ending in ``/`` (empty: DEAR's own); ConfigurationError if not one."""
    clean = base_url.strip() or DEFAULT_BASE_URL
    if not _URL.match(clean):
        raise ConfigurationError(
            f"'{clean}' is not a web address.", hint=f"Leave it empty to use DEAR's own: {DEFAULT_BASE_URL}"
        )
    return clean if clean.endswith("/") else clean + "/"


def check_rate_limit(rate_limit: RateLimit | str) -> RateLimit:
    """Return the share of the API limit (``RateLimit`` or text like ``60/60``); ConfigurationError if bad."""
    if isinstance(rate_limit, RateLimit):
        if rate_limit.calls < 1 or rate_limit.seconds <= 0:
            raise ConfigurationError("A share of the API limit needs calls and seconds above zero.")
        return rate_limit
    try:
        return RateLimit.parse(rate_limit)
    except ValueError as error:
        raise ConfigurationError(str(error)) from None


def info_to_json(info: ConnectionInfo) -> dict[str, Any]:
    """Return the non-secret fields as the settings file holds them."""
    return {
        "id": info.id,
        "name": info.name,
        "account_id": info.account_id,
        "base_url": info.base_url,
        "rate_limit": str(info.rate_limit),
    }


def info_from_json(raw: object) -> ConnectionInfo | None:
    """Read one entry of the settings file's connection list; None when it is damaged."""
    if not isinstance(raw, Mapping):
        return None
    try:
        name, account_id, entry = str(raw["name"]), str(raw["account_id"]), str(raw["id"])
        rate_limit = RateLimit.parse(str(raw.get("rate_limit", "60/60")))
    except (KeyError, ValueError):
        return None
    return ConnectionInfo(
        name=name,
        account_id=account_id,
        base_url=str(raw.get("base_url") or DEFAULT_BASE_URL),
        rate_limit=rate_limit,
        id=entry,
    )
