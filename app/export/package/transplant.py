"""Our sheets, tables and metadata moved into the user's workbook; every other part kept byte for byte.

:func:`transplant` reads two packages: the user's workbook and ours (a workbook openpyxl wrote
moments ago in our scratch folder, with inline strings, so the user's shared strings part is
never touched). For each report ours holds:

* a report already in the workbook keeps its sheets' positions, names, sheet IDs and tables
  (name, ID and part), so the user's formulas, pivot tables and charts that refer to them keep
  working; only the sheet's content and the table's range and columns change. Charts, images
  and comments the user put on such a sheet keep their relationships;
* a report new to the workbook adds its sheets at the end, under a name no sheet of the user's
  has (a user's sheet is never overwritten) and with table names no table or name has;
* sheets a report no longer fills (a continuation sheet) are removed, sheet-scoped names shifted;
* a report's extra sheet (a summary and its chart) is replaced whole (:mod:`.drawings`).

Shared parts get minimal textual edits: the sheet list, relationships, content types, our
formats appended to the styles, ``fullCalcOnLoad`` (formulas show the new figures on opening)
and ``refreshOnLoad`` on every pivot cache (pivot tables show them too). ``docProps/app.xml``
keeps its list of sheet titles as it was: Excel and LibreOffice rebuild it on save and read
nothing from it. Reports of the workbook that this export does not write stay as they were.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from app.errors import Cancelled
from app.export.package import custom_xml, xmltext
from app.export.package.drawings import LinkedParts, free_name
from app.export.package.metadata import ABOUT_KEY, ReportRecord, SheetEntry, WorkbookRecord, to_xml
from app.export.package.sheetxml import SheetWriter, retable, sheet_stream, table_start, write_member
from app.export.package.styles import StyleMerger
from app.export.package.tablenames import TableNamer
from app.export.package.workbook_part import (
    DOC_REL_NS,
    DRAWING_REL,
    TABLE_REL,
    VML_REL,
    WORKSHEET_REL,
    Package,
    SheetRef,
    add_sheets,
    defined_names,
    full_calc_on_load,
    pivots_refreshed_on_load,
    relative,
    rels_name,
    remove_sheets,
    resolve,
)
from app.export.package.zipcopy import copy_raw, open_package, refuse
from app.export.sheetnames import SheetNamer, with_suffix
from app.models import CancelToken

WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
TABLE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
_PART_RE = re.compile(r".* \(([0-9]+)\)")


_EXTRA = "\x00extra"


def _group_key(key: str, extra: bool) -> str:
    return key + _EXTRA if extra else key


class _Edit:
    """What the new package holds instead of the user's: replaced, removed and added members."""

    def __init__(self) -> None:
        self.replaced: dict[str, bytes | SheetWriter] = {}
        self.removed: set[str] = set()
        self.added: dict[str, bytes | SheetWriter] = {}


def _claim(namer: SheetNamer, wanted: str, main: str, main_final: str) -> str:
    """Name a new sheet; a continuation sheet ("Sales (2)") follows its main sheet's final name."""
    match = _PART_RE.fullmatch(wanted)
    if main_final and match and wanted == with_suffix(main, int(match.group(1))):
        return namer.continuation(main_final, int(match.group(1)))
    return namer.claim(wanted)


