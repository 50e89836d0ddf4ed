"""What the record renderers may ask of the simulated account (a protocol the Dataset implements).

The renderers (products, parties, sales, purchases, tasks) depend on this module only, never on
``app.sandbox.dataset``, so the dataset can import them without an import cycle.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Protocol

from app.sandbox.changes import Change
from app.sandbox.ids import IdMaker
from app.sandbox.refbooks import RefBooks

JsonDict = dict[str, Any]


class Account(Protocol):
    """The seeded account as the renderers see it: sizes, IDs, reference books and other records."""

    today: date
    counts: dict[str, int]
    generation: int  # bumped on every change, so what is derived from the records goes stale
    ids: IdMaker
    refs: RefBooks

    def rng(self, kind: str, index: int) -> random.Random:
        """Return the random stream of one record."""
        ...

    def moment(self, day: date, seconds: float) -> datetime:
        """Return a UTC instant ``seconds`` into ``day``."""
        ...

    def past_moment(self, rng: random.Random, low_days: int, high_days: int) -> datetime:
        """Return a random instant between ``high_days`` and ``low_days`` days before today."""
        ...

    def past_day(self, rng: random.Random, low_days: int, high_days: int) -> date:
        """Return a random date between ``high_days`` and ``low_days`` days before today."""
        ...

    def is_deprecated(self, kind: str, index: int) -> bool:
        """Return the record's deprecated state as it is now."""
        ...

    def pick_active(self, kind: str, rng: random.Random) -> int:
        """Return a random record of ``kind`` that starts out active."""
        ...

    def pick_product(self, rng: random.Random) -> int:
        """Return a random stock product that starts out active."""
        ...

    def keys(self, kind: str) -> Sequence[int]:
        """Return the indices of the records of ``kind`` that exist now (deleted ones left out)."""
        ...

    def change(self, kind: str, index: int) -> Change | None:
        """Return the run-time override of one record, if any."""
        ...

    def row(self, kind: str, index: int) -> JsonDict:
        """Return the list row of another record (shared: do not modify)."""
        ...
