"""Saved documents that show a product changed since they were saved are fetched again.

Detail lines carry product fields (dimensions, custom fields) that DEAR reads live from the
product, and changing a product does not change the sale's own last-modified time. One
product-list request per export (products modified since the oldest saved document, minus
an overlap for clock differences) tells which saved documents are stale.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from app.errors import ApiError
from app.models import CancelToken
from app.services.cache_db import CachedEntry
from app.services.cache_stamps import canonical_stamp, parse_stamp

if TYPE_CHECKING:
    from app.api.client import DearClient

log = logging.getLogger(__name__)

__all__ = ["CLOCK_OVERLAP", "ProductChanges", "product_ids"]

# DEAR's product list (fixed by the API): where a change to a product shows up
PRODUCT_PATH = "product"
PRODUCT_LIST_KEY = "Products"
# Timestamps from DEAR and this computer's clock are compared with this much slack.
CLOCK_OVERLAP = timedelta(minutes=15)
_AFTER_EVERY_STAMP = "\uffff"  # sorts after every canonical stamp


class ProductChanges:
    """Which products changed, asked of DEAR once per export (and again only from further back)."""

    def __init__(self) -> None:
        # (since, changed products) of the last check
        self._checked: tuple[datetime, dict[str, datetime | None]] | None = None

    def drop_stale(self, client: DearClient, hits: dict[str, CachedEntry], cancel: CancelToken | None) -> int:
        """Turn hits into misses when a product they show changed after they were saved.

        Returns how many hits were dropped (those documents are fetched again).
        """
        saved_at = {key: entry.fetched_at for key, entry in hits.items() if entry.products}
        if not saved_at:
            return 0
        dropped = 0
        oldest = parse_stamp(min(saved_at.values()))
        changed = self._changed(client, oldest - CLOCK_OVERLAP, cancel) if oldest else None
        # A product changed at T makes stale every document saved before T + overlap. Canonical
        # stamps sort in time order as text, so each document needs only string comparisons.
        stale_before = (
            {
                product: _AFTER_EVERY_STAMP
                if moment is None
                else canonical_stamp(moment + CLOCK_OVERLAP) or ""
                for product, moment in changed.items()
            }
            if changed is not None
            else None
        )
        for key, saved in saved_at.items():
            stale = stale_before is None or any(
                saved <= stale_before.get(product, "") for product in hits[key].products
            )
            if stale:
                del hits[key]
                dropped += 1
        return dropped

    def _changed(
        self, client: DearClient, since: datetime, cancel: CancelToken | None
    ) -> dict[str, datetime | None] | None:
        """Return product ID -> last-modified time (None: unreadable) for products changed since ``since``.

        None when the list could not be read completely (then nothing that shows a product
        is served from the cache).
        """
        if self._checked is not None and self._checked[0] <= since:
            return self._checked[1]  # already asked during this export, from further back
        params = {"ModifiedSince": since.strftime("%Y-%m-%dT%H:%M:%S"), "IncludeDeprecated": "true"}
        changed: dict[str, datetime | None] = {}
        try:
            pager = client.list_pager(
                PRODUCT_PATH, PRODUCT_LIST_KEY, params=params, id_field="ID", cancel=cancel
            )
            for batch in pager:
                for row in batch:
                    moment = parse_stamp(row.get("LastModifiedOn"))
                    changed[str(row.get("ID") or "").lower()] = moment
        except ApiError as error:  # (a cancel is not an ApiError: it ends the export)
            log.warning(
                "Could not check which products changed (%s); fetching affected records again.", error
            )
            return None
        if not pager.stats.complete:
            return None
        self._checked = (since, changed)
        return changed


def product_ids(document: Any) -> set[str]:
    """Return every product ID a document mentions (lines, picks, invoices, ...), lower-case."""
    found: set[str] = set()
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            for name, value in item.items():
                if isinstance(value, (Mapping, list)):
                    stack.append(value)
                elif name == "ProductID" and isinstance(value, str) and value:
                    found.add(value.lower())
        elif isinstance(item, list):
            stack.extend(item)
    return found
