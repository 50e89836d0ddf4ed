"""Progress of several companies read side by side, merged into one stream of events.

Each company's reader pushes its events into a :class:`~app.services.exporting.progress.ProgressFeed`
of its own (a lane), exactly as a one-company export does. The :class:`CompanyBoard` keeps each
lane's latest event and pushes one merged event to the export's feed: one line per company in
``Progress.companies`` (and in the message, one a line, so a window or a terminal that shows the
message shows every company), counts added up, and the time left of the slowest company, since
the companies run at the same time.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from app.models import Progress
from app.services.exporting.progress import ProgressFeed

# The merged event's phase is the least advanced phase of the companies still reading.
_PHASE_ORDER = ("connecting", "listing", "details", "writing")


class _Lane:
    """One company's progress callback (a bound callable: the board needs the company's place)."""

    def __init__(self, board: CompanyBoard, index: int) -> None:
        self._board = board
        self._index = index

    def __call__(self, event: Progress) -> None:
        self._board.update(self._index, event)


class CompanyBoard:
    """Merges the progress of several companies into the export's feed (thread-safe)."""

    def __init__(self, feed: ProgressFeed, names: Sequence[str]) -> None:
        self._feed = feed
        self._names = tuple(names)
        self._lock = threading.Lock()
        self._latest: list[Progress | None] = [None] * len(self._names)
        self._ended: list[str] = [""] * len(self._names)

    def lane(self, index: int) -> ProgressFeed:
        """Return the feed company number ``index`` (in export order) pushes its events into."""
        return ProgressFeed(_Lane(self, index))

    def update(self, index: int, event: Progress) -> None:
        """Note a company's latest event and push the merged one."""
        with self._lock:
            self._latest[index] = event
            merged = self._merged()
            # A wait is announced at once, as in a one-company export.
            self._feed.push(merged, force=event.phase == "waiting" and merged.phase == "waiting")

    def end(self, index: int, text: str) -> None:
        """Fix a company's line once it is read (or has failed); its counts stay in the totals."""
        with self._lock:
            self._ended[index] = text
            self._feed.push(self._merged(), force=True)

    def lines(self) -> tuple[str, ...]:
        """One line per company: its name and what it is doing (or how it ended)."""
        with self._lock:
            return self._lines()

    def _lines(self) -> tuple[str, ...]:
        lines = []
        for name, latest, ended in zip(self._names, self._latest, self._ended, strict=True):
            text = ended or (latest.message if latest is not None else "waiting to start")
            lines.append(f"{name}: {text}")
        return tuple(lines)

    def _merged(self) -> Progress:
        events = [event for event in self._latest if event is not None]
        running = [
            event for event, ended in zip(self._latest, self._ended, strict=True) if event and not ended
        ]
        totals = [event.records_total for event in events if event.records_total is not None]
        remaining = [event.calls_remaining for event in events if event.calls_remaining is not None]
        lefts = [event.seconds_left for event in running if event.seconds_left is not None]
        waits = [event.waiting_seconds for event in running if event.phase == "waiting"]
        if running and len(waits) == len(running):
            phase, waiting = "waiting", min(waits)
        else:
            phases = [event.phase for event in running if event.phase in _PHASE_ORDER]
            # Every company read (or failed): what comes next is writing the file.
            phase = min(phases, key=_PHASE_ORDER.index) if phases else "writing"
            waiting = 0.0
        lines = self._lines()
        return Progress(
            phase=phase,
            message="\n".join(lines),
            records_done=sum(event.records_done for event in events),
            records_total=sum(totals) if totals else None,
            calls_used=sum(event.calls_used for event in events),
            calls_remaining=sum(remaining) if remaining else None,
            waiting_seconds=waiting,
            # Side by side: the export ends when the slowest company does.
            seconds_left=max(lefts) if lefts else None,
            companies=lines,
        )
