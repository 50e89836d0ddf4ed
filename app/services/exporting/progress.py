"""Progress pushed to the caller: at most a few events a second, waits announced the moment they begin.

:class:`ProgressFeed` hands events to the caller's ``on_progress``. It may be called from the
export's own thread and from the client's request threads at once (a wait for DEAR's limit is
reported by the thread that waits), so it delivers under a lock, in order. Events closer
together than :data:`PROGRESS_INTERVAL` are held back, and a held-back event is delivered by
the next push or by :meth:`ProgressFeed.flush`, so the latest state is never lost; a change of
phase and a forced event go at once.

:class:`WaitWatch` is the client's event callback: it remembers the latest wait DEAR (or our
own pacing) imposes and pushes a ``"waiting"`` event with ``waiting_seconds`` set, so a window
can count down by itself while the export's thread is blocked.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable

from app.api.events import ApiEvent, Retrying, Throttled, Waiting
from app.models import Progress, RateLimit
from app.services.exporting.wording import describe_limit

log = logging.getLogger(__name__)

ProgressCallback = Callable[[Progress], None]

# Ordinary events closer together than this are held back (about five a second reach the caller).
PROGRESS_INTERVAL = 0.2
# Waits shorter than this are ordinary pacing and not worth a message.
NOTABLE_WAIT = 1.5


class ProgressFeed:
    """Deliver progress events to ``on_progress`` (None: nobody listens), throttled, last one kept."""

    def __init__(
        self,
        on_progress: ProgressCallback | None,
        *,
        interval: float = PROGRESS_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._on_progress = on_progress
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._last_time = -math.inf
        self._last_phase = ""
        self._pending: Progress | None = None
        self._last_work: Progress | None = None

    @property
    def listening(self) -> bool:
        """False when nobody listens (building events can then be skipped)."""
        return self._on_progress is not None

    @property
    def last_work(self) -> Progress | None:
        """The latest event that was not a wait (its counts carry over into wait events)."""
        with self._lock:
            return self._last_work

    def due(self) -> bool:
        """Tell whether an ordinary event pushed now would be delivered rather than held back."""
        return self.listening and self._clock() - self._last_time >= self._interval

    def push(self, progress: Progress, *, force: bool = False) -> None:
        """Deliver ``progress`` now if it is due, forced or a new phase; else hold it as the latest."""
        with self._lock:
            if self._on_progress is None:  # nobody listens, or the export has ended
                return
            if progress.phase != "waiting":
                self._last_work = progress
            now = self._clock()
            if force or progress.phase != self._last_phase or now - self._last_time >= self._interval:
                self._deliver(progress, now)
            else:
                self._pending = progress

    def flush(self) -> None:
        """Deliver the event held back, if any."""
        with self._lock:
            if self._pending is not None and self._on_progress is not None:
                self._deliver(self._pending, self._clock())

    def close(self) -> None:
        """Deliver nothing more: a client thread finishing late must not report after the export ended."""
        with self._lock:
            self._on_progress = None
            self._pending = None

    def _deliver(self, progress: Progress, now: float) -> None:
        self._pending = None
        self._last_time, self._last_phase = now, progress.phase
        assert self._on_progress is not None
        try:
            self._on_progress(progress)
        except Exception:  # a faulty listener must not break the export
            log.exception("Progress listener failed on a %s event", progress.phase)


class WaitWatch:
    """The client's event callback: remembers the latest wait and announces notable ones (thread-safe)."""

    def __init__(self, feed: ProgressFeed, limit: RateLimit) -> None:
        self._feed = feed
        self._limit = limit
        self._lock = threading.Lock()
        self._until = 0.0
        self._reason = ""

    def __call__(self, event: ApiEvent) -> None:
        """Note a wait the client reports (called from the client's threads; must stay quick)."""
        if isinstance(event, Waiting):
            self._note(event.seconds, "throttled" if event.reason == "throttled" else "limit")
        elif isinstance(event, Throttled):
            self._note(event.wait_seconds, "throttled")
        elif isinstance(event, Retrying):
            self._note(event.wait_seconds, "retry")

    def waiting(self) -> tuple[float, str]:
        """Seconds still to wait (0 when none) and why."""
        with self._lock:
            return max(0.0, self._until - time.monotonic()), self._reason

    def message(self, seconds: float, reason: str) -> str:
        """Say why the export waits and for how long, in words."""
        whole = math.ceil(seconds)
        if reason == "throttled":
            return f"DEAR asked us to slow down; continuing in {whole} s"
        if reason == "retry":
            return f"DEAR did not answer properly; trying again in {whole} s"
        return f"DEAR limits us to {describe_limit(self._limit)}; continuing in {whole} s"

    def waiting_event(self, seconds: float, reason: str, base: Progress | None) -> Progress:
        """Build a ``"waiting"`` event carrying the counts of ``base`` (the latest work event)."""
        left = None if base is None or base.seconds_left is None else base.seconds_left + seconds
        return Progress(
            phase="waiting",
            message=self.message(seconds, reason),
            records_done=base.records_done if base else 0,
            records_total=base.records_total if base else None,
            calls_used=base.calls_used if base else 0,
            calls_remaining=base.calls_remaining if base else None,
            waiting_seconds=seconds,
            seconds_left=left,
        )

    def _note(self, seconds: float, reason: str) -> None:
        until = time.monotonic() + seconds
        with self._lock:
            if until < self._until:
                return
            announce = until - self._until >= NOTABLE_WAIT / 2 and seconds >= NOTABLE_WAIT
            self._until, self._reason = until, reason
        if announce:
            # Pushed from the waiting thread: the export's own thread may be blocked on this very
            # request, and the window should see the wait now, not when it is over.
            self._feed.push(self.waiting_event(seconds, reason, self._feed.last_work), force=True)
