"""Ordered, bounded fan-out: order kept, memory bounded, errors and cancels stop the rest."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from app.api.concurrency import LinkedCancel, ordered_map
from app.errors import Cancelled
from app.models import CancelToken


def test_results_in_input_order_even_when_later_items_finish_first() -> None:
    release_first = threading.Event()

    def work(item: int, token: CancelToken) -> int:
        if item == 0:
            release_first.wait(5)  # item 0 finishes last
        return item * 10

    def feeder() -> Any:
        for i in range(20):
            if i == 5:
                release_first.set()
            yield i

    with ThreadPoolExecutor(4) as pool:
        got = list(ordered_map(pool, work, feeder(), window=8, cancel=None))
    assert got == [(i, i * 10) for i in range(20)]


def test_only_a_window_of_items_is_taken_ahead_of_the_consumer() -> None:
    pulled = 0

    def source() -> Any:
        nonlocal pulled
        for i in range(50_000):
            pulled += 1
            yield i

    with ThreadPoolExecutor(2) as pool:
        results = ordered_map(pool, lambda i, _t: i, source(), window=6, cancel=None)
        assert next(results) == (0, 0)
        assert pulled <= 7
        results.close()


def test_first_error_is_raised_and_stops_the_rest() -> None:
    started: list[int] = []
    lock = threading.Lock()

    def work(item: int, token: CancelToken) -> int:
        with lock:
            started.append(item)
        if item == 3:
            raise ValueError("boom")
        return item

    with ThreadPoolExecutor(2) as pool, pytest.raises(ValueError, match="boom"):
        for _ in ordered_map(pool, work, range(1000), window=4, cancel=None):
            pass
    assert len(started) < 20


def test_cancel_reaches_the_workers_token() -> None:
    outer = CancelToken()
    seen: list[bool] = []

    def work(item: int, token: CancelToken) -> int:
        if item == 0:
            outer.cancel()
        seen.append(token.wait(5))  # wakes at once: the linked token sees the outer cancel
        return item

    with ThreadPoolExecutor(1) as pool, pytest.raises(Cancelled):
        for _ in ordered_map(pool, work, range(10), window=2, cancel=outer):
            pass
    assert seen and seen[0] is True


def test_linked_cancel() -> None:
    parent = CancelToken()
    child = LinkedCancel(parent)
    assert not child.cancelled
    child.cancel()
    assert child.cancelled and not parent.cancelled
    other = LinkedCancel(parent)
    parent.cancel()
    assert other.cancelled
    assert other.wait(5) is True
