"""The workbook part (``xl/workbook.xml``) and the package's part graph, read and edited as text."""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from app.export.package import xmltext
from app.export.package.metadata import WorkbookRecord, from_xml, is_ours
from app.export.package.zipcopy import read_member, refuse

OFFICE_DOCUMENT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET_REL = f"{DOC_REL_NS}/worksheet"
TABLE_REL = f"{DOC_REL_NS}/table"
STYLES_REL = f"{DOC_REL_NS}/styles"
CUSTOM_XML_REL = f"{DOC_REL_NS}/customXml"
DRAWING_REL = f"{DOC_REL_NS}/drawing"
VML_REL = f"{DOC_REL_NS}/vmlDrawing"
_CUSTOM_ITEM_RE = re.compile(r"customXml/item\d+\.xml")


def resolve(source_part: str, target: str) -> str:
    """Return the zip member a relationship of ``source_part`` points to."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def relative(source_part: str, member: str) -> str:
    """Return ``member`` as a relationship target relative to ``source_part``'s folder."""
    return posixpath.relpath(member, posixpath.dirname(source_part) or ".")


def rels_name(part: str) -> str:
    """Return the relationships member of ``part``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


@dataclass(frozen=True)
class SheetRef:
    """One ``<sheet>`` of workbook.xml."""

    name: str
    sheet_id: int
    rid: str
    span: tuple[int, int]


def relationship_prefix(workbook: bytes) -> str:
    """Return the prefix workbook.xml binds to the relationships namespace ("r" as Excel writes it)."""
    match = re.search(rb'xmlns:([\w.-]+)="' + re.escape(DOC_REL_NS.encode()) + rb'"', workbook)
    return match.group(1).decode() if match else "r"


def sheets(workbook: bytes) -> list[SheetRef]:
    """Return the workbook's sheets, in tab order."""
    prefix = relationship_prefix(workbook)
    found = []
    for match in xmltext.elements(workbook, "sheet"):
        values = xmltext.attributes(match.group(0))
        found.append(
            SheetRef(
                name=xmltext.unescape(values.get("name", "")),
                sheet_id=int(values.get("sheetId", "0") or 0),
                rid=values.get(f"{prefix}:id", ""),
                span=match.span(),
            )
        )
    return found


def add_sheets(workbook: bytes, added: list[tuple[str, int, str]]) -> bytes:
    """Append ``(name, sheetId, relationship ID)`` sheets to the end of the tab order."""
    prefix = xmltext.prefix_of(workbook, "sheets")
    rel = relationship_prefix(workbook).encode()
    snippet = b"".join(
        b'<%bsheet name=%b sheetId="%d" %b:id=%b/>'
        % (prefix, xmltext.attr(name), sheet_id, rel, xmltext.attr(rid))
        for name, sheet_id, rid in added
    )
    return xmltext.insert_before_end(workbook, "sheets", snippet) if snippet else workbook


def remove_sheets(workbook: bytes, removed: list[SheetRef]) -> bytes:
    """Remove sheets, keeping every sheet-scoped name and the active tab on the sheet it meant."""
    if not removed:
        return workbook
    all_sheets = sheets(workbook)
    gone = sorted(index for index, sheet in enumerate(all_sheets) if sheet in removed)
    data = xmltext.remove_spans(workbook, [all_sheets[i].span for i in gone])
    left = len(all_sheets) - len(gone)

    def shift(position: int) -> int:
        return position - sum(1 for g in gone if g < position)

    pieces, last = [], 0
    for match in xmltext.elements(data, "definedName"):
        scope = xmltext.attributes(match.group(0)).get("localSheetId")
        if scope is None or not scope.isdigit():
            continue
        pieces.append(data[last : match.start()])
        last = match.end()
        if int(scope) not in gone:  # a name scoped to a sheet that is gone goes with it
            head = re.match(rb"<[^>]*>", match.group(0))
            assert head is not None
            tag = xmltext.set_attribute(head.group(0), "localSheetId", str(shift(int(scope))))
            pieces.append(tag + match.group(0)[head.end() :])
    data = b"".join([*pieces, data[last:]])
    view = re.search(rb"<(?:[\w.-]+:)?workbookView\b[^>]*>", data)
    if view is not None:
        tag = view.group(0)
        for name in ("activeTab", "firstSheet"):
            position = xmltext.attributes(tag).get(name)
            if position is not None and position.isdigit():
                tag = xmltext.set_attribute(tag, name, str(max(0, min(shift(int(position)), left - 1))))
        data = data[: view.start()] + tag + data[view.end() :]
    return data


def defined_names(workbook: bytes) -> list[str]:
    """Return the names the workbook part defines (a new table's name must differ from them)."""
    return [
        xmltext.unescape(xmltext.attributes(m.group(0)).get("name", ""))
        for m in xmltext.elements(workbook, "definedName")
    ]


