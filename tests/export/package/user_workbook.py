"""Work on a workbook as a spreadsheet user does, in LibreOffice Calc through its Python UNO bridge.

Run with the system Python that Debian's ``python3-uno`` belongs to (not the project's venv)::

    /usr/bin/python3 user_workbook.py build SOURCE.xlsx SAVED.xlsx DATA_SHEET TABLE COLUMN_LETTER
    /usr/bin/python3 user_workbook.py read WORKBOOK.xlsx SHEET CELL [CELL ...]

``build`` opens an export, adds a sheet "My summary" with a structured-reference total
(``=SUM(TABLE[Quantity])``), a plain range total over COLUMN_LETTER, a row count, a chart of the
data and a pivot table (quantity by customer), then saves in Excel's format. ``read`` opens a
workbook with LibreOffice told to recalculate every formula on load (as Excel does for a file
marked fullCalcOnLoad) and prints the cells' values and the sheet names as JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.awt import Rectangle  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]
from com.sun.star.table import CellRangeAddress  # type: ignore[import-not-found]

SUMMARY = "My summary"
# A 1x1 red PNG: the "logo" a user puts on their sheet.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154789c63f8cfc000"
    "0003010100c9fe92ef0000000049454e44ae426082"
)


def _props(**values: Any) -> tuple[Any, ...]:
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        result.append(prop)
    return tuple(result)


class Office:
    """A private headless LibreOffice for the life of a ``with`` block.

    Also the session of the drivers in tests/integration and of scripts/workbook_picture_uno.py;
    ``name`` tells their pipes apart in a process list.
    """

    def __init__(self, name: str = "user") -> None:
        self.name = name

    def __enter__(self) -> Any:
        self.profile = Path(tempfile.mkdtemp(prefix="dear-export-lo-profile-"))
        pipe = f"dear_export_{self.name}_{os.getpid()}"
        self.process = subprocess.Popen(
            [
                shutil.which("soffice") or "soffice",
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                "--nodefault",
                f"-env:UserInstallation={self.profile.as_uri()}",
                f"--accept=pipe,name={pipe};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        manager = self.context.ServiceManager
        self.desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", self.context)
        return self

    def recalculate_on_load(self) -> None:
        """Set Calc's "recalculation on file load" for Excel files to Always."""
        manager = self.context.ServiceManager
        provider = manager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", self.context
        )
        access = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess",
            _props(nodepath="/org.openoffice.Office.Calc/Formula/Load"),
        )
        access.setPropertyValue("OOXMLRecalcMode", 0)
        access.commitChanges()

    def open(self, path: Path) -> Any:
        doc = self.desktop.loadComponentFromURL(path.resolve().as_uri(), "_blank", 0, _props(Hidden=True))
        if doc is None:
            raise SystemExit(f"LibreOffice could not open {path}")
        return doc

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def build(source: Path, saved: Path, data_sheet: str, table: str, column: str) -> dict[str, Any]:
    with Office() as office:
        doc = office.open(source)
        sheets = doc.getSheets()
        data = sheets.getByName(data_sheet)
        cursor = data.createCursor()
        cursor.gotoEndOfUsedArea(False)
        end = cursor.getRangeAddress()
        sheets.insertNewByName(SUMMARY, sheets.getCount())
        summary = sheets.getByName(SUMMARY)
        summary.getCellByPosition(0, 0).setString("Total quantity")
        summary.getCellByPosition(1, 0).setFormula(f"=SUM({table}[Quantity])")
        summary.getCellByPosition(0, 1).setString("Plain range total")
        quoted = "'" + data_sheet.replace("'", "''") + "'"
        summary.getCellByPosition(1, 1).setFormula(f"=SUM({quoted}.{column}2:{column}100000)")
        summary.getCellByPosition(0, 2).setString("Rows")
        summary.getCellByPosition(1, 2).setFormula(f"=ROWS({table}[Quantity])")
        # A chart of the data's first rows, on the user's sheet.
        chart_range = CellRangeAddress()
        chart_range.Sheet = _index(sheets, data_sheet)
        chart_range.StartColumn, chart_range.EndColumn = end.EndColumn, end.EndColumn
        chart_range.StartRow, chart_range.EndRow = 0, min(end.EndRow, 10)
        rect = Rectangle()
        rect.X, rect.Y, rect.Width, rect.Height = 500, 3000, 10000, 6000
        summary.getCharts().addNewByName("QuantityChart", rect, (chart_range,), True, False)
        # Another chart on the data sheet itself, beside the rows.
        beside = Rectangle()
        beside.X, beside.Y, beside.Width, beside.Height = 20000, 500, 8000, 5000
        data.getCharts().addNewByName("DataChart", beside, (chart_range,), True, False)
        # A picture (a logo, say) on the user's sheet.
        provider = office.context.ServiceManager.createInstanceWithContext(
            "com.sun.star.graphic.GraphicProvider", office.context
        )
        picture = Path(tempfile.mkdtemp(prefix="dear-export-picture-")) / "logo.png"
        picture.write_bytes(_PNG)
        graphic = provider.queryGraphic(_props(URL=picture.as_uri()))
        shape = doc.createInstance("com.sun.star.drawing.GraphicObjectShape")
        shape.Graphic = graphic
        summary.getDrawPage().add(shape)
        size = uno.createUnoStruct("com.sun.star.awt.Size")
        size.Width, size.Height = 2000, 2000
        shape.setSize(size)
        # A pivot table: quantity by customer, from the whole data range.
        add_quantity_by_customer(
            sheets, data_sheet, end, summary, summary.getCellByPosition(4, 0).getCellAddress()
        )
        doc.calculateAll()
        seen = {
            "total": summary.getCellByPosition(1, 0).getValue(),
            "plain": summary.getCellByPosition(1, 1).getValue(),
            "rows": summary.getCellByPosition(1, 2).getValue(),
        }
        doc.storeToURL(saved.resolve().as_uri(), _props(FilterName="Calc MS Excel 2007 XML"))
        doc.close(True)
        return seen


