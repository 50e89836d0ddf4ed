"""Reading the user's workbook safely, and copying its members without touching a byte.

A member copied with :func:`copy_raw` keeps its compressed bytes, so its content is exactly the
user's (and a 20,000-row sheet of theirs costs a file copy, not a decompress and recompress).
Only the local header is written anew: without a data descriptor, with the real sizes.
"""

from __future__ import annotations

import copy
import struct
import zipfile
from pathlib import Path
from typing import BinaryIO

from app.errors import ExportError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""An OLE compound file: how Excel saves a password-protected workbook (and the old .xls)."""
_ZIP_MAGIC = b"PK\x03\x04"
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_CHUNK = 1 << 20
_DATA_DESCRIPTOR = 0x08
_ENCRYPTED = 0x01
_ZIP64_EXTRA = 0x0001


class WorkbookRefused(ExportError):  # noqa: N818 - the user's word for it
    """The file named cannot be written into: not a workbook, protected, or damaged."""

    default_hint = "Choose another workbook, or a new file name. Nothing was changed."


def refuse(path: Path, why: str, hint: str = "", details: str = "") -> WorkbookRefused:
    """Return the refusal for ``path``: what is wrong with it, and that it was not changed."""
    return WorkbookRefused(f"“{path.name}” {why}", hint=hint, details=details)


def open_package(path: Path) -> zipfile.ZipFile:
    """Open an existing workbook for reading, or refuse it in plain words.

    Raises WorkbookRefused: password-protected (an OLE file), not a workbook, or damaged.
    """
    try:
        with path.open("rb") as stream:
            magic = stream.read(8)
    except OSError as error:
        raise refuse(path, "cannot be read.", details=f"{type(error).__name__}: {error}") from error
    if magic.startswith(OLE_MAGIC):
        raise refuse(
            path,
            "is protected with a password (or is an old Excel 97-2003 workbook), "
            "so it cannot be written into.",
            hint="Remove the password in Excel (File > Info > Protect Workbook) or save it as an .xlsx "
            "workbook, then try again. Nothing was changed.",
        )
    if not magic.startswith(_ZIP_MAGIC):
        raise refuse(path, "is not an Excel workbook (.xlsx or .xlsm).")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise refuse(
            path, "is damaged: it cannot be opened as a workbook.", details=f"{type(error).__name__}: {error}"
        ) from error
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
        archive.close()
        raise refuse(path, "is not an Excel workbook (.xlsx or .xlsm).")
    if any(info.flag_bits & _ENCRYPTED for info in archive.infolist()):
        archive.close()
        raise refuse(path, "is encrypted, so it cannot be written into.")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
    """Read one member, or refuse the workbook as damaged when it cannot be read."""
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as error:
        raise refuse(
            path, "is damaged: part of it cannot be read.", details=f"{name}: {type(error).__name__}: {error}"
        ) from error


def _without_zip64(extra: bytes) -> bytes:
    """Drop the ZIP64 block from an extra field (the writer adds a fresh one when needed)."""
    out, at = [], 0
    while at + 4 <= len(extra):
        kind, size = struct.unpack("<HH", extra[at : at + 4])
        if kind != _ZIP64_EXTRA:
            out.append(extra[at : at + 4 + size])
        at += 4 + size
    return b"".join(out)


def copy_raw(source: BinaryIO, info: zipfile.ZipInfo, target: zipfile.ZipFile) -> None:
    """Copy member ``info`` of the zip open as ``source`` into ``target``, compressed bytes and all."""
    source.seek(info.header_offset)
    header = source.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != _ZIP_MAGIC:
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    source.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    member = copy.copy(info)
    member.flag_bits &= ~_DATA_DESCRIPTOR
    member.extra = _without_zip64(info.extra)
    zip64 = info.file_size > zipfile.ZIP64_LIMIT or info.compress_size > zipfile.ZIP64_LIMIT
    out = target.fp
    assert out is not None
    member.header_offset = out.tell()
    out.write(member.FileHeader(zip64))
    left = info.compress_size
    while left > 0:
        chunk = source.read(min(_CHUNK, left))
        if not chunk:
            raise zipfile.BadZipFile(f"{info.filename} is cut short")
        out.write(chunk)
        left -= len(chunk)
    target.filelist.append(member)
    target.NameToInfo[member.filename] = member
    # Where the central directory goes when the zip closes (ZipFile's own writers keep it so).
    target.start_dir = out.tell()
