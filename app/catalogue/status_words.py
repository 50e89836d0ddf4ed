"""DEAR's status values in words for a filter's choices ("AUTH_NO_ALLOC": "Authorised, not allocated").

Only the words change: the value sent to DEAR stays DEAR's own (docs/dear-api.md §4.4).
"""

from __future__ import annotations

_WORDS: dict[str, str] = {
    "AUTH_NO_ALLOC": "Authorised, not allocated",
    "NOT AVAILABLE": "Not available (not started)",
    "INVOICED / CREDITED": "Invoiced and credited",
    "RECEIVING / CREDITED": "Receiving, with a credit note",
    "RECEIVED / CREDITED": "Received, with a credit note",
    "COMPLETED / CREDIT NOTE CLOSED": "Completed, credit note closed",
    "BACKORDERED": "Back-ordered",
    "ESTIMATING": "Quote in progress",
    "ESTIMATED": "Quoted",
}


def status_words(value: str) -> str:
    """Return a DEAR status value in plain words ("PARTIALLY PICKED" → "Partially picked")."""
    known = _WORDS.get(value.strip().upper())
    if known is not None:
        return known
    text = " ".join(value.replace("_", " ").split())
    if not text.isupper():
        return text  # already words ("Spend Money")
    return text[:1] + text[1:].lower()
