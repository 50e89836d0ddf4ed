"""Export file names: the ``{placeholder}`` patterns presets use, and names safe on every system."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

from app.errors import ConfigurationError

DEFAULT_NAME_PATTERN = "{preset} {from} to {to}"

PATTERN_FIELDS: dict[str, str] = {
    "preset": "the preset's name",
    "connection": "the connection's name",
    "from": "the first day of the date range (YYYY-MM-DD)",
    "to": "the last day of the date range (YYYY-MM-DD)",
    "date": "the day the export runs (YYYY-MM-DD)",
    "range": "the date range in words, e.g. Last month",
}
"""The ``{placeholders}`` a file name pattern may use."""

_UNSAFE_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10)),
}
_MAX_FILE_STEM = 150


def check_pattern(pattern: str) -> str:
    """Return the file name pattern, checked for unknown or malformed ``{placeholders}``."""
    clean = pattern.strip()
    if not clean:
        raise ConfigurationError(
            "The file name pattern is empty.", hint=f"For example: {DEFAULT_NAME_PATTERN}"
        )
    known = ", ".join("{" + name + "}" for name in PATTERN_FIELDS)
    try:
        parts = list(string.Formatter().parse(clean))
    except ValueError:
        raise ConfigurationError(
            f"The file name pattern '{clean}' has a '{{' or '}}' without its partner.",
            hint=f"Placeholders look like {{from}}; the known ones are {known}.",
        ) from None
    for _, placeholder, spec, conversion in parts:
        if placeholder is None:
            continue
        if placeholder not in PATTERN_FIELDS or spec or conversion:
            raise ConfigurationError(
                f"The file name pattern uses {{{placeholder}}}, which this app does not know.",
                hint=f"Use only {known}.",
            )
    return clean


def safe_file_stem(text: str) -> str:
    """Return ``text`` made safe as a file name on Windows, macOS and Linux (no extension)."""
    cleaned = _UNSAFE_IN_FILE_NAMES.sub("-", text)
    cleaned = " ".join(cleaned.split()).strip(" .")[:_MAX_FILE_STEM].strip(" .")
    if not cleaned:
        cleaned = "DEAR export"
    if cleaned.split(".")[0].upper() in _WINDOWS_RESERVED:
        cleaned = f"_{cleaned}"
    return cleaned


def fill_pattern(pattern: str, values: Mapping[str, str]) -> str:
    """Return the checked pattern filled with ``values`` (one per ``PATTERN_FIELDS`` name), made safe."""
    return safe_file_stem(check_pattern(pattern).format(**values))
