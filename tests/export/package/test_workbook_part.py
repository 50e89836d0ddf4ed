"""Textual edits of the shared parts: only what must change changes, whatever prefixes the file uses."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.export.package import xmltext
from app.export.package.styles import StyleMerger
from app.export.package.workbook_part import add_sheets, full_calc_on_load, remove_sheets, sheets

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKBOOK = (
    f'<?xml version="1.0"?><x:workbook xmlns:x="{MAIN}" xmlns:rel="{REL}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x15">'
    '<x:bookViews><x:workbookView activeTab="3" firstSheet="1"/></x:bookViews><x:sheets>'
    '<x:sheet name="A &amp; B" sheetId="1" rel:id="rId1"/>'
    '<x:sheet name="Ours (2)" sheetId="7" rel:id="rId2"/>'
    '<x:sheet name="C" sheetId="3" rel:id="rId3"/><x:sheet name="D" sheetId="4" rel:id="rId4"/></x:sheets>'
    '<x:definedNames><x:definedName name="OnD" localSheetId="3">D!$A$1</x:definedName>'
    '<x:definedName name="OnOurs" localSheetId="1">\'Ours (2)\'!$A$1</x:definedName>'
    '<x:definedName name="Everywhere">C!$A$1</x:definedName></x:definedNames></x:workbook>'
).encode()


def test_sheets_are_read_with_any_prefix() -> None:
    found = sheets(WORKBOOK)
    assert [(s.name, s.sheet_id, s.rid) for s in found] == [
        ("A & B", 1, "rId1"),
        ("Ours (2)", 7, "rId2"),
        ("C", 3, "rId3"),
        ("D", 4, "rId4"),
    ]


def test_removing_a_sheet_keeps_scoped_names_and_the_active_tab_on_their_sheets() -> None:
    ours = sheets(WORKBOOK)[1]
    data = remove_sheets(WORKBOOK, [ours])
    assert [s.name for s in sheets(data)] == ["A & B", "C", "D"]
    root = ET.fromstring(data)
    names = {n.get("name"): n.get("localSheetId") for n in root.iter(f"{{{MAIN}}}definedName")}
    assert names == {"OnD": "2", "Everywhere": None}  # the name scoped to the removed sheet went with it
    view = root.find(f".//{{{MAIN}}}workbookView")
    assert view is not None
    assert (view.get("activeTab"), view.get("firstSheet")) == ("2", "1")
    assert b'mc:Ignorable="x15"' in data  # the rest is the same text


def test_added_sheets_use_the_files_prefixes_and_recalculation_is_asked_for() -> None:
    data = full_calc_on_load(add_sheets(WORKBOOK, [("New & fresh", 8, "rIdDear1")]))
    assert b'<x:sheet name="New &amp; fresh" sheetId="8" rel:id="rIdDear1"/></x:sheets>' in data
    assert b'<x:calcPr fullCalcOnLoad="1"/>' in data
    assert data.index(b"<x:calcPr") > data.index(b"</x:definedNames>")
    assert [s.name for s in sheets(data)][-1] == "New & fresh"
    existing = data.replace(
        b'<x:calcPr fullCalcOnLoad="1"/>', b'<x:calcPr calcId="191029" fullCalcOnLoad="0"/>'
    )
    assert b'<x:calcPr calcId="191029" fullCalcOnLoad="1"/>' in full_calc_on_load(existing)


OURS_STYLES = (
    f'<styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/></font><font><b val="1"/><sz val="11"/></font></fonts>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0"/><xf numFmtId="0" fontId="1"/>'
    '<xf numFmtId="164" fontId="0"/></cellXfs></styleSheet>'
).encode()


def test_our_formats_are_appended_to_prefixed_styles_and_found_again() -> None:
    user = (
        f'<x:styleSheet xmlns:x="{MAIN}"><x:fonts count="1"><x:font><x:sz val="10"/></x:font></x:fonts>'
        '<x:cellXfs count="2"><x:xf numFmtId="0" fontId="0"/><x:xf numFmtId="14" fontId="0"/></x:cellXfs>'
        "</x:styleSheet>"
    ).encode()
    merged = StyleMerger(user, OURS_STYLES)
    assert merged.mapping == {0: 0, 1: 2, 2: 3}  # appended after the user's two formats
    data = merged.data
    assert b'<x:numFmts count="1"><x:numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></x:numFmts>' in data
    assert b'<x:fonts count="2">' in data and b'<x:font><x:b val="1"/><x:sz val="11"/></x:font>' in data
    assert b'<x:cellXfs count="4">' in data
    ET.fromstring(data)  # still well-formed
    again = StyleMerger(data, OURS_STYLES)
    assert again.mapping == merged.mapping
    assert again.data == data  # nothing appended twice


def test_relationships_and_content_types_edits() -> None:
    rels = xmltext.relationships_document([("rId1", "t", "a.xml")])
    rels = xmltext.add_relationship(rels, "rId2", "t", "b & c.xml")
    assert [r.target for r in xmltext.parse_relationships(rels)] == ["a.xml", "b & c.xml"]
    assert [r.id for r in xmltext.parse_relationships(xmltext.remove_relationships(rels, ["rId1"]))] == [
        "rId2"
    ]
    types = b'<Types xmlns="x"><Default Extension="XML" ContentType="application/xml"/></Types>'
    types = xmltext.add_override(types, "/xl/a.xml", "kind")
    assert xmltext.override_types(types) == {"xl/a.xml": "kind"}
    assert xmltext.has_default(types, "xml")
    assert xmltext.override_types(xmltext.remove_overrides(types, ["/XL/A.xml"])) == {}
