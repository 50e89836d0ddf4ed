"""Ordered, bounded fan-out over a thread pool, with cancellation that reaches every worker."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from app.errors import Cancelled
from app.models import CancelToken

T = TypeVar("T")
R = TypeVar("R")

_SLICE = 0.2


class LinkedCancel(CancelToken):
    """A token that is cancelled when its parent is, or when cancelled itself.

    Lets a fan-out stop its own workers (on an error, or when the consumer stops early)
    without cancelling the caller's whole job.
    """

    def __init__(self, parent: CancelToken | None) -> None:
        super().__init__()
        self._parent = parent

    @property
    def cancelled(self) -> bool:
        """True once this token or its parent was cancelled."""
        return super().cancelled or (self._parent is not None and self._parent.cancelled)

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; return True as soon as either token is cancelled."""
        deadline = time.monotonic() + max(0.0, seconds)
        while not self.cancelled:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            super().wait(min(_SLICE, remaining))
        return True


def ordered_map(
    executor: Executor,
    fn: Callable[[T, CancelToken], R],
    items: Iterable[T],
    *,
    window: int,
    cancel: CancelToken | None,
) -> Iterator[tuple[T, R]]:
    """Run ``fn(item, token)`` concurrently and yield ``(item, result)`` in input order.

    At most ``window`` items are submitted ahead of the consumer, so memory stays bounded
    however many items there are. The first error (or a cancel) stops the rest.
    """
    stop = LinkedCancel(cancel)
    source = iter(items)
    pending: deque[tuple[T, Future[R]]] = deque()

    def submit_next() -> bool:
        for item in source:
            pending.append((item, executor.submit(fn, item, stop)))
            return True
        return False

    try:
        while len(pending) < max(1, window) and submit_next():
            pass
        while pending:
            if stop.cancelled:
                raise Cancelled()
            item, future = pending.popleft()
            result = _result(future, stop)
            submit_next()
            yield item, result
    finally:
        stop.cancel()
        for _, future in pending:
            future.cancel()


def _result(future: Future[R], stop: CancelToken) -> R:
    while True:
        if stop.cancelled:
            raise Cancelled()
        try:
            return future.result(timeout=_SLICE)
        except FutureTimeout:
            continue
