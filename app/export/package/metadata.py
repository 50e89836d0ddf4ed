"""What made each data sheet of a workbook: the recipe a refresh runs again, kept in the workbook.

Where it is kept: a custom XML part (``customXml/itemN.xml``, in a namespace of our own, with
its ``itemPropsN.xml``), the place Office keeps data an application stores in a document.
Excel and LibreOffice carry such parts through a save untouched, no sheet or name of the
user's is involved, and nobody meets it by accident; a very hidden sheet would shift every
sheet's position (VBA's ``Worksheets(n)``, sheet-scoped names), turns into a plain hidden
sheet a user can unhide in LibreOffice, and would have to be kept out of the user's way.

Per report it records the report key, the filters as chosen (a relative range such as
"last-month" stays that key, worked out again at each refresh; explicit days stay days), the
columns, the format options (children sheets, snapshot), the connection's name, when it was last
refreshed and which sheets and tables are its (by sheet ID and name, so a renamed sheet is
still found).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

NAMESPACE = "urn:dear-export:workbook:1"
"""Our custom XML part's namespace: how a refresh finds the part among the user's own."""
ABOUT_KEY = "about"
"""The record of the About sheet (not a report; replaced at each refresh like one)."""

_N = f"{{{NAMESPACE}}}"


@dataclass(frozen=True)
class ReportRecipe:
    """One report as the user chose it: what a refresh runs again."""

    key: str
    connection: str = ""
    filters: tuple[tuple[str, str], ...] = ()
    dates: str | None = None
    """A quick-range key ("last-month"), explicit days ("2026-10-01..2026-10-31"), or None."""
    columns: tuple[str, ...] | None = None
    include_children: bool = False
    snapshot: bool = False
    companies: tuple[str, ...] = ()
    """Several companies: every connection's name, ``connection`` first (() means ``connection`` only)."""
    all_connections: bool = False
    """Chosen as "every saved connection": a refresh reads every connection saved then."""

    def company_names(self) -> tuple[str, ...]:
        """Return the connections the report was written with (one name, or several in order)."""
        if len(self.companies) > 1:
            return self.companies
        return (self.connection,) if self.connection else ()


@dataclass(frozen=True)
class SheetEntry:
    """One sheet of ours in the workbook and its table ("" for the About sheet)."""

    name: str
    table: str = ""
    sheet_id: int = 0
    """The sheet's ``sheetId`` in workbook.xml (0 before the workbook is written)."""
    extra: bool = False
    """A sheet the report computes from its rows (a summary before them, like "Profit summary")."""


@dataclass(frozen=True)
class ReportRecord:
    """A report in the workbook: its recipe, its sheets (main sheet first) and its last refresh."""

    recipe: ReportRecipe
    sheets: tuple[SheetEntry, ...] = ()
    refreshed: datetime | None = None


@dataclass(frozen=True)
class WorkbookRecord:
    """Everything of ours a workbook holds."""

    reports: tuple[ReportRecord, ...] = ()
    about: tuple[SheetEntry, ...] = field(default=())

    def report(self, key: str) -> ReportRecord | None:
        """Return the record of report ``key`` (None when the workbook has none)."""
        return next((r for r in self.reports if r.recipe.key == key), None)

    def merged(self, newer: WorkbookRecord) -> WorkbookRecord:
        """Return this record with ``newer``'s reports replacing or joining ours (order kept)."""
        fresh = {r.recipe.key: r for r in newer.reports}
        kept = [fresh.pop(r.recipe.key, r) for r in self.reports]
        return replace(self, reports=(*kept, *fresh.values()), about=newer.about or self.about)


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _sheet_element(parent: ET.Element, entry: SheetEntry) -> None:
    element = ET.SubElement(
        parent, f"{_N}sheet", name=entry.name, table=entry.table, sheetId=str(entry.sheet_id)
    )
    if entry.extra:
        element.set("extra", "1")


