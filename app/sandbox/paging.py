"""DEAR's list answers: paging with Page and Limit, error bodies, and the query helpers every handler uses.

Handlers take the dataset, the query (names lower-cased) and the list order, and return (status, JSON body).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.sandbox.account import JsonDict
from app.sandbox.dataset import Dataset
from app.sandbox.ordering import ListOrder

Query = Mapping[str, str]
Answer = tuple[int, Any]
Handler = Callable[[Dataset, Query, ListOrder], Answer]

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class BadRequestError(Exception):
    """A filter value DEAR would reject (400 with an error body)."""


def error_body(status: int, message: str) -> list[JsonDict]:
    """DEAR's error shape: an array with one ``{ErrorCode, Exception}`` object."""
    return [{"ErrorCode": status, "Exception": message}]


def query_int(query: Query, name: str, default: int) -> int:
    """Return a whole-number query value, or ``default`` when absent or not a number."""
    try:
        return int(query.get(name, default))
    except ValueError:
        return default


def flag(query: Query, name: str) -> bool:
    """Return True if a boolean query value is set (``true``, ``1`` or ``yes``)."""
    return query.get(name, "").strip().lower() in {"true", "1", "yes"}


def page(
    query: Query,
    list_key: str,
    keys: Sequence[Any],
    render: Callable[[Any], JsonDict],
    order: ListOrder,
) -> Answer:
    """One page of a list: ``{Total, Page, <ListKey>: [...]}``; past the end is an empty list.

    Paging as docs/dear-api.md §2 describes it: Page from 1, Limit 100 by default and at most 1000.
    """
    number = max(1, query_int(query, "page", 1))
    limit = min(MAX_LIMIT, max(1, query_int(query, "limit", DEFAULT_LIMIT)))
    keys = order.arrange(keys)
    chosen = keys[(number - 1) * limit : number * limit]
    return 200, {"Total": len(keys), "Page": number, list_key: [render(k) for k in chosen]}
