"""Ctrl+C and a scheduler's stop (SIGTERM) cancel an export cleanly, shared by every command."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from app.models import CancelToken


@contextmanager
def cancel_on_signals(cancel: CancelToken, announce: Callable[[], None]) -> Iterator[None]:
    """Within the block, the first Ctrl+C or SIGTERM cancels cleanly; a second one stops at once.

    ``announce`` tells the user (or the log) that a stop was requested. The export then leaves
    no half-written file behind.
    """

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        if cancel.cancelled:
            raise KeyboardInterrupt
        announce()
        cancel.cancel()

    # SIGBREAK is Ctrl+Break in a Windows console; SIGTERM is what schedulers send elsewhere.
    wanted = [signal.SIGINT] + [
        getattr(signal, name) for name in ("SIGTERM", "SIGBREAK") if hasattr(signal, name)
    ]
    previous: dict[signal.Signals, Any] = {}
    try:
        for number in wanted:
            previous[number] = signal.signal(number, on_signal)
    except ValueError:  # not the main thread (an embedding program): keep the default behaviour
        pass
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
