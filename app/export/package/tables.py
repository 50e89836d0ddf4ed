"""The Excel table over a report's rows, as openpyxl's write-only sheets take it."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

TABLE_STYLE = "TableStyleMedium2"


def add_table(ws: Any, name: str, headers: Sequence[str], rows: int) -> None:
    """Put table ``name`` over the header and ``rows`` data rows of the write-only sheet ``ws``.

    The table carries the filter buttons, so the sheet gets no autofilter of its own (Excel
    refuses a sheet filter overlapping a table). A table needs a data row: an empty report's
    covers one empty row. The column names are the header cells' text (they must match).
    """
    ref = f"A1:{get_column_letter(len(headers))}{max(2, rows + 1)}"
    table = Table(
        displayName=name,
        ref=ref,
        tableColumns=[TableColumn(id=i, name=header) for i, header in enumerate(headers, 1)],
        tableStyleInfo=TableStyleInfo(name=TABLE_STYLE, showRowStripes=True),
        autoFilter=AutoFilter(ref=ref),
    )
    with warnings.catch_warnings():
        # openpyxl warns that write-only tables need their columns given: they are.
        warnings.simplefilter("ignore", UserWarning)
        ws.add_table(table)
