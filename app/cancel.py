"""Cooperative cancellation: one token shared by the GUI thread, workers and the client's threads."""

from __future__ import annotations

import threading


class CancelToken:
    """Cooperative cancellation shared between the GUI thread and workers.

    ``wait(seconds)`` sleeps but wakes at once on cancel, so waits for DEAR's limit
    or a back-off never delay a cancel by more than a moment.
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop at its next check."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """True once cancel() was called."""
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; return True if cancelled meanwhile."""
        return self._event.wait(max(0.0, seconds))
