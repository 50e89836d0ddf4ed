"""Stock history: stock movements, stock on hand at a date and the movement summary (no Qt).

The catalogue names each report's computation (``EndpointSpec.computed``); :data:`COMPUTED` holds them.
"""

from __future__ import annotations

from app.services.stock_history.estimate import estimate_computed
from app.services.stock_history.reports import COMPUTED, StockOutcome

__all__ = ["COMPUTED", "StockOutcome", "estimate_computed"]
