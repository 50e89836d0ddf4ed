"""Stock history: stock movements, stock on hand at a date and the movement summary (no Qt).

The catalogue names each report's computation (``EndpointSpec.computed``);
:data:`app.services.stock_history.reports.COMPUTED` holds them and the export service runs them.
"""

from __future__ import annotations

# why: the export service imports this package's reports; loading it first, whichever module is
# imported first, means its modules are always complete when the export service reads them.
import app.services.exporting  # noqa: F401
