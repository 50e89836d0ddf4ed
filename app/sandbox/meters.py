"""DEAR's rate limit per Application Key, and the sandbox's counters of answered requests."""

from __future__ import annotations

import threading
import time
from collections import deque


class RateLimiter:
    """DEAR's rolling window per Application Key; every arriving request counts, throttled ones too.

    As measured by a production client (docs/dear-api.md §6.2).
    """

    def __init__(self, limit: tuple[int, float] | None) -> None:
        self.limit = limit
        self._windows: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Record a request; None if allowed, else seconds until the oldest call leaves the window."""
        if self.limit is None:
            return None
        calls, seconds = self.limit
        now = time.monotonic()
        with self._lock:
            window = self._windows.setdefault(key, deque())
            while window and window[0] <= now - seconds:
                window.popleft()
            allowed = len(window) < calls
            window.append(now)
            if allowed:
                return None
            return max(0.0, window[0] + seconds - now)


class Counters:
    """Answered requests per endpoint path, plus throttled and faulted answers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.per_path: dict[str, int] = {}
        self.throttled = 0
        self.faults = 0
        self.total = 0

    def count(self, path: str) -> None:
        """One more answered request to ``path``."""
        with self._lock:
            self.per_path[path] = self.per_path.get(path, 0) + 1
            self.total += 1

    def bump(self, throttled: bool = False, fault: bool = False) -> None:
        """Count a throttled or faulted answer."""
        with self._lock:
            self.throttled += throttled
            self.faults += fault

    def snapshot(self) -> dict[str, int]:
        """Per-path counts with ``_throttled``, ``_faults`` and ``_total`` added."""
        with self._lock:
            return {
                **self.per_path,
                "_throttled": self.throttled,
                "_faults": self.faults,
                "_total": self.total,
            }

    def reset(self) -> None:
        """Start counting from zero."""
        with self._lock:
            self.per_path.clear()
            self.throttled = self.faults = self.total = 0
