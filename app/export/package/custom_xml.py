"""Our metadata as a custom XML part: the part's three members and the entries that point to it.

A custom XML part is ``customXml/itemN.xml`` (our XML), ``customXml/itemPropsN.xml`` (its
datastore ID and schema) and ``customXml/_rels/itemN.xml.rels`` (item -> props), referenced
from the workbook's relationships and listed in ``[Content_Types].xml``.
:class:`MetadataArchive` adds them to a workbook openpyxl is saving (openpyxl has no custom XML
parts of its own), :func:`part_members` gives them to the package editor.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.export.package import xmltext

CUSTOM_XML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
PROPS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
ITEM_TYPE = "application/xml"
METADATA_REL_ID = "rIdDearExportMeta"

_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'


def item_name(index: int) -> str:
    """Return the zip member of custom XML item ``index``."""
    return f"customXml/item{index}.xml"


def part_members(index: int, content: bytes) -> dict[str, bytes]:
    """Return the three members of custom XML part ``index`` holding ``content``."""
    from app.export.package.metadata import NAMESPACE

    props = (
        _DECLARATION + b'<ds:datastoreItem ds:itemID="{' + str(uuid.uuid4()).upper().encode() + b'}" '
        b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        b'<ds:schemaRefs><ds:schemaRef ds:uri="' + NAMESPACE.encode() + b'"/></ds:schemaRefs>'
        b"</ds:datastoreItem>"
    )
    rels = xmltext.relationships_document([("rId1", PROPS_REL, f"itemProps{index}.xml")])
    return {
        item_name(index): content,
        f"customXml/itemProps{index}.xml": props,
        f"customXml/_rels/item{index}.xml.rels": rels,
    }


def add_to_content_types(content_types: bytes, index: int) -> bytes:
    """List part ``index``'s members in ``[Content_Types].xml`` (the item itself only when needed)."""
    text = xmltext.add_override(content_types, f"/customXml/itemProps{index}.xml", PROPS_TYPE)
    if not xmltext.has_default(text, "xml"):
        text = xmltext.add_override(text, f"/{item_name(index)}", ITEM_TYPE)
    return text


def add_part(
    names: set[str],
    added: dict[str, Any],
    content: bytes,
    content_types: bytes,
    workbook_rels: bytes,
    rel_ids: set[str],
    workbook_target: str,
) -> tuple[bytes, bytes]:
    """Add a new custom XML part holding ``content`` under an unused index.

    Its members go into ``added`` (and ``names``); returns the content types and the workbook's
    relationships with the part listed and related (``workbook_target``: the item's path as the
    workbook part refers to it, with ``{}`` for its index).
    """
    index = 1
    while item_name(index) in names:
        index += 1
    for member, data in part_members(index, content).items():
        names.add(member)
        added[member] = data
    rid = xmltext.unused_id(rel_ids, METADATA_REL_ID)
    rels = xmltext.add_relationship(workbook_rels, rid, CUSTOM_XML_REL, workbook_target.format(index))
    return add_to_content_types(content_types, index), rels


class MetadataArchive:
    """The zip as openpyxl's writer sees it, gaining our custom XML part as the save ends.

    openpyxl writes the content types and the workbook's relationships with ``writestr``; we
    add our entries to both on the way, and our part's members just before the zip closes.
    """

    def __init__(self, archive: Any, content: bytes) -> None:
        self._archive = archive
        self._content = content

    def writestr(self, name: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        """Write a member, adding our entries to the content types and workbook relationships."""
        if name in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
            raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
            if name == "[Content_Types].xml":
                raw = add_to_content_types(raw, 1)
            else:
                raw = xmltext.add_relationship(raw, METADATA_REL_ID, CUSTOM_XML_REL, "../customXml/item1.xml")
            data = raw
        self._archive.writestr(name, data, *args, **kwargs)

    def close(self) -> None:
        """Write our part's members, then close the zip."""
        for name, data in part_members(1, self._content).items():
            self._archive.writestr(name, data)
        self._archive.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._archive, name)