class _Transplant:
    def __init__(self, user: Package, ours: Package, cancel: CancelToken | None) -> None:
        self.user, self.ours, self.cancel = user, ours, cancel
        self.edit = _Edit()
        self.names = set(user.names)
        self.content_types = user.content_types
        self.workbook_rels = user.workbook_rels
        self.rel_ids = {rel.id for rel in user.rels}
        old, self.meta_part = user.record()
        self.old = old or WorkbookRecord()
        new, _ = ours.record()
        if new is None:
            raise RuntimeError("our workbook has no metadata part")
        self.new = new
        self.styles = self._merge_styles()
        self.tables = self._user_tables()
        self.linked = LinkedParts(
            user,
            ours,
            self.names,
            self.edit.added,
            self.edit.removed,
            lambda: self.content_types,
            lambda value: setattr(self, "content_types", value),
        )

    # -- what is there

    def _merge_styles(self) -> dict[int, int]:
        """Make our cell formats available in the user's styles part; return our position -> theirs."""
        part, ours = self.user.styles_part(), self.ours.styles_part()
        if ours is None:
            return {}
        if part is None:
            raise refuse(self.user.path, "is damaged: it has no styles part.")
        theirs = self.user.read(part)
        merger = StyleMerger(theirs, self.ours.read(ours))
        if merger.data != theirs:
            self.edit.replaced[part] = merger.data
        return merger.mapping

    def _user_tables(self) -> dict[str, tuple[int, str]]:
        """Every table part of the user's: member -> (ID, name)."""
        found = {}
        for member, kind in xmltext.override_types(self.content_types).items():
            if kind == TABLE_TYPE and member in self.names:
                _, values = table_start(self.user.read(member))
                found[member] = (int(values.get("id", "0") or 0), values.get("name", ""))
        return found

    def _find(self, entry: SheetEntry) -> SheetRef | None:
        """Find a sheet of ours: by name, or by sheet ID when its table is still ours (renamed sheet)."""
        for sheet in self.user.sheets:
            if sheet.name.casefold() == entry.name.casefold():
                return sheet
        for sheet in self.user.sheets:
            if sheet.sheet_id == entry.sheet_id and entry.table and entry.table in self._tables_of(sheet):
                return sheet
        return None

    def _tables_of(self, sheet: SheetRef) -> list[str]:
        _, rels = self.user.part_rels(self.user.sheet_part(sheet))
        names = []
        for rel in rels:
            member = resolve(self.user.sheet_part(sheet), rel.target)
            if rel.type == TABLE_REL and member in self.tables:
                names.append(self.tables[member][1])
        return names

    # -- the merge

    def run(self) -> WorkbookRecord:
        groups: list[tuple[str, tuple[SheetEntry, ...], tuple[SheetEntry, ...]]] = []
        for report in self.new.reports:
            old = self.old.report(report.recipe.key)
            # Data sheets pair with data sheets, extra sheets (a summary) with extra sheets.
            for extra in (False, True):
                olds = tuple(e for e in (old.sheets if old else ()) if e.extra is extra)
                fresh = tuple(e for e in report.sheets if e.extra is extra)
                groups.append((_group_key(report.recipe.key, extra), fresh, olds))
        if self.new.about:
            groups.append((ABOUT_KEY, self.new.about, self.old.about))
        claimed: set[int] = set()
        pairs: list[tuple[str, list[SheetRef | None], tuple[SheetEntry, ...]]] = []
        removed: list[SheetRef] = []
        for key, new_entries, old_entries in groups:
            found = []
            for entry in old_entries:
                sheet = self._find(entry)
                if sheet is not None and sheet.sheet_id not in claimed:
                    claimed.add(sheet.sheet_id)
                    found.append(sheet)
            removed += found[len(new_entries) :]
            if key.endswith(_EXTRA):
                for sheet in found[len(new_entries) :]:
                    self.linked.remove(self.user.sheet_part(sheet))  # a summary no longer made: its chart too
            slots: list[SheetRef | None] = [*found[: len(new_entries)]]
            slots += [None] * (len(new_entries) - len(slots))
            pairs.append((key, slots, new_entries))
        for sheet in removed:
            self._remove_sheet(sheet)
        keep = [s.name for s in self.user.sheets if s not in removed]
        sheet_namer = SheetNamer(tuple(keep))
        taken_tables = [name for member, (_, name) in self.tables.items() if member not in self.edit.removed]
        table_namer = self.table_namer = TableNamer([*taken_tables, *defined_names(self.user.workbook)])
        self.next_id = max([0, *(table_id for table_id, _ in self.tables.values())]) + 1
        next_sheet_id = max(s.sheet_id for s in self.user.sheets) + 1
        # New sheets go in at the end in our workbook's order (a summary before its lines).
        news: list[tuple[int, tuple[str, int, str]]] = []
        final: dict[str, list[SheetEntry]] = {}
        for key, slots, new_entries in pairs:
            entries = final.setdefault(key, [])
            for slot, entry in zip(slots, new_entries, strict=True):
                temp = next(s for s in self.ours.sheets if s.name == entry.name)
                if slot is not None:
                    if entry.extra:
                        table = self._replace_extra(slot, temp)
                    else:
                        table = self._replace_sheet(slot, temp, entry.table)
                    entries.append(SheetEntry(slot.name, table, slot.sheet_id, entry.extra))
                    continue
                name = _claim(
                    sheet_namer, entry.name, new_entries[0].name, entries[0].name if entries else ""
                )
                rid = xmltext.unused_id(self.rel_ids)
                self.rel_ids.add(rid)
                table = self._add_sheet(temp, rid, table_namer, entry.table)
                news.append((self.ours.sheets.index(temp), (name, next_sheet_id, rid)))
                entries.append(SheetEntry(name, table, next_sheet_id, entry.extra))
                next_sheet_id += 1
        workbook = remove_sheets(self.user.workbook, removed)
        workbook = full_calc_on_load(add_sheets(workbook, [sheet for _, sheet in sorted(news)]))
        self.edit.replaced[self.user.workbook_part] = workbook
        self.edit.replaced.update(pivots_refreshed_on_load(self.user, self.content_types))
        record = self._record(final)
        self.edit.replaced[self.user.workbook_rels_part] = self.workbook_rels
        self.edit.replaced["[Content_Types].xml"] = self.content_types
        return record

    def _remove_sheet(self, sheet: SheetRef) -> None:
        part = self.user.sheet_part(sheet)
        rels_part, rels = self.user.part_rels(part)
        gone = [part, rels_part]
        gone += [
            resolve(part, rel.target)
            for rel in rels
            if rel.type == TABLE_REL and resolve(part, rel.target) in self.tables
        ]
        self.edit.removed.update(name for name in gone if name in self.names)
        self.workbook_rels = xmltext.remove_relationships(self.workbook_rels, [sheet.rid])
        self.content_types = xmltext.remove_overrides(self.content_types, [f"/{name}" for name in gone])

    def _sheet_stream(self, temp_part: str, rid_map: dict[str, str], extra: bytes) -> SheetWriter:
        return sheet_stream(self.ours.archive, temp_part, self.styles, rid_map, extra, self.cancel)

    def _temp_tables(self, temp_part: str) -> list[tuple[str, str]]:
        """Our sheet's tables: (relationship ID, member)."""
        _, rels = self.ours.part_rels(temp_part)
        return [(rel.id, resolve(temp_part, rel.target)) for rel in rels if rel.type == TABLE_REL]

    def _replace_sheet(self, slot: SheetRef, temp: SheetRef, wanted: str) -> str:
        """Give an existing sheet of ours new content; return its table's name."""
        part = self.user.sheet_part(slot)
        temp_part = self.ours.sheet_part(temp)
        _, rels = self.user.part_rels(part)
        old_tables = [
            (rel.id, resolve(part, rel.target))
            for rel in rels
            if rel.type == TABLE_REL and resolve(part, rel.target) in self.tables
        ]
        new_tables = self._temp_tables(temp_part)
        rid_map: dict[str, str] = {}
        name = ""
        if len(old_tables) == len(new_tables):
            for (old_rid, old_member), (new_rid, new_member) in zip(old_tables, new_tables, strict=True):
                table_id, name = self.tables[old_member]
                self.edit.replaced[old_member] = retable(self.ours.read(new_member), table_id, name)
                rid_map[new_rid] = old_rid
        elif not old_tables:
            # The user turned our table into a plain range (or it predates tables): a new one.
            name, rid_map = self._new_tables(part, rels, new_tables, wanted)
        else:
            raise refuse(
                self.user.path,
                f"has a sheet “{slot.name}” whose table was changed by hand, so it cannot be refreshed.",
                hint="Delete that sheet (the next refresh writes it again), then try again. "
                "Nothing was changed.",
            )
        extra = b""
        for rel in rels:
            element = {DRAWING_REL: b"drawing", VML_REL: b"legacyDrawing"}.get(rel.type)
            if element is not None:
                extra += b'<%b xmlns:r="%b" r:id=%b/>' % (
                    element,
                    DOC_REL_NS.encode(),
                    xmltext.attr(rel.id),
                )
        self.edit.replaced[part] = self._sheet_stream(temp_part, rid_map, extra)
        return name

    def _replace_extra(self, slot: SheetRef, temp: SheetRef) -> str:
        """Give an extra sheet of ours (a summary) new content and new charts; it has no table."""
        part, temp_part = self.user.sheet_part(slot), self.ours.sheet_part(temp)
        self.linked.remove(part)
        rels_part = rels_name(part)
        links = self.linked.copy(temp_part, part)
        if links:
            target = self.edit.replaced if rels_part in self.user.names else self.edit.added
            target[rels_part] = xmltext.relationships_document(links)
        elif rels_part in self.user.names:
            self.edit.removed.add(rels_part)
        self.edit.replaced[part] = self._sheet_stream(temp_part, {}, b"")
        return ""

    def _new_tables(
        self, part: str, rels: list[xmltext.Relationship], tables: list[tuple[str, str]], wanted: str
    ) -> tuple[str, dict[str, str]]:
        """Add our tables to an existing sheet of ours that has none; return the name and new link IDs."""
        rels_part = rels_name(part)
        data = (
            self.user.read(rels_part) if rels_part in self.user.names else xmltext.relationships_document([])
        )
        taken, rid_map, name = {rel.id for rel in rels}, {}, ""
        for temp_rid, member in tables:
            table_member = free_name(self.names, "xl/tables/table1.xml")
            name = self.table_namer.claim_name(wanted or "Table")
            self.edit.added[table_member] = retable(self.ours.read(member), self.next_id, name)
            self.next_id += 1
            rid = xmltext.unused_id(taken)
            taken.add(rid)
            data = xmltext.add_relationship(data, rid, TABLE_REL, relative(part, table_member))
            rid_map[temp_rid] = rid
            self.content_types = xmltext.add_override(self.content_types, f"/{table_member}", TABLE_TYPE)
        target = self.edit.replaced if rels_part in self.user.names else self.edit.added
        target[rels_part] = data
        return name, rid_map

    def _add_sheet(self, temp: SheetRef, rid: str, namer: TableNamer, wanted: str) -> str:
        """Add one of our sheets (and its table) under new members; return its table's name."""
        temp_part = self.ours.sheet_part(temp)
        part = free_name(self.names, "xl/worksheets/sheet1.xml")
        rels: list[tuple[str, str, str]] = []
        name = ""
        for table_rid, member in self._temp_tables(temp_part):
            table_member = free_name(self.names, "xl/tables/table1.xml")
            name = namer.claim_name(wanted or "Table")
            self.edit.added[table_member] = retable(self.ours.read(member), self.next_id, name)
            self.next_id += 1
            rels.append((table_rid, TABLE_REL, relative(part, table_member)))
            self.content_types = xmltext.add_override(self.content_types, f"/{table_member}", TABLE_TYPE)
        rels += self.linked.copy(temp_part, part)  # an extra sheet's chart
        if rels:
            self.edit.added[rels_name(part)] = xmltext.relationships_document(rels)
        self.edit.added[part] = self._sheet_stream(temp_part, {}, b"")
        self.content_types = xmltext.add_override(self.content_types, f"/{part}", WORKSHEET_TYPE)
        target = relative(self.user.workbook_part, part)
        self.workbook_rels = xmltext.add_relationship(self.workbook_rels, rid, WORKSHEET_REL, target)
        return name

    def _record(self, final: dict[str, list[SheetEntry]]) -> WorkbookRecord:
        reports = tuple(
            ReportRecord(
                report.recipe,
                tuple(
                    final[_group_key(report.recipe.key, False)] + final[_group_key(report.recipe.key, True)]
                ),
                report.refreshed,
            )
            for report in self.new.reports
        )
        newer = WorkbookRecord(reports, tuple(final.get(ABOUT_KEY, ())))
        record = self.old.merged(newer)
        content = to_xml(record)
        if self.meta_part is not None:
            self.edit.replaced[self.meta_part] = content
            return record
        # The item's path as the workbook part refers to it ({} stands for the new item's index).
        target = relative(self.user.workbook_part, custom_xml.item_name(0)).replace("item0", "item{}")
        self.content_types, self.workbook_rels = custom_xml.add_part(
            self.names, self.edit.added, content, self.content_types, self.workbook_rels, self.rel_ids, target
        )
        return record


def transplant(target: Path, ours_path: Path, out: Path, cancel: CancelToken | None = None) -> WorkbookRecord:
    """Write ``target`` with our package's reports in it to ``out``; return what the workbook now records.

    Raises WorkbookRefused (``target`` is not a workbook, is protected or damaged) before ``out``
    is created, Cancelled once ``cancel`` is set, and OSError when ``out`` cannot be written.
    """
    with open_package(target) as user_zip, zipfile.ZipFile(ours_path) as ours_zip:
        user, ours = Package(user_zip, target), Package(ours_zip, ours_path)
        try:
            job = _Transplant(user, ours, cancel)
            record = job.run()
        except xmltext.PackageFormatError as error:
            raise refuse(target, "is damaged: its structure cannot be read.", details=str(error)) from error
        edit = job.edit
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            assert user_zip.fp is not None
            for info in (i for i in user_zip.infolist() if i.filename not in edit.removed):
                if cancel is not None and cancel.cancelled:
                    raise Cancelled()
                content = edit.replaced.get(info.filename)
                if content is None:
                    copy_raw(user_zip.fp, info, archive)  # type: ignore[arg-type]
                else:
                    write_member(archive, info.filename, content)
            for name, content in edit.added.items():
                write_member(archive, name, content)
        return record
