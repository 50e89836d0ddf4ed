"""The sandbox's settings: data size and seed, and how DEAR-like the server misbehaves."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

SIZES: dict[str, dict[str, int]] = {
    "small": {
        "product": 150,
        "customer": 60,
        "supplier": 25,
        "sale": 300,
        "purchase": 120,
        "stockadjustment": 40,
        "stocktake": 30,
        "stocktransfer": 35,
        "finishedgoods": 30,
        "disassembly": 30,
        "inventorywriteoff": 30,
        "journal": 40,
        "transaction": 400,
        "moneytask": 40,
        "productfamily": 10,
    },
    "medium": {
        "product": 5_000,
        "customer": 800,
        "supplier": 150,
        "sale": 2_000,
        "purchase": 800,
        "stockadjustment": 200,
        "stocktake": 100,
        "stocktransfer": 200,
        "finishedgoods": 150,
        "disassembly": 100,
        "inventorywriteoff": 100,
        "journal": 200,
        "transaction": 4_000,
        "moneytask": 200,
        "productfamily": 100,
    },
    "large": {
        "product": 100_000,
        "customer": 10_000,
        "supplier": 1_000,
        "sale": 50_000,
        "purchase": 10_000,
        "stockadjustment": 1_000,
        "stocktake": 500,
        "stocktransfer": 1_000,
        "finishedgoods": 1_000,
        "disassembly": 500,
        "inventorywriteoff": 500,
        "journal": 1_000,
        "transaction": 50_000,
        "moneytask": 1_000,
        "productfamily": 1_000,
    },
}

KINDS = tuple(SIZES["small"])
THROTTLE_STATUSES = (503, 429, 400)
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*$")


def parse_rate_limit(text: str) -> tuple[int, float] | None:
    """Parse ``CALLS/SECONDS`` (``60/60``, ``30/3``); ``none`` or ``off`` means unlimited."""
    if text.strip().lower() in {"none", "off", "unlimited", "0"}:
        return None
    match = _RATE.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a rate limit: write it as CALLS/SECONDS, for example 60/60.")
    calls, seconds = int(match.group(1)), float(match.group(2))
    if calls < 1 or seconds <= 0:
        raise ValueError(f"'{text}' is not a usable rate limit: both numbers must be above zero.")
    return calls, seconds


@dataclass(frozen=True)
class SandboxConfig:
    """How big the simulated account is and how the server behaves.

    ``counts`` overrides record counts per kind (for example ``{"sale": 2000}``);
    ``today`` fixes the date the data is built around (default: today in UTC).
    ``shuffle_pages`` gives every list request a new random order; ``drift_rows`` moves that many
    random rows of a list to new places before each of its page requests (see ``app.sandbox.ordering``).
    """

    seed: int = 1
    size: str = "small"
    latency_ms: float = 0
    rate_limit: tuple[int, float] | None = (60, 60.0)
    throttle_status: int = 503
    fault_rate: float = 0.0
    shuffle_pages: bool = False
    drift_rows: int = 0
    today: date | None = None
    counts: Mapping[str, int] | None = field(default=None)
    # Extra time a product page takes per stock movement it carries (docs/dear-api.md §11.1: one
    # product with 3,400 movements took 9 s, about 2.6 ms each); 0 serves them at once.
    movement_ms: float = 0.0
    # False: the demo's data, without the test strings of app.sandbox.awkward (see awkward.tidy)
    awkward: bool = True

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise ValueError(f"Unknown sandbox size '{self.size}': choose small, medium or large.")
        if self.throttle_status not in THROTTLE_STATUSES:
            raise ValueError("The throttle status must be 503, 429 or 400.")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ValueError("The fault rate must be between 0 and 1.")
        if self.drift_rows < 0:
            raise ValueError("The number of drifting rows cannot be negative.")
        unknown = set(self.counts or {}) - set(KINDS)
        if unknown:
            raise ValueError(f"Unknown record kinds in counts: {', '.join(sorted(unknown))}.")

    def record_counts(self) -> dict[str, int]:
        """Return the number of records of each kind, size defaults with overrides applied."""
        counts = dict(SIZES[self.size])
        counts.update({k: max(0, int(v)) for k, v in (self.counts or {}).items()})
        return counts
