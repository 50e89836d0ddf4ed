"""What the stock history reports say about themselves (the About sheet and the result)."""

from __future__ import annotations

from datetime import date

from app.api.paging import ListStats
from app.services.exporting.plan import Plan
from app.services.stock_history.book import Mismatch, StockBook

# The About sheet names at most this many mismatches; the "Stock check" sheet lists them all.
LISTED_MISMATCHES = 20


def _read(stats: ListStats, noun: str) -> str:
    if stats.complete:
        return f"All {stats.total:,} {noun} were read with their movements."
    return (
        f"{stats.missing:,} of {stats.total:,} {noun} could not be read because DEAR's list kept changing "
        "while it was being read, so their movements are missing; export again to get them."
    )


def stock_note(
    plan: Plan,
    book: StockBook | None,
    stats: ListStats,
    closing: date | None,
    opening: date | None,
    today: date,
    movements: tuple[int, int] | None = None,
) -> str:
    """Say what was read and what the figures mean."""
    text = _read(stats, plan.noun)
    if movements is not None:
        kept, read = movements
        text += f" {read:,} movements were read; {kept:,} of them match the report's dates and filters."
    if book is not None and closing is not None:
        text += (
            f" Stock at the end of {closing:%Y-%m-%d} is today's stock on hand ({today:%Y-%m-%d}) minus the "
            f"{book.later:,} movements dated after that day."
        )
        if opening is not None:
            text += f" Opening stock is at the start of {opening:%Y-%m-%d}."
    text += " DEAR does not say when a product's movements change, so they are read again on every export."
    return text


def check_note(book: StockBook, mismatches: list[Mismatch], availability: ListStats) -> str:
    """Say whether every product's movements add up to today's stock on hand, and where they do not."""
    places = len(book.places)
    if not availability.complete:
        return (
            "The stock check could not be completed: DEAR's stock on hand list kept changing while it was "
            "being read. Export again to check the figures."
        )
    values = book.value_differences()
    value_text = (
        f" At {values:,} of them the movements' values do not add up to DEAR's stock value (DEAR does not "
        "promise they do), so values at a past date there are today's value minus the later movements."
        if values
        else ""
    )
    if not mismatches:
        return (
            f"Stock check passed: at all {places:,} product locations the movements add up to today's "
            f"stock on hand.{value_text}"
        )
    listed = "; ".join(m.describe() for m in mismatches[:LISTED_MISMATCHES])
    more = len(mismatches) - LISTED_MISMATCHES
    tail = f"; and {more:,} more" if more > 0 else ""
    return (
        f"Stock check FAILED at {len(mismatches):,} of {places:,} product locations: the movements do not "
        "add up to today's stock on hand, so the figures there may be out by the difference "
        f"({listed}{tail}). "
        f"The sheet 'Stock check' lists them all.{value_text}"
    )