def _index(sheets: Any, name: str) -> int:
    return list(sheets.getElementNames()).index(name)


def add_quantity_by_customer(sheets: Any, data_sheet: str, end: Any, summary: Any, at: Any) -> Any:
    """Add the pivot table "QuantityByCustomer" (sum of Quantity by Customer) to ``summary`` at ``at``.

    Its source is ``data_sheet`` from A1 to ``end`` (the used area's address); returns ``summary``'s pivots.
    """
    from com.sun.star.sheet.DataPilotFieldOrientation import DATA, ROW  # type: ignore[import-not-found]
    from com.sun.star.sheet.GeneralFunction import SUM  # type: ignore[import-not-found]

    data = sheets.getByName(data_sheet)
    pilots = summary.getDataPilotTables()
    descriptor = pilots.createDataPilotDescriptor()
    source_range = CellRangeAddress()
    source_range.Sheet = _index(sheets, data_sheet)
    source_range.StartColumn, source_range.EndColumn = 0, end.EndColumn
    source_range.StartRow, source_range.EndRow = 0, end.EndRow
    descriptor.setSourceRange(source_range)
    fields = descriptor.getDataPilotFields()
    names = [data.getCellByPosition(c, 0).getString() for c in range(end.EndColumn + 1)]
    fields.getByIndex(names.index("Customer")).Orientation = ROW
    quantity = fields.getByIndex(names.index("Quantity"))
    quantity.Orientation = DATA
    quantity.Function = SUM
    pilots.insertNewByName("QuantityByCustomer", at, descriptor)
    return pilots


def read(path: Path, sheet_name: str, cells: list[str]) -> dict[str, Any]:
    with Office() as office:
        office.recalculate_on_load()
        doc = office.open(path)
        sheets = doc.getSheets()
        sheet = sheets.getByName(sheet_name)
        values = {cell: sheet.getCellRangeByName(cell).getValue() for cell in cells}
        formulas = {cell: sheet.getCellRangeByName(cell).getFormula() for cell in cells}
        names = list(sheets.getElementNames())
        charts = {name: sheets.getByName(name).getCharts().getCount() for name in names}
        shapes = {name: sheets.getByName(name).getDrawPage().getCount() for name in names}
        doc.close(True)
        return {"values": values, "formulas": formulas, "sheets": names, "charts": charts, "shapes": shapes}


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "build":
        print(json.dumps(build(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6])))
    else:
        print(json.dumps(read(Path(sys.argv[2]), sys.argv[3], sys.argv[4:])))