def full_calc_on_load(workbook: bytes) -> bytes:
    """Ask Excel (and LibreOffice) to recalculate every formula when the workbook opens."""
    calc = re.search(rb"<(?:[\w.-]+:)?calcPr\b[^>]*>", workbook)
    if calc is not None:
        tag = xmltext.set_attribute(calc.group(0), "fullCalcOnLoad", "1")
        return workbook[: calc.start()] + tag + workbook[calc.end() :]
    prefix = xmltext.prefix_of(workbook, "workbook")
    # calcPr follows sheets, functionGroups, externalReferences and definedNames (in that order).
    after = 0
    for local in ("sheets", "functionGroups", "externalReferences", "definedNames"):
        close = re.search(rb"</(?:[\w.-]+:)?" + local.encode() + rb">", workbook)
        if close is not None:
            after = max(after, close.end())
    if not after:
        raise xmltext.PackageFormatError("the workbook part has no sheet list")
    return workbook[:after] + b'<%bcalcPr fullCalcOnLoad="1"/>' % prefix + workbook[after:]


class Package:
    """A read view of one workbook package: its workbook part, sheets and relationships."""

    def __init__(self, archive: zipfile.ZipFile, path: Path) -> None:
        self.archive, self.path = archive, path
        self.names = set(archive.namelist())
        try:
            root = xmltext.parse_relationships(self.read("_rels/.rels"))
            main = next((rel for rel in root if rel.type == OFFICE_DOCUMENT_REL), None)
            if main is None:
                raise refuse(path, "is not an Excel workbook (.xlsx or .xlsm).")
            self.workbook_part = resolve("", main.target)
            self.workbook = self.read(self.workbook_part)
            self.workbook_rels_part = rels_name(self.workbook_part)
            self.workbook_rels = self.read(self.workbook_rels_part)
            self.rels = xmltext.parse_relationships(self.workbook_rels)
            self.sheets = sheets(self.workbook)
            self.content_types = self.read("[Content_Types].xml")
        except xmltext.PackageFormatError as error:
            raise refuse(path, "is damaged: its structure cannot be read.", details=str(error)) from error
        self.target_of = {rel.id: resolve(self.workbook_part, rel.target) for rel in self.rels}
        if not self.sheets or any(sheet.rid not in self.target_of for sheet in self.sheets):
            raise refuse(path, "is damaged: its list of sheets does not match its contents.")

    def read(self, name: str) -> bytes:
        """Read a member (refusing the workbook as damaged when it cannot be read)."""
        if name not in self.names:
            raise refuse(self.path, "is damaged: part of it is missing.", details=name)
        return read_member(self.archive, name, self.path)

    def part_rels(self, part: str) -> tuple[str, list[xmltext.Relationship]]:
        """Return the relationships member of ``part`` and its entries (none when it has no such member)."""
        name = rels_name(part)
        if name not in self.names:
            return name, []
        return name, xmltext.parse_relationships(self.read(name))

    def sheet_part(self, sheet: SheetRef) -> str:
        """Return the member holding ``sheet``."""
        return self.target_of[sheet.rid]

    def record(self) -> tuple[WorkbookRecord | None, str | None]:
        """Return our metadata and the member holding it (None, None: the workbook has none).

        Found by member name, not by relationship: Excel relates custom XML parts to the
        workbook part, LibreOffice to the package root.
        """
        for part in sorted(name for name in self.names if _CUSTOM_ITEM_RE.fullmatch(name)):
            data = self.read(part)
            if is_ours(data):
                try:
                    return from_xml(data), part
                except ValueError:
                    return None, part  # our part, damaged: rewritten whole at this save
        return None, None

    def styles_part(self) -> str | None:
        """Return the workbook's styles member (None when it has none)."""
        rel = next((rel for rel in self.rels if rel.type == STYLES_REL), None)
        return None if rel is None else resolve(self.workbook_part, rel.target)


PIVOT_CACHE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheDefinition+xml"


def pivots_refreshed_on_load(package: Package, content_types: bytes) -> dict[str, bytes]:
    """Return the package's pivot cache parts with ``refreshOnLoad`` set (those that lacked it)."""
    changed = {}
    for member, kind in xmltext.override_types(content_types).items():
        if kind != PIVOT_CACHE_TYPE or member not in package.names:
            continue
        data = package.read(member)
        start = re.search(rb"<(?:[\w.-]+:)?pivotCacheDefinition\b[^>]*>", data)
        if start is None:
            continue
        tag = xmltext.set_attribute(start.group(0), "refreshOnLoad", "1")
        if tag != start.group(0):
            changed[member] = data[: start.start()] + tag + data[start.end() :]
    return changed