def to_xml(record: WorkbookRecord) -> bytes:
    """Serialise ``record`` as the custom XML part's content."""
    root = ET.Element(f"{_N}dearExport", version="1")
    for report in record.reports:
        recipe = report.recipe
        element = ET.SubElement(
            root,
            f"{_N}report",
            key=recipe.key,
            connection=recipe.connection,
            includeChildren=_flag(recipe.include_children),
            snapshot=_flag(recipe.snapshot),
        )
        if recipe.dates is not None:
            element.set("dates", recipe.dates)
        if recipe.all_connections:
            element.set("allConnections", "1")
        if report.refreshed is not None:
            element.set("refreshed", report.refreshed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        for name, value in recipe.filters:
            ET.SubElement(element, f"{_N}filter", name=name, value=value)
        if recipe.columns is not None:
            columns = ET.SubElement(element, f"{_N}columns")
            for column in recipe.columns:
                ET.SubElement(columns, f"{_N}column").text = column
        for name in recipe.companies if len(recipe.companies) > 1 else ():
            ET.SubElement(element, f"{_N}company", name=name)
        for entry in report.sheets:
            _sheet_element(element, entry)
    if record.about:
        about = ET.SubElement(root, f"{_N}about")
        for entry in record.about:
            _sheet_element(about, entry)
    ET.register_namespace("", NAMESPACE)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body


def _sheets(element: ET.Element) -> tuple[SheetEntry, ...]:
    return tuple(
        SheetEntry(
            name=item.get("name", ""),
            table=item.get("table", ""),
            sheet_id=int(item.get("sheetId", "0") or 0),
            extra=item.get("extra") == "1",
        )
        for item in element.findall(f"{_N}sheet")
    )


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def from_xml(data: bytes) -> WorkbookRecord:
    """Read the custom XML part back (raises ValueError when it is not ours or is damaged)."""
    try:
        root = ET.fromstring(data)  # noqa: S314 - Python's expat refuses entity expansion attacks
    except ET.ParseError as error:
        raise ValueError(f"damaged metadata part: {error}") from None
    if root.tag != f"{_N}dearExport":
        raise ValueError("not a DEAR Export metadata part")
    reports = []
    for element in root.findall(f"{_N}report"):
        columns_element = element.find(f"{_N}columns")
        columns = (
            None
            if columns_element is None
            else tuple(item.text or "" for item in columns_element.findall(f"{_N}column"))
        )
        recipe = ReportRecipe(
            key=element.get("key", ""),
            connection=element.get("connection", ""),
            filters=tuple(
                (item.get("name", ""), item.get("value", "")) for item in element.findall(f"{_N}filter")
            ),
            dates=element.get("dates"),
            columns=columns,
            include_children=element.get("includeChildren") == "1",
            snapshot=element.get("snapshot") == "1",
            companies=tuple(item.get("name", "") for item in element.findall(f"{_N}company")),
            all_connections=element.get("allConnections") == "1",
        )
        reports.append(ReportRecord(recipe, _sheets(element), _when(element.get("refreshed"))))
    about_element = root.find(f"{_N}about")
    about = _sheets(about_element) if about_element is not None else ()
    return WorkbookRecord(tuple(reports), about)


def is_ours(data: bytes) -> bool:
    """Tell (cheaply) whether a custom XML part is ours, without parsing all of it."""
    return NAMESPACE.encode("ascii") in data[:2048]


@dataclass(frozen=True)
class PlannedReport:
    """A report an export is about to write: its recipe and the title of its main sheet."""

    recipe: ReportRecipe
    title: str


@dataclass(frozen=True)
class WorkbookPlan:
    """What a workbook writer records, and whether it writes into an existing workbook."""

    reports: tuple[PlannedReport, ...]
    into: bool = False
    """Write into the target workbook (created when missing), keeping everything else in it."""


def workbook_record(
    groups: Sequence[tuple[PlannedReport, Sequence[tuple[str, str]]]],
    sheet_order: Sequence[str],
    about: str,
    refreshed: datetime,
    extras: Mapping[str, Sequence[str]] | None = None,
) -> WorkbookRecord:
    """Return the record of a workbook we wrote: each report's (sheet, table) names, the About sheet.

    ``extras`` names each report's extra sheets (by report key); they are recorded after its
    data sheets, so the main sheet stays first. Sheet IDs are the sheets' positions in
    ``sheet_order``, which is how openpyxl numbers them.
    """
    ids = {name: index for index, name in enumerate(sheet_order, 1)}
    more = extras or {}
    reports = tuple(
        ReportRecord(
            planned.recipe,
            (
                *(SheetEntry(n, t, ids.get(n, 0)) for n, t in sheets),
                *(SheetEntry(n, "", ids.get(n, 0), extra=True) for n in more.get(planned.recipe.key, ())),
            ),
            refreshed,
        )
        for planned, sheets in groups
    )
    return WorkbookRecord(reports, (SheetEntry(about, "", ids[about]),) if about in ids else ())
