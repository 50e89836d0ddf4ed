"""A lazily rendered, read-only list of one kind's list rows, for tests and benchmarks."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from typing import Protocol, overload

from app.sandbox.account import JsonDict


class RowSource(Protocol):
    """What a view reads from the dataset: the live records of a kind and their rows."""

    def keys(self, kind: str) -> Sequence[int]:
        """Return the indices of the records of ``kind`` that exist now, in DEAR's order."""
        ...

    def row(self, kind: str, index: int) -> JsonDict:
        """Return the list row of record ``index``."""
        ...


class RecordView(Sequence[JsonDict]):
    """A read-only, lazily rendered list of one kind's list rows (copies, safe to change).

    Deleted records are left out, as DEAR's lists leave them out.
    """

    def __init__(self, source: RowSource, kind: str) -> None:
        self._source = source
        self._kind = kind

    def __len__(self) -> int:
        return len(self._source.keys(self._kind))

    @overload
    def __getitem__(self, index: int) -> JsonDict: ...

    @overload
    def __getitem__(self, index: slice) -> list[JsonDict]: ...

    def __getitem__(self, index: int | slice) -> JsonDict | list[JsonDict]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        keys = self._source.keys(self._kind)
        if index < 0:
            index += len(keys)
        if not 0 <= index < len(keys):
            raise IndexError(index)
        return copy.deepcopy(self._source.row(self._kind, keys[index]))

    def __iter__(self) -> Iterator[JsonDict]:
        return (self[i] for i in range(len(self)))
