"""Run-time changes to the simulated account: overrides of single records and deleted records.

The generated data never changes; what tests do to it (touch, void, deprecate, delete) is kept
here as small overrides that every render applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass
class Change:
    """An override of one record: how often it was touched, when, and whether it was voided."""

    version: int
    updated: datetime
    voided: bool = False
    deprecated: bool | None = None


class ChangeLog:
    """The overrides and deletions of every kind, and a clock that never repeats an instant."""

    def __init__(self, kinds: tuple[str, ...]) -> None:
        self.changes: dict[str, dict[int, Change]] = {kind: {} for kind in kinds}
        self.deleted: dict[str, set[int]] = {kind: set() for kind in kinds}
        self._last = datetime(2000, 1, 1, tzinfo=UTC)

    def get(self, kind: str, index: int) -> Change | None:
        """Return the override recorded for one record, if any."""
        return self.changes.get(kind, {}).get(index)

    def next_moment(self) -> datetime:
        """Return now, or just after the previous change if the clock has not moved on."""
        now = datetime.now(UTC)
        if now <= self._last:
            now = self._last + timedelta(milliseconds=1)
        self._last = now
        return now

    def bump(self, kind: str, index: int) -> None:
        """Record one more change to a record (its content changes), stamped now."""
        old = self.get(kind, index)
        self.changes[kind][index] = Change(
            version=(old.version if old else 0) + 1,
            updated=self.next_moment(),
            voided=old.voided if old else False,
            deprecated=old.deprecated if old else None,
        )

    def set(self, kind: str, index: int, *, voided: bool = False, deprecated: bool | None = None) -> None:
        """Void a record or set its deprecated state, stamped now; earlier overrides are kept."""
        old = self.get(kind, index)
        self.changes[kind][index] = Change(
            version=old.version if old else 0,
            updated=self.next_moment(),
            voided=voided or (old.voided if old else False),
            deprecated=deprecated if deprecated is not None else (old.deprecated if old else None),
        )

    def is_deleted(self, kind: str, index: int) -> bool:
        """Return True if the record was deleted at run time."""
        return index in self.deleted.get(kind, ())
