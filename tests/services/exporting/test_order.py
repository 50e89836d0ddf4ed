"""Sorting long lists in slices gives exactly what one sort gives (stable, same order)."""

from __future__ import annotations

import random

from app.services.exporting import sorted_in_slices


def test_slices_merge_to_the_same_stable_order_as_one_sort() -> None:
    rng = random.Random(7)
    # Few distinct keys, so many ties: stability is what is being checked.
    items = [(rng.randrange(50), position) for position in range(12_345)]
    assert sorted_in_slices(items, key=lambda item: item[0]) == sorted(items, key=lambda item: item[0])


def test_short_lists_are_sorted_too() -> None:
    assert sorted_in_slices([3, 1, 2], key=lambda item: item) == [1, 2, 3]
    assert sorted_in_slices([], key=lambda item: item) == []
