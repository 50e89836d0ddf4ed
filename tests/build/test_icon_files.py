"""The committed icon set: every file the platforms need, each a well-formed container of the right sizes."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (which must come first)."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def ico_entries(data: bytes) -> list[tuple[int, bytes]]:
    """(size, image bytes) for each entry of an ICO file, checking the directory as it goes."""
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1), "not an icon file"
    entries = []
    for index in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index : 22 + 16 * index]
        )
        assert width == height and planes == 1 and bits == 32
        assert offset + length <= len(data)
        entries.append((width or 256, data[offset : offset + length]))
    return entries


def icns_entries(data: bytes) -> dict[bytes, bytes]:
    """Entry type -> entry data of an ICNS file, checking every length."""
    magic, total = struct.unpack(">4sI", data[:8])
    assert magic == b"icns" and total == len(data)
    entries, offset = {}, 8
    while offset < total:
        kind, length = struct.unpack(">4sI", data[offset : offset + 8])
        assert length > 8 and offset + length <= total
        entries[kind] = data[offset + 8 : offset + length]
        offset += length
    assert offset == total
    return entries


def test_manifest_lists_existing_files_including_every_icon() -> None:
    manifest = json.loads((ROOT / "resources" / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    assert len(files) == len(set(files))
    for name in files:
        assert (ROOT / "resources" / name).is_file(), name
    on_disk = {path.relative_to(ROOT / "resources").as_posix() for path in ICONS.iterdir()}
    assert on_disk <= set(files), "an icon file is not in the manifest, so no bundle check covers it"


def test_png_icons_have_their_named_sizes(make_icons: ModuleType) -> None:
    for size in make_icons.PNG_SIZES:
        assert png_size((ICONS / f"app-{size}.png").read_bytes()) == (size, size)
    assert png_size((ICONS / "app.png").read_bytes()) == (256, 256)


def test_windows_icon_holds_every_size_as_png(make_icons: ModuleType) -> None:
    entries = ico_entries((ICONS / "app.ico").read_bytes())
    assert [size for size, _ in entries] == sorted(make_icons.ICO_SIZES)
    for size, image in entries:
        assert png_size(image) == (size, size)


def test_macos_icon_holds_every_type_at_its_size(make_icons: ModuleType) -> None:
    entries = icns_entries((ICONS / "app.icns").read_bytes())
    assert set(entries) == {kind for kind, _ in make_icons.ICNS_TYPES}
    for kind, size in make_icons.ICNS_TYPES:
        assert png_size(entries[kind]) == (size, size), kind


@pytest.mark.parametrize("name", ["app.ico", "app.icns"])
def test_qt_reads_every_image_of_the_containers(name: str, qapp: object) -> None:
    # An independent reader: Qt's own ico and icns plugins.
    from PySide6.QtGui import QImageReader

    reader = QImageReader(str(ICONS / name))
    assert reader.canRead(), reader.errorString()
    count = reader.imageCount()
    sizes = set()
    for index in range(count):
        assert reader.jumpToImage(index)
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        sizes.add(image.width())
    assert {16, 32, 256} <= sizes


def test_renderer_and_packers_round_trip(make_icons: ModuleType, qapp: object) -> None:
    pngs = {size: make_icons.render_png(size) for size in (16, 48)}
    assert {size: png_size(data) for size, data in pngs.items()} == {16: (16, 16), 48: (48, 48)}
    assert ico_entries(make_icons.pack_ico(pngs)) == [(16, pngs[16]), (48, pngs[48])]


def test_make_icons_writes_the_full_set(make_icons: ModuleType, tmp_path: Path, qapp: object) -> None:
    written = make_icons.write_icons(tmp_path)
    assert {path.name for path in written} == {path.name for path in ICONS.iterdir()}
    assert all(path.stat().st_size > 0 for path in written)
