"""Living workbooks: exports written into the user's own workbook, refreshed in place, snapshots.

``plan`` turns an export request into what the workbook records (the recipe of each report);
``recipes`` turns a workbook's records back into an export request (relative date ranges
worked out for today); ``refresh`` reads a workbook and runs its reports again.
"""

from app.services.workbooks.plan import workbook_plan

__all__ = ["workbook_plan"]
