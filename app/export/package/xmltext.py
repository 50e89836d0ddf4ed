"""Minimal textual edits of the user's shared XML parts (content types, relationships, workbook).

Why text and not a parse-and-serialise: ElementTree renames namespace prefixes and drops
declarations it thinks unused, which breaks ``mc:Ignorable="x14ac xr"`` (the prefixes must stay
declared) and turns a part Excel accepts into one it "repairs". An insertion before a closing
tag, or one attribute set on one start tag, changes nothing else of the part. Parts are read
(never written) with ElementTree where a structured view helps.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr
from xml.sax.saxutils import unescape as _unescape

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

_ATTR_RE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class PackageFormatError(ValueError):
    """A shared part does not have the shape every workbook's has."""


def attr(value: str) -> bytes:
    """Return ``value`` quoted and escaped as an attribute value."""
    return quoteattr(value, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}).encode("utf-8")


def unescape(value: str) -> str:
    """Return an attribute value as written in a part, its entity references resolved."""
    return _unescape(value, {"&quot;": '"', "&apos;": "'", "&#10;": "\n", "&#13;": "\r", "&#9;": "\t"})


def text(value: str) -> bytes:
    """Return ``value`` escaped as element text."""
    return escape(value).encode("utf-8")


def prefix_of(data: bytes, local: str) -> bytes:
    """Return the namespace prefix (with its colon, or b"") the element ``local`` is written with."""
    match = re.search(rb"<([\w.-]+:)?" + local.encode() + rb"[\s>/]", data)
    if match is None:
        raise PackageFormatError(f"no <{local}> element")
    return match.group(1) or b""


def attributes(start_tag: bytes) -> dict[str, str]:
    """Return a start tag's attributes (entity references left as written)."""
    return {
        m.group(1).decode(): (m.group(2) if m.group(2) is not None else m.group(3)).decode("utf-8")
        for m in _ATTR_RE.finditer(start_tag)
    }


def set_attribute(start_tag: bytes, name: str, value: str) -> bytes:
    """Return ``start_tag`` with attribute ``name`` set to ``value`` (added if missing)."""
    pattern = re.compile(rb"(\s" + re.escape(name.encode()) + rb"\s*=\s*)(\"[^\"]*\"|'[^']*')")
    if pattern.search(start_tag):
        return pattern.sub(lambda m: m.group(1) + attr(value), start_tag, count=1)
    end = -2 if start_tag.endswith(b"/>") else -1
    return start_tag[:end].rstrip() + b" " + name.encode() + b"=" + attr(value) + start_tag[end:]


def insert_before_end(data: bytes, local: str, snippet: bytes) -> bytes:
    """Insert ``snippet`` as the last content of the (first) element ``local``."""
    prefix = prefix_of(data, local)
    name = prefix + local.encode()
    close = b"</" + name + b">"
    at = data.find(close)
    if at >= 0:
        return data[:at] + snippet + data[at:]
    empty = re.search(rb"<" + re.escape(name) + rb"(\s[^>]*)?/>", data)
    if empty is None:
        raise PackageFormatError(f"<{local}> cannot be found")
    opened = empty.group(0)[:-2].rstrip() + b">"
    return data[: empty.start()] + opened + snippet + close + data[empty.end() :]


def elements(data: bytes, local: str) -> list[re.Match[bytes]]:
    """Every empty-or-not element ``local`` (non-nested), as matches over ``data``."""
    name = rb"<(?:[\w.-]+:)?" + local.encode()
    pattern = re.compile(name + rb"(?:\s[^>]*?)?(?:/>|>.*?</(?:[\w.-]+:)?" + local.encode() + rb">)", re.S)
    return list(pattern.finditer(data))


def remove_spans(data: bytes, spans: Iterable[tuple[int, int]]) -> bytes:
    """Return ``data`` without the given (start, end) spans."""
    out, last = [], 0
    for start, end in sorted(spans):
        out.append(data[last:start])
        last = end
    out.append(data[last:])
    return b"".join(out)


# --------------------------------------------------------------------------- content types


def add_override(content_types: bytes, part_name: str, content_type: str) -> bytes:
    """Add an ``Override`` for ``part_name`` (a leading-slash part name)."""
    prefix = prefix_of(content_types, "Types")
    snippet = (
        b"<"
        + prefix
        + b"Override PartName="
        + attr(part_name)
        + b" ContentType="
        + attr(content_type)
        + b"/>"
    )
    return insert_before_end(content_types, "Types", snippet)


def remove_overrides(content_types: bytes, part_names: Iterable[str]) -> bytes:
    """Remove the ``Override`` entries of ``part_names`` (compared without regard to case, as OPC says)."""
    gone = {name.casefold() for name in part_names}
    spans = [
        m.span()
        for m in elements(content_types, "Override")
        if attributes(m.group(0)).get("PartName", "").casefold() in gone
    ]
    return remove_spans(content_types, spans)


def has_default(content_types: bytes, extension: str) -> bool:
    """Tell whether the content types give files ending ``.extension`` a default type."""
    return any(
        attributes(m.group(0)).get("Extension", "").casefold() == extension.casefold()
        for m in elements(content_types, "Default")
    )


def override_types(content_types: bytes) -> dict[str, str]:
    """Map each overridden part (zip member name, no leading slash) to its content type."""
    found = {}
    for m in elements(content_types, "Override"):
        values = attributes(m.group(0))
        found[values.get("PartName", "").lstrip("/")] = values.get("ContentType", "")
    return found


# --------------------------------------------------------------------------- relationships


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part."""

    id: str
    type: str
    target: str
    external: bool = False


def relationships_document(rels: Sequence[tuple[str, str, str]]) -> bytes:
    """Return a new relationships part holding ``(id, type, target)`` entries."""
    body = b"".join(
        b"<Relationship Id=" + attr(rid) + b" Type=" + attr(kind) + b" Target=" + attr(target) + b"/>"
        for rid, kind, target in rels
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="'
        + REL_NS.encode()
        + b'">'
        + body
        + b"</Relationships>"
    )


def parse_relationships(data: bytes) -> list[Relationship]:
    """Read a relationships part."""
    try:
        root = ET.fromstring(data)  # noqa: S314 - Python's expat refuses entity expansion attacks
    except ET.ParseError as error:
        raise PackageFormatError(f"damaged relationships: {error}") from None
    return [
        Relationship(
            item.get("Id", ""),
            item.get("Type", ""),
            item.get("Target", ""),
            item.get("TargetMode") == "External",
        )
        for item in root.iter(f"{{{REL_NS}}}Relationship")
    ]


def add_relationship(rels: bytes, rid: str, kind: str, target: str) -> bytes:
    """Add one relationship to a relationships part."""
    prefix = prefix_of(rels, "Relationships")
    snippet = (
        b"<"
        + prefix
        + b"Relationship Id="
        + attr(rid)
        + b" Type="
        + attr(kind)
        + b" Target="
        + attr(target)
        + b"/>"
    )
    return insert_before_end(rels, "Relationships", snippet)


def remove_relationships(rels: bytes, ids: Iterable[str]) -> bytes:
    """Remove the relationships with the given IDs."""
    gone = set(ids)
    spans = [m.span() for m in elements(rels, "Relationship") if attributes(m.group(0)).get("Id") in gone]
    return remove_spans(rels, spans)


def unused_id(taken: Iterable[str], stem: str = "rIdDear") -> str:
    """Return a relationship ID starting with ``stem`` that is not in ``taken``."""
    used = set(taken)
    number = 1
    while f"{stem}{number}" in used:
        number += 1
    return f"{stem}{number}"
