"""Our sheet's XML on its way into the user's workbook: cell formats renumbered, tables relinked.

The sheet is streamed a megabyte at a time (cut after a ">", so no tag is ever split), so a sheet
of a million rows passes through in bounded memory, with a cancel check between chunks.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from typing import IO

from app.errors import Cancelled
from app.export.package import xmltext
from app.models import CancelToken

SheetWriter = Callable[[IO[bytes]], None]
"""Writes one member's content into the new package's open member."""

_CHUNK = 1 << 20
# Our sheets come from openpyxl, which writes every cell as <c r="A1" s="N" ...>; text cannot
# hold a "<", so this matches cell tags only.
_CELL_STYLE_RE = re.compile(rb'(<c r="[A-Z]+[0-9]+") s="([0-9]+)"')
_TABLE_START_RE = re.compile(rb"<(?:[\w.-]+:)?table\b[^>]*>")
_TABLE_PART_RE = re.compile(rb'(<tablePart\b[^>]*?r:id=")([^"]+)(")')


def sheet_stream(
    archive: zipfile.ZipFile,
    part: str,
    styles: dict[int, int],
    rid_map: dict[str, str],
    extra: bytes,
    cancel: CancelToken | None,
) -> SheetWriter:
    """Return the writer of our sheet ``part``: formats by ``styles``, table links by ``rid_map``.

    ``extra`` (the user's drawing and comment links of a sheet being replaced) goes just before
    the table parts, where the sheet's schema puts them.
    """

    def restyle(match: re.Match[bytes]) -> bytes:
        return b'%b s="%d"' % (match.group(1), styles.get(int(match.group(2)), 0))

    def relink(match: re.Match[bytes]) -> bytes:
        old = match.group(2).decode()
        return match.group(1) + rid_map.get(old, old).encode() + match.group(3)

    def convert(data: bytes) -> bytes:
        data = _CELL_STYLE_RE.sub(restyle, data)
        if b"<tablePart" in data:
            data = _TABLE_PART_RE.sub(relink, data)
        if extra and (b"<tableParts" in data or b"</worksheet>" in data):
            marker = b"<tableParts" if b"<tableParts" in data else b"</worksheet>"
            data = data.replace(marker, extra + marker, 1)
        return data

    def write(target: IO[bytes]) -> None:
        carry = b""
        with archive.open(part) as source:
            while chunk := source.read(_CHUNK):
                if cancel is not None and cancel.cancelled:
                    raise Cancelled()
                data = carry + chunk
                cut = data.rfind(b">") + 1
                target.write(convert(data[:cut]))
                carry = data[cut:]
        target.write(convert(carry))

    return write


def write_member(archive: zipfile.ZipFile, name: str, content: bytes | SheetWriter) -> None:
    """Write one new or replaced member, compressed."""
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    if isinstance(content, bytes):
        archive.writestr(info, content)
        return
    with archive.open(info, "w", force_zip64=True) as target:
        content(target)


def table_start(data: bytes) -> tuple[re.Match[bytes], dict[str, str]]:
    """Return a table part's start tag and its attributes."""
    match = _TABLE_START_RE.search(data)
    if match is None:
        raise xmltext.PackageFormatError("a table part has no <table>")
    return match, xmltext.attributes(match.group(0))


def retable(data: bytes, table_id: int, name: str) -> bytes:
    """Return our table part with the ID and name it has in the user's workbook."""
    match, _ = table_start(data)
    tag = match.group(0)
    for key, value in (("id", str(table_id)), ("name", name), ("displayName", name)):
        tag = xmltext.set_attribute(tag, key, value)
    return data[: match.start()] + tag + data[match.end() :]
