"""Quick date ranges now live in :mod:`app.dates` (the one home for dates).

This module only keeps the old import path working for code that has not switched yet
(the window and the export command); import from ``app.dates`` in new code.
"""

from __future__ import annotations

from app.dates import QUICK_RANGES, DateRange, is_quick, label, quick_range, resolve, validate

__all__ = ["QUICK_RANGES", "DateRange", "is_quick", "label", "quick_range", "resolve", "validate"]
