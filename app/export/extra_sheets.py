"""Extra sheets a report computes from its own rows (a summary, a native chart), in the workbook.

A report's digest (``EndpointSpec.digest``) reads the rows as they stream past and keeps only
aggregates; at the end it hands over :class:`~app.models.ExtraSheet` objects, plain data. This
module lays them out on a write-only sheet: optional notes, then each table with a bold title
and header, a blank row between tables, and a chart per table that asks for one (drawn from the
table's own cells, so the picture and the numbers cannot disagree). Charts sit to the right.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.export.values import MONEY_FORMAT, Typed, clean_text, xlsx_converter
from app.models import ExtraChart, ExtraSheet, ExtraTable, ValueKind

__all__ = ["CHART_ANCHOR_GAP", "write_extra_sheet"]

CHART_ANCHOR_GAP = 2
"""Empty columns between the widest table and the charts."""

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=12)
_WIDTH = 16
_FIRST_WIDTH = 34
_CHART_ROWS = 18  # a chart's height in rows, to stack several without overlap


def _text(ws: Any, value: str, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, clean_text(value))
    cell.data_type = "s"  # titles and headers are never formulas
    if font is not None:
        cell.font = font
    return cell


def _money(ws: Any, value: Typed) -> Any:
    """Return a money value as the report's sheet shows it: every digit kept, 2 decimals shown."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return value
    cell = WriteOnlyCell(ws, value)
    cell.number_format = MONEY_FORMAT
    return cell


def _chart(ws: Any, table: ExtraTable, chart: ExtraChart, header_row: int) -> BarChart:
    """Build a clustered bar chart of the named columns, one bar group per row of the table."""
    bars = BarChart()
    bars.type = "col"
    bars.grouping = "clustered"
    bars.title = chart.title
    bars.y_axis.title = chart.y_title
    bars.height, bars.width = 8.5, 18
    last_row = header_row + len(table.rows)
    headers = [column.header for column in table.columns]
    for name in chart.series:
        index = headers.index(name) + 1
        data = Reference(ws, min_col=index, min_row=header_row, max_row=last_row)
        bars.add_data(data, titles_from_data=True)
    bars.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=last_row))
    return bars


def write_extra_sheet(ws: Any, sheet: ExtraSheet, start_stream: Callable[[Any], None]) -> int:
    """Fill the empty write-only sheet ``ws`` with ``sheet``'s notes, tables and charts; return its rows.

    ``start_stream`` gives the sheet its stream file (the writer's scratch folder) once the
    column widths are set. The sheet is closed here: nothing more is written to it.
    """
    widest = max((len(table.columns) for table in sheet.tables), default=1)
    for index in range(1, widest + 1):
        ws.column_dimensions[get_column_letter(index)].width = _FIRST_WIDTH if index == 1 else _WIDTH
    start_stream(ws)
    row_number = 0

    def append(cells: list[Any]) -> None:
        nonlocal row_number
        ws.append(cells)
        row_number += 1

    append([_text(ws, sheet.name, _TITLE)])
    for note in sheet.notes:
        append([_text(ws, note)])
    charts: list[BarChart] = []
    for table in sheet.tables:
        append([])
        append([_text(ws, table.title, _TITLE)])
        append([_text(ws, column.header, _BOLD) for column in table.columns])
        header_row = row_number
        converters = [xlsx_converter(column.kind) for column in table.columns]
        money = [column.kind is ValueKind.MONEY for column in table.columns]
        for values in table.rows:
            typed: list[Typed] = [convert(value) for convert, value in zip(converters, values, strict=True)]
            # Text is always stored as text (a name starting with "=" is not a formula).
            append(
                [
                    _text(ws, value) if isinstance(value, str) else (_money(ws, value) if is_money else value)
                    for value, is_money in zip(typed, money, strict=True)
                ]
            )
        if table.chart is not None and table.rows:
            charts.append(_chart(ws, table, table.chart, header_row))
    column = get_column_letter(widest + CHART_ANCHOR_GAP + 1)
    for number, chart in enumerate(charts):
        ws.add_chart(chart, f"{column}{2 + number * _CHART_ROWS}")
    ws.close()  # charts are written with the sheet's end, so they go in before this
    return row_number
