"""Open a workbook in LibreOffice Calc and report the charts of one sheet, as Calc reads them.

Run by ``test_profit_export.py`` with the system Python that Debian's ``python3-uno`` belongs to::

    /usr/bin/python3 chart_driver.py WORKBOOK.xlsx SHEET

Prints one JSON object: the workbook's sheet names and, for each chart on SHEET, its series
(name, values) and categories as Calc's chart model holds them after loading the file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# The LibreOffice session is user_workbook.py's, shared by every driver.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "export" / "package"))
from user_workbook import Office  # type: ignore[import-not-found]


def _sequence_data(sequence: Any) -> list[Any]:
    return list(sequence.getData()) if sequence is not None else []


def _series(chart_doc: Any) -> tuple[list[dict[str, Any]], list[Any]]:
    diagram = chart_doc.getFirstDiagram()
    found: list[dict[str, Any]] = []
    categories: list[Any] = []
    for system in diagram.getCoordinateSystems():
        for chart_type in system.getChartTypes():
            for series in chart_type.getDataSeries():
                for labelled in series.getDataSequences():
                    label = _sequence_data(labelled.getLabel())
                    found.append(
                        {
                            "name": str(label[0]) if label else "",
                            "values": _sequence_data(labelled.getValues()),
                        }
                    )
        axis = system.getAxisByDimension(0, 0)
        data = axis.getScaleData().Categories
        if data is not None:
            categories = [str(value) for value in _sequence_data(data.getValues())]
    return found, categories


def main(source: Path, sheet_name: str) -> dict[str, Any]:
    """Load the workbook in a private headless LibreOffice and read the sheet's charts."""
    with Office("chart") as office:
        doc = office.open(source)
        try:
            sheets = doc.getSheets()
            charts = sheets.getByName(sheet_name).getCharts()
            seen = []
            for name in charts.getElementNames():
                chart_doc = charts.getByName(name).getEmbeddedObject()
                series, categories = _series(chart_doc)
                title = chart_doc.getTitle().String if chart_doc.HasMainTitle else ""
                seen.append({"title": title, "series": series, "categories": categories})
            return {"sheets": list(sheets.getElementNames()), "charts": seen}
        finally:
            doc.close(True)


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2])))
