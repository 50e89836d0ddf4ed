"""Drive LibreOffice Calc through its Python UNO bridge, the way a person uses a workbook.

Run by ``test_libreoffice.py`` with the system Python that Debian's ``python3-uno`` belongs to
(not the project's virtualenv, which cannot load ``uno``)::

    /usr/bin/python3 libreoffice_driver.py WORKBOOK.xlsx SAVED.xlsx SHEET COLUMN

It starts a private headless LibreOffice, opens WORKBOOK.xlsx, recalculates everything, reads
every cell of SHEET (value, type, whether its number format is a date), then edits as a person
would: types a SUM formula under COLUMN (a header name), types a formula-looking text into a
cell as text, recalculates, and saves the result to SAVED.xlsx in Excel's format. What it saw is
printed as one JSON object on standard output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# The LibreOffice session (start, connect, open, stop) is user_workbook.py's, shared by every driver.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "export" / "package"))
from user_workbook import Office, _props  # type: ignore[import-not-found]

_DATE_FLAG = 2  # com.sun.star.util.NumberFormat.DATE


def _cell_type(cell: Any) -> str:
    # com.sun.star.table.CellContentType: EMPTY, VALUE, TEXT, FORMULA
    return str(cell.getType().value)


def main(source: Path, saved: Path, sheet_name: str, column: str) -> dict[str, Any]:
    """Open, recalculate, read, edit and save; return what was seen."""
    with Office("test") as office:
        doc = office.open(source)
        doc.calculateAll()
        sheets = doc.getSheets()
        sheet = sheets.getByName(sheet_name)
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        last_row, last_col = cursor.getRangeAddress().EndRow, cursor.getRangeAddress().EndColumn
        formats = doc.getNumberFormats()
        rows: list[list[dict[str, Any]]] = []
        for r in range(last_row + 1):
            row = []
            for c in range(last_col + 1):
                cell = sheet.getCellByPosition(c, r)
                kind = _cell_type(cell)
                is_date = (
                    bool(formats.getByKey(cell.NumberFormat).Type & _DATE_FLAG) if kind == "VALUE" else False
                )
                row.append(
                    {"type": kind, "text": cell.getString(), "value": cell.getValue(), "date": is_date}
                )
            rows.append(row)
        headers = [cell["text"] for cell in rows[0]]
        col = headers.index(column)
        # A person adds a total under the column and types a note that merely looks like a formula.
        total_cell = sheet.getCellByPosition(col, last_row + 2)
        start = sheet.getCellByPosition(col, 1).AbsoluteName.split(".")[-1].replace("$", "")
        end = sheet.getCellByPosition(col, last_row).AbsoluteName.split(".")[-1].replace("$", "")
        total_cell.setFormula(f"=SUM({start}:{end})")
        note_cell = sheet.getCellByPosition(col, last_row + 3)
        note_cell.setString("=checked by hand")
        doc.calculateAll()
        total = total_cell.getValue()
        names = list(sheets.getElementNames())
        doc.storeToURL(saved.resolve().as_uri(), _props(FilterName="Calc MS Excel 2007 XML"))
        doc.close(True)
        return {
            "sheets": names,
            "rows": rows,
            "total": total,
            "total_row": last_row + 3,  # 1-based row of the typed total
            "note_row": last_row + 4,
            "column": col + 1,
        }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4])))
