"""Draw the application icon and write every platform's icon files into resources/icons/.

    python build/make_icons.py [--out DIR]

A developer tool, run by hand when the artwork changes; its output is committed, so a build
never needs it. The icon is drawn with Qt's QPainter offscreen (PySide6 is already a
dependency), then packed into the containers each platform wants:

- ``app-<size>.png`` for Linux (hicolor theme sizes) and the window icon; ``app.png`` is 256 px;
- ``app.ico`` for Windows (PNG-compressed entries, read by Windows Vista and later);
- ``app.icns`` for macOS (PNG-compressed entries, the types ``iconutil`` writes).

The two containers are written with ``struct`` here rather than by Qt's image plugins, because
those write a single image per file and both formats need several sizes in one file.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "resources" / "icons"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS entry type -> pixel size (the retina "@2x" types reuse the bigger bitmaps).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)

# Colours: a spreadsheet green on the tile, white sheet, green grid, amber "export" badge.
TILE_TOP = "#1f9d57"
TILE_BOTTOM = "#0b6b3a"
SHEET = "#ffffff"
HEADER = "#cfeedd"
GRID = "#5fb88a"
BADGE = "#f59e0b"
BADGE_EDGE = "#ffffff"


def render_png(size: int) -> bytes:
    """Draw the icon at ``size`` x ``size`` pixels and return it as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QImage, QLinearGradient, QPainter, QPainterPath, QPen, QPolygonF

    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    # The artwork is designed on a 1024-unit square and scaled, so every size comes from one drawing.
    painter.scale(size / 1024, size / 1024)
    small = size <= 32  # below this, thin lines blur into grey: draw fewer, thicker ones

    tile = QPainterPath()
    tile.addRoundedRect(QRectF(48, 48, 928, 928), 200, 200)
    gradient = QLinearGradient(0, 48, 0, 976)
    gradient.setColorAt(0, QColor(TILE_TOP))
    gradient.setColorAt(1, QColor(TILE_BOTTOM))
    painter.fillPath(tile, QBrush(gradient))

    sheet = QRectF(210, 190, 520, 640) if not small else QRectF(180, 170, 600, 690)
    sheet_path = QPainterPath()
    sheet_path.addRoundedRect(sheet, 48, 48)
    painter.fillPath(sheet_path, QColor(SHEET))
    header_height = sheet.height() / (5 if not small else 3)
    header = QPainterPath()
    header.addRoundedRect(QRectF(sheet.left(), sheet.top(), sheet.width(), header_height), 48, 48)
    header.addRect(QRectF(sheet.left(), sheet.top() + header_height / 2, sheet.width(), header_height / 2))
    painter.fillPath(header.simplified(), QColor(HEADER))

    rows, columns = (5, 3) if not small else (3, 2)
    line_width = 18 if not small else 56
    painter.setPen(QPen(QColor(GRID), line_width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
    for row in range(1, rows):
        y = sheet.top() + row * sheet.height() / rows
        painter.drawLine(QPointF(sheet.left() + 40, y), QPointF(sheet.right() - 40, y))
    for column in range(1, columns):
        x = sheet.left() + column * sheet.width() / columns
        painter.drawLine(QPointF(x, sheet.top() + 40), QPointF(x, sheet.bottom() - 40))

    if not small:
        # The export badge: a circle with an arrow leaving the sheet.
        centre, radius = QPointF(720, 720), 190.0
        painter.setPen(QPen(QColor(BADGE_EDGE), 36))
        painter.setBrush(QColor(BADGE))
        painter.drawEllipse(centre, radius, radius)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(SHEET))
        arrow = QPolygonF(
            [
                QPointF(630, 680),
                QPointF(720, 680),
                QPointF(720, 610),
                QPointF(830, 720),
                QPointF(720, 830),
                QPointF(720, 760),
                QPointF(630, 760),
            ]
        )
        painter.drawPolygon(arrow)
    painter.end()

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6's stubs ask for bytes here, but at run time only str is accepted.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise RuntimeError(f"Qt could not encode the {size} px icon as PNG")
    buffer.close()
    return bytes(data.data())


def pack_ico(pngs: dict[int, bytes]) -> bytes:
    """Pack PNG images into an ICO file (ICONDIR, one ICONDIRENTRY each, then the data)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        dimension = 0 if size >= 256 else size  # 0 means 256 in the ICO directory
        entries += struct.pack("<BBBBHHII", dimension, dimension, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def pack_icns(pngs: dict[int, bytes]) -> bytes:
    """Pack PNG images into an ICNS file, one entry per type in ``ICNS_TYPES``."""
    body = b""
    for kind, size in ICNS_TYPES:
        blob = pngs[size]
        body += kind + struct.pack(">I", 8 + len(blob)) + blob
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_icons(out: Path) -> list[Path]:
    """Render every size and write the PNG, ICO and ICNS files into ``out``; return what was written."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    sizes = sorted({*PNG_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)})
    pngs = {size: render_png(size) for size in sizes}
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for size in PNG_SIZES:
        path = out / f"app-{size}.png"
        path.write_bytes(pngs[size])
        written.append(path)
    (out / "app.png").write_bytes(pngs[256])
    (out / "app.ico").write_bytes(pack_ico({size: pngs[size] for size in ICO_SIZES}))
    (out / "app.icns").write_bytes(pack_icns(pngs))
    written += [out / "app.png", out / "app.ico", out / "app.icns"]
    del app
    return written


def main(argv: list[str]) -> int:
    """Write the icon set (by default into resources/icons/)."""
    parser = argparse.ArgumentParser(description="Draw the DEAR Export icon set.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write into")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a build machine may have no screen
    for path in write_icons(args.out):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
