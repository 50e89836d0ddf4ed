"""Running a blocking iteration on a helper thread so a progress generator stays responsive.

The export generator must keep yielding progress while DEAR makes us wait (a throttle can
pause every request for a minute). The requests therefore run on a helper thread and hand
their results over through a small queue; while nothing arrives, the consumer gets a
``None`` tick a few times a second and can report the wait.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

from app.models import CancelToken

T = TypeVar("T")

# Items buffered ahead of the consumer; small, as each may be a page of 1,000 records.
_QUEUE_SIZE = 32
_PUT_SLICE = 0.1


class Fetcher(Generic[T]):
    """Iterate ``source(token)`` on a helper thread; yield its items, and None while waiting.

    ``token`` is the fetcher's own cancel token: it follows the caller's token (checked at
    every tick) and is also cancelled when the consumer stops early, so the helper thread
    never keeps spending the API budget for nobody.
    """

    def __init__(self, cancel: CancelToken, *, tick: float = 0.25, name: str = "dear-export-fetch") -> None:
        self.token = CancelToken()
        self._cancel = cancel
        self._tick = tick
        self._name = name

    def run(self, source: Callable[[CancelToken], Iterable[T]]) -> Iterator[T | None]:
        """Yield the source's items in order, or None when ``tick`` passed without one."""
        handover: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=_QUEUE_SIZE)
        stop = threading.Event()

        def put(kind: str, value: object) -> None:
            while not stop.is_set():
                try:
                    handover.put((kind, value), timeout=_PUT_SLICE)
                    return
                except queue.Full:
                    continue

        def work() -> None:
            try:
                for item in source(self.token):
                    put("item", item)
                    if stop.is_set():
                        return
                put("end", None)
            except BaseException as error:  # noqa: BLE001 - handed to the consumer, which re-raises it
                put("error", error)

        thread = threading.Thread(target=work, name=self._name, daemon=True)
        thread.start()
        finished = False
        try:
            while True:
                if self._cancel.cancelled:
                    self.token.cancel()
                try:
                    kind, value = handover.get(timeout=self._tick)
                except queue.Empty:
                    yield None
                    continue
                if kind == "item":
                    yield value  # type: ignore[misc]
                elif kind == "end":
                    finished = True
                    return
                else:
                    assert isinstance(value, BaseException)
                    raise value
        finally:
            stop.set()
            if not finished:
                self.token.cancel()
            thread.join(timeout=2.0)
