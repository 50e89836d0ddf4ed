"""One pacing gate per Application Key: DEAR's limit is counted per API application.

DEAR counts calls when they arrive; we cannot see arrival times, so we count conservatively:
a request occupies a slot from the moment it is sent, and its slot stays taken for a full
window after it *finished*. Arrival always lies between sending and finishing, so DEAR can
never see more than ``limit.calls`` calls inside any of its rolling windows.

Threads of one process meet here; processes of one user (a window, a scheduled run, a command
line) meet in the :mod:`~app.api.ledger`, which :meth:`RateGovernor.for_key` attaches.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from app.api.ledger import SharedLedger, Wait
from app.errors import Cancelled
from app.models import CancelToken, RateLimit

log = logging.getLogger(__name__)

Clock = Callable[[], float]
T = TypeVar("T")

# Waits are cut into slices this long so a cancel is noticed well within a second.
_WAIT_SLICE = 0.2
# A little headroom against clock granularity at the window edge.
_EDGE_MARGIN = 0.02


@dataclass(frozen=True)
class Slot:
    """Permission to send one request; give it back with :meth:`RateGovernor.release`."""

    taken_at: float
    probe: bool = False
    shared_id: int | None = None  # the slot's row in the shared ledger, if there is one


class RateGovernor:
    """Never more than ``limit.calls`` calls in any rolling ``limit.seconds`` window, for one key.

    Shared by every thread and every client using the same key (see :meth:`for_key`), and
    with a ``ledger`` by every process of the user. At most ``max_in_flight`` requests of this
    process are outstanding at once.
    """

    _registry: ClassVar[dict[str, RateGovernor]] = {}
    _registry_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(
        self,
        limit: RateLimit,
        *,
        max_in_flight: int = 4,
        clock: Clock = time.monotonic,
        ledger: SharedLedger | None = None,
    ) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self._limit = limit
        self._max_in_flight = max_in_flight
        self._clock = clock
        self._cond = threading.Condition()
        self._finished: deque[float] = deque()
        self._in_flight = 0
        self._paused_until = 0.0
        self._probe_needed = False
        self._probe_in_flight = False
        self._waited = 0.0
        self._ledger = ledger

    @classmethod
    def for_key(
        cls,
        application_key: str,
        limit: RateLimit,
        *,
        max_in_flight: int | None = None,
        shared: bool = True,
    ) -> RateGovernor:
        """Return the process-wide governor for this key, creating it on first use.

        With ``shared`` (the default) its accounting goes through the user's shared ledger, so
        other processes on the same key take from the same budget. The registry is keyed by a
        hash so the key itself is never held as a dict key. A later caller's limit (and
        in-flight bound, if given) replaces the earlier one: there is only one budget per key,
        so the most recent setting governs it.
        """
        digest = hashlib.sha256(application_key.encode("utf-8")).hexdigest()
        with cls._registry_lock:
            governor = cls._registry.get(digest)
            if governor is None:
                ledger = SharedLedger.for_user(application_key) if shared else None
                governor = cls(limit, max_in_flight=max_in_flight or 4, ledger=ledger)
                cls._registry[digest] = governor
            else:
                governor.configure(limit, max_in_flight=max_in_flight)
            return governor

    def __repr__(self) -> str:
        return f"RateGovernor(limit='{self._limit}', max_in_flight={self._max_in_flight})"

    # ------------------------------------------------------------------ settings and figures

    @property
    def limit(self) -> RateLimit:
        """The budget this governor enforces."""
        return self._limit

    @property
    def max_in_flight(self) -> int:
        """How many requests may be outstanding at once."""
        return self._max_in_flight

    @property
    def waited_seconds(self) -> float:
        """Total seconds callers have spent waiting for a slot (all threads added up)."""
        with self._cond:
            return self._waited

    @classmethod
    def forget_all(cls) -> None:
        """Drop every governor, so the next use of a key starts with an empty window.

        Only for a fresh start where no request is in flight (tests, which reuse the sandbox's
        fixed key in one process); the app itself keeps its governors for the whole process.
        """
        with cls._registry_lock:
            governors = list(cls._registry.values())
            cls._registry.clear()
        for governor in governors:
            with governor._cond:
                ledger, governor._ledger = governor._ledger, None
            if ledger is not None:
                ledger.close()

    @property
    def shared(self) -> bool:
        """True while the budget is shared with other processes through the ledger."""
        return self._ledger is not None

    def configure(self, limit: RateLimit, *, max_in_flight: int | None = None) -> None:
        """Change the budget (and optionally the in-flight bound) for every user of this key."""
        with self._cond:
            self._limit = limit
            if max_in_flight is not None:
                if max_in_flight < 1:
                    raise ValueError("max_in_flight must be at least 1")
                self._max_in_flight = max_in_flight
            self._cond.notify_all()

    # ------------------------------------------------------------------ slots

    def try_acquire(self) -> Slot | float:
        """Take a slot now, or return how many seconds to wait (``inf``: until a request finishes)."""
        with self._cond:
            return self._try_acquire_locked()

    def acquire(
        self, cancel: CancelToken | None = None, on_wait: Callable[[float, str], None] | None = None
    ) -> Slot:
        """Block until a slot is free; raise :class:`Cancelled` within a moment of a cancel.

        ``on_wait(seconds, reason)`` is called once when a wait of known length begins
        (reason ``"limit"`` for our own pacing, ``"throttled"`` after DEAR said no).
        """
        started: float | None = None
        announced = False
        with self._cond:
            try:
                while True:
                    if cancel is not None and cancel.cancelled:
                        raise Cancelled()
                    outcome = self._try_acquire_locked()
                    if isinstance(outcome, Slot):
                        return outcome
                    if started is None:
                        started = self._clock()
                    if not announced and on_wait is not None and outcome != float("inf"):
                        # Waiting only for a request in flight is ordinary concurrency, not worth a
                        # message; a wait with a known length is. Called under the lock, so callbacks
                        # must be quick (they only forward events).
                        announced = True
                        reason = "throttled" if self._paused_until > self._clock() else "limit"
                        on_wait(outcome, reason)
                    self._cond.wait(min(outcome, _WAIT_SLICE))
            finally:
                if started is not None:
                    self._waited += max(0.0, self._clock() - started)

    def release(self, slot: Slot) -> None:
        """Give a slot back; its window starts now, when the request finished."""
        with self._cond:
            self._in_flight -= 1
            self._finished.append(self._clock())
            shared_id = slot.shared_id
            if shared_id is not None:
                self._shared(lambda ledger: ledger.finish(shared_id))
            if slot.probe:
                # The probe got an answer; if it was another refusal, pause() follows and asks again.
                self._probe_in_flight = False
                self._probe_needed = False
            self._cond.notify_all()

    def pause(self, seconds: float) -> None:
        """Hold every request on this key for ``seconds`` (DEAR said we are over the limit).

        When the pause ends a single request goes first; the others follow once it has been
        answered, so a budget still spent by another program costs one refusal, not one per thread.
        """
        with self._cond:
            self._paused_until = max(self._paused_until, self._clock() + max(0.0, seconds))
            self._probe_needed = True
            self._shared(lambda ledger: ledger.pause(seconds))  # so other processes do not knock too
            self._cond.notify_all()

    def free_slots(self) -> int:
        """Return how many calls could start now without waiting for the window (0 while paused)."""
        with self._cond:
            now = self._clock()
            if now < self._paused_until:
                return 0
            free = self._shared(lambda ledger: ledger.free_slots(self._limit))
            if free is not None:
                return free
            window = self._limit.seconds
            busy = self._in_flight + sum(1 for done in self._finished if done + window + _EDGE_MARGIN > now)
            return max(0, self._limit.calls - busy)

    def _try_acquire_locked(self) -> Slot | float:
        now = self._clock()
        if now < self._paused_until:
            return self._paused_until - now
        window = self._limit.seconds
        while self._finished and self._finished[0] + window + _EDGE_MARGIN <= now:
            self._finished.popleft()
        if self._in_flight >= self._max_in_flight or self._probe_in_flight:
            return float("inf")
        taken = self._shared(lambda ledger: ledger.take(self._limit))
        if isinstance(taken, Wait):
            if taken.paused:
                # Another process was told to slow down: pause here too, and probe first after.
                self._paused_until = max(self._paused_until, now + taken.seconds)
                self._probe_needed = True
            return taken.seconds
        shared_id = taken
        # Without the ledger (or if it failed) this process's own calls are all we can count.
        if shared_id is None and self._in_flight + len(self._finished) >= self._limit.calls:
            if not self._finished:
                return float("inf")
            return max(0.0, self._finished[0] + window + _EDGE_MARGIN - now)
        self._in_flight += 1
        if self._probe_needed:
            self._probe_in_flight = True
            return Slot(taken_at=now, probe=True, shared_id=shared_id)
        return Slot(taken_at=now, shared_id=shared_id)

    def _shared(self, action: Callable[[SharedLedger], T]) -> T | None:
        """Run a ledger action; None without a ledger, or when it failed (then warn once, pace alone)."""
        ledger = self._ledger
        if ledger is None:
            return None
        try:
            return action(ledger)
        except sqlite3.Error as exc:
            log.warning("The shared API budget file stopped working (%s); pacing this program alone.", exc)
            self._ledger = None
            ledger.close()
            return None
