"""The spreadsheet user's part of the README's workbook pictures, in LibreOffice Calc through UNO.

Run with the system Python that Debian's ``python3-uno`` belongs to (scripts/render_workbook_pictures.py
does)::

    /usr/bin/python3 workbook_picture_uno.py build EXPORT.xlsx SAVED.xlsx
    /usr/bin/python3 workbook_picture_uno.py pdf WORKBOOK.xlsx SHEET OUT.pdf

``build`` adds the sheet a user makes on top of an export of sale order lines: totals over the
table (``=SUM(SaleOrderLines[Quantity])``), a pivot table of quantity by customer and a bar chart
of it. ``pdf`` opens a workbook as a user's spreadsheet program does after a refresh (formulas
recalculated on load) and prints it to PDF, one page a sheet; it says which page is SHEET.
The LibreOffice session itself is the tests' (tests/export/package/user_workbook.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.awt import Rectangle  # type: ignore[import-not-found]
from com.sun.star.table import CellRangeAddress  # type: ignore[import-not-found]

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "export" / "package"))
from user_workbook import Office, _index, _props, add_quantity_by_customer  # type: ignore[import-not-found]

DATA = "Sale order lines"
SUMMARY = "Monthly summary"


def build(source: Path, saved: Path) -> dict[str, Any]:
    with Office() as office:
        doc = office.open(source)
        sheets = doc.getSheets()
        data = sheets.getByName(DATA)
        cursor = data.createCursor()
        cursor.gotoEndOfUsedArea(False)
        end = cursor.getRangeAddress()
        sheets.insertNewByName(SUMMARY, sheets.getCount())
        summary = sheets.getByName(SUMMARY)
        summary.getCellByPosition(0, 0).setString("Sales by customer")
        summary.getCellByPosition(0, 0).CharHeight = 14
        summary.getCellByPosition(0, 0).CharWeight = 150  # bold
        summary.getCellByPosition(0, 2).setString("Total quantity")
        summary.getCellByPosition(1, 2).setFormula("=SUM(SaleOrderLines[Quantity])")
        summary.getCellByPosition(0, 3).setString("Order lines")
        summary.getCellByPosition(1, 3).setFormula("=ROWS(SaleOrderLines[Quantity])")
        summary.getColumns().getByIndex(0).Width = 5600
        summary.getColumns().getByIndex(1).Width = 3200
        # The pivot table: quantity by customer, over the whole data range.
        pilots = add_quantity_by_customer(
            sheets, DATA, end, summary, summary.getCellByPosition(0, 5).getCellAddress()
        )
        out = pilots.getByName("QuantityByCustomer").getOutputRange()
        # The chart: the pivot table's rows (without its total), bars beside it.
        chart_range = CellRangeAddress()
        chart_range.Sheet = _index(sheets, SUMMARY)
        chart_range.StartColumn, chart_range.EndColumn = out.StartColumn, out.EndColumn
        header = next(
            r
            for r in range(out.StartRow, out.EndRow)
            if summary.getCellByPosition(0, r).getString() == "Customer"
        )
        chart_range.StartRow, chart_range.EndRow = header, out.EndRow - 1
        rect = Rectangle()
        rect.X, rect.Y, rect.Width, rect.Height = 9800, 0, 11000, 8000
        summary.getCharts().addNewByName("QuantityByCustomerChart", rect, (chart_range,), True, True)
        doc.calculateAll()
        seen = {
            "total": summary.getCellByPosition(1, 2).getValue(),
            "pivot": [out.StartRow, out.EndRow],
        }
        doc.storeToURL(saved.resolve().as_uri(), _props(FilterName="Calc MS Excel 2007 XML"))
        doc.close(True)
        return seen


def pdf(path: Path, sheet_name: str, out: Path) -> dict[str, Any]:
    with Office() as office:
        office.recalculate_on_load()
        doc = office.open(path)
        sheets = doc.getSheets()
        summary = sheets.getByName(sheet_name)  # raises when the sheet is missing
        page = list(sheets.getElementNames()).index(sheet_name) + 1  # one page a sheet, in order
        total = summary.getCellByPosition(1, 2).getValue()
        filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", _props(SinglePageSheets=True))
        # FilterData is a typed sequence: passed through uno.invoke so the bridge keeps its type.
        args = _props(FilterName="calc_pdf_Export", FilterData=filter_data)
        uno.invoke(doc, "storeToURL", (out.resolve().as_uri(), args))
        doc.close(True)
        return {"total": total, "page": page}


if __name__ == "__main__":
    if sys.argv[1] == "build":
        print(json.dumps(build(Path(sys.argv[2]), Path(sys.argv[3]))))
    else:
        print(json.dumps(pdf(Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]))))
