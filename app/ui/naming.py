"""Default output file names: plain words, dates when a range is chosen, safe on every system."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from app.models import OutputFormat
from app.services.presets import safe_file_stem

__all__ = ["default_stem", "safe_file_stem", "with_format"]


def default_stem(labels: Sequence[str], start: date | None = None, end: date | None = None) -> str:
    """``Sale order lines 2026-10-01 to 2026-10-31``; several reports are joined with "and"."""
    if not labels:
        base = "DEAR export"
    elif len(labels) == 1:
        base = labels[0]
    elif len(labels) == 2:
        base = f"{labels[0]} and {labels[1]}"
    else:
        base = f"{labels[0]} and {len(labels) - 1} more"
    if start is not None and end is not None:
        base += f" {start.isoformat()}" if start == end else f" {start.isoformat()} to {end.isoformat()}"
    elif start is not None:
        base += f" since {start.isoformat()}"
    else:
        base += f" {date.today().isoformat()}"
    return safe_file_stem(base)


def with_format(path: Path, output_format: OutputFormat) -> Path:
    """``path`` with the extension of ``output_format``."""
    return path.with_suffix(f".{output_format.value}")
