"""A modest cache of encoded list answers, so repeated walks of a big list are cheap."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any


class PageCache:
    """A modest cache of encoded answers, so repeated walks of a big list are cheap.

    Entries carry the dataset's change generation; a touch, void or deprecate makes them stale.
    """

    def __init__(self, max_bytes: int = 48 << 20) -> None:
        self._max_bytes = max_bytes
        self._entries: OrderedDict[tuple[Any, ...], tuple[int, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...] | None, generation: int) -> bytes | None:
        """Return the cached answer for ``key`` if it is still current."""
        if key is None:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != generation:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: tuple[Any, ...] | None, generation: int, body: bytes) -> None:
        """Remember an answer, dropping the least recently used ones beyond the size budget."""
        if key is None or len(body) > self._max_bytes // 4:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old[1])
            self._entries[key] = (generation, body)
            self._size += len(body)
            while self._size > self._max_bytes and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= len(dropped)
