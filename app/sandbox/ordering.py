"""The order a list answer is read in: DEAR's order, a fresh shuffle, or an order that drifts.

DEAR gives no stable order while a list is paged: on a busy account rows are inserted, deleted
and re-sorted between two page requests, so a naive walk of the pages misses some rows and repeats
others (docs/dear-api.md §2, last paragraph). ``shuffle_pages`` imitates the extreme case (a new order
for every request); ``drift_rows`` imitates the everyday one: before each page request a few rows of
that list move to new random positions, and the list keeps that order until more rows move.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Hashable, Sequence
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)

# A record's place in a drifting list: (the key it sits beside, offset from that key).
_Rank = tuple[Any, float]


class Drift:
    """The drifted order of every list, kept between requests; random moves seeded for repeatability."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"{seed}:drift")
        self._ranks: dict[str, dict[Any, _Rank]] = {}
        self._lock = threading.Lock()
        self.moves = 0  # every move changes the order, so cached answers must not be reused

    def arrange(self, list_name: str, keys: Sequence[K], rows: int) -> Sequence[K]:
        """Move ``rows`` random records of the list to random places; return ``keys`` in the list's order.

        ``keys`` are the records the request's filters chose, in DEAR's natural order; every key is
        returned exactly once, so the Total stays right.
        """
        with self._lock:
            ranks = self._ranks.setdefault(list_name, {})
            if rows > 0 and len(keys) > 1:
                for _ in range(rows):
                    moved = keys[self._rng.randrange(len(keys))]
                    target = keys[self._rng.randrange(len(keys))]
                    base, offset = ranks.get(target, (target, 0.0))
                    # why: sharing the target's base key puts the record right beside the target,
                    # wherever the target itself has moved to
                    ranks[moved] = (base, offset + self._rng.uniform(-0.5, 0.5))
                self.moves += rows
            if not ranks:
                return keys
            return sorted(keys, key=lambda key: ranks.get(key, (key, 0.0)))


class ListOrder:
    """How one request's list is ordered; handed to every list handler."""

    def __init__(
        self,
        *,
        shuffle: random.Random | None = None,
        drift: Drift | None = None,
        list_name: str = "",
        drift_rows: int = 0,
    ) -> None:
        self._shuffle = shuffle
        self._drift = drift
        self._list_name = list_name
        self._drift_rows = drift_rows

    def arrange(self, keys: Sequence[K]) -> Sequence[K]:
        """Return the chosen records in the order this answer lists them."""
        if self._shuffle is not None:
            # why: DEAR's order is not stable while paging; a fresh order per request shows naive
            # paging's gaps
            shuffled = list(keys)
            self._shuffle.shuffle(shuffled)
            return shuffled
        if self._drift is not None:
            return self._drift.arrange(self._list_name, keys, self._drift_rows)
        return keys


NATURAL = ListOrder()
