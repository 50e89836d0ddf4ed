"""Closing a DEAR client after use, whichever service made it (no imports: any service may use it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

ClientT = TypeVar("ClientT")


@contextmanager
def closing_client(client: ClientT) -> Iterator[ClientT]:
    """Use ``client`` in the block, then close it (its threads and connections) if it can be closed.

    Test doubles of the client protocols need not have ``close``.
    """
    try:
        yield client
    finally:
        close = getattr(client, "close", None)
        if callable(close):
            close()
