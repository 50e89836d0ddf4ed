"""Our cell formats (bold header, dates) made available in the user's styles part, minimally.

A sheet's cells name their format by position in ``cellXfs``. Our sheets come from a workbook
openpyxl wrote, whose formats are numbered its own way; here each of ours is found in the
user's styles part (reused when an identical one is already there, e.g. from the last refresh)
or appended to the end of its list, so every existing position keeps its meaning and the part
grows by a few elements at most once. The user's default format (position 0) stands in for ours:
plain cells look like the rest of their workbook.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from app.export.package import xmltext

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_M = f"{{{MAIN_NS}}}"
_FIRST_CUSTOM_FORMAT = 164


def _empty_element(prefix: bytes, element: ET.Element) -> bytes:
    local = element.tag.rpartition("}")[2].encode()
    attrs = b"".join(b" %b=%b" % (k.encode(), xmltext.attr(v)) for k, v in element.attrib.items())
    children = b"".join(_empty_element(prefix, child) for child in element)
    if children:
        return b"<%b%b%b>%b</%b%b>" % (prefix, local, attrs, children, prefix, local)
    return b"<%b%b%b/>" % (prefix, local, attrs)


class _Block:
    """One list element of the styles part (``fonts``, ``numFmts``, ``cellXfs``), edited as text."""

    def __init__(self, data: bytes, local: str, item: str) -> None:
        self.local, self.item = local, item
        pattern = re.compile(
            rb"<((?:[\w.-]+:)?)" + local.encode() + rb"\b[^>]*?(?:/>|>.*?</\1" + local.encode() + rb">)", re.S
        )
        self.match = pattern.search(data)

    def items(self) -> list[bytes]:
        if self.match is None:
            return []
        return [m.group(0) for m in xmltext.elements(self.match.group(0), self.item)]


class StyleMerger:
    """Maps our workbook's format positions onto the user's styles part, appending what is missing."""

    def __init__(self, user: bytes, ours: bytes) -> None:
        self.data = user
        self.prefix = xmltext.prefix_of(user, "styleSheet")
        root = ET.fromstring(ours)  # noqa: S314 - our own part, written moments ago
        self._formats = {
            int(item.get("numFmtId", "0")): item.get("formatCode", "") for item in root.iter(f"{_M}numFmt")
        }
        fonts = root.find(f"{_M}fonts")
        self._fonts = list(fonts) if fonts is not None else []
        xfs = root.find(f"{_M}cellXfs")
        self._xfs = list(xfs) if xfs is not None else []
        self.mapping: dict[int, int] = {0: 0}
        for index in range(1, len(self._xfs)):
            self.mapping[index] = self._xf(self._xfs[index])

    # -- the user's lists

    def _append(self, local: str, item: str, snippet: bytes, after: str | None = None) -> int:
        """Return the position of ``snippet`` in list ``local``, appending it (and counting) if missing."""
        block = _Block(self.data, local, item)
        if block.match is None:
            if after is None:
                raise xmltext.PackageFormatError(f"the styles part has no <{local}>")
            start = re.search(rb"<" + re.escape(self.prefix) + after.encode() + rb"\b[^>]*>", self.data)
            assert start is not None
            element = b'<%b%b count="1">%b</%b%b>' % (
                self.prefix,
                local.encode(),
                snippet,
                self.prefix,
                local.encode(),
            )
            self.data = self.data[: start.end()] + element + self.data[start.end() :]
            return 0
        items = block.items()
        if snippet in items:
            return items.index(snippet)
        whole = block.match.group(0)
        grown = xmltext.insert_before_end(whole, local, snippet)
        start_tag = re.match(rb"<[^>]*>", grown)
        assert start_tag is not None
        counted = (
            xmltext.set_attribute(start_tag.group(0), "count", str(len(items) + 1)) + grown[start_tag.end() :]
        )
        self.data = self.data[: block.match.start()] + counted + self.data[block.match.end() :]
        return len(items)

    def _number_format(self, number_format: int) -> int:
        if number_format < _FIRST_CUSTOM_FORMAT:
            return number_format  # built in: the same everywhere
        code = self._formats.get(number_format, "General")
        block = _Block(self.data, "numFmts", "numFmt")
        taken = []
        for item in block.items():
            values = xmltext.attributes(item)
            if xmltext.unescape(values.get("formatCode", "")) == code:
                return int(values.get("numFmtId", "0"))
            taken.append(int(values.get("numFmtId", "0")))
        new_id = max([_FIRST_CUSTOM_FORMAT - 1, *taken]) + 1
        snippet = b'<%bnumFmt numFmtId="%d" formatCode=%b/>' % (self.prefix, new_id, xmltext.attr(code))
        self._append("numFmts", "numFmt", snippet, after="styleSheet")
        return new_id

    def _xf(self, xf: ET.Element) -> int:
        font_id = int(xf.get("fontId", "0"))
        font = 0
        if font_id and font_id < len(self._fonts):
            font = self._append("fonts", "font", _empty_element(self.prefix, self._fonts[font_id]))
        number_format = self._number_format(int(xf.get("numFmtId", "0")))
        attrs = b'numFmtId="%d" fontId="%d" fillId="0" borderId="0" xfId="0"' % (number_format, font)
        if number_format:
            attrs += b' applyNumberFormat="1"'
        if font:
            attrs += b' applyFont="1"'
        alignment = xf.find(f"{_M}alignment")
        inner = b""
        if alignment is not None:
            attrs += b' applyAlignment="1"'
            inner = _empty_element(self.prefix, alignment)
        p = self.prefix
        snippet = b"<%bxf %b>%b</%bxf>" % (p, attrs, inner, p) if inner else b"<%bxf %b/>" % (p, attrs)
        return self._append("cellXfs", "xf", snippet)
