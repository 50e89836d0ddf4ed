"""Pack the Linux bundle into a .tar.gz that a user unpacks and installs with ./install.sh.

    python build/linux/make_tarball.py [BUNDLE_DIR] [OUT_DIR]      (defaults: dist/dear-export, dist)

Layout of ``dear-export-<version>-linux-<arch>.tar.gz``::

    dear-export-<version>/
        dear-export/            the PyInstaller folder (run dear-export/dear-export directly, or install)
        icons/app-<size>.png    the menu icon in every hicolor size
        dear-export.desktop     the menu entry (install.sh points it at the installed program)
        install.sh              per-user install and --uninstall, no root needed
        README.txt              how to install, run and schedule it (build/linux/README.txt)

build/build_bundle.py --package calls :func:`make_tarball` after a successful build and self-test.
"""

from __future__ import annotations

import io
import platform
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
from app import APP_ID, __version__  # noqa: E402  (stdlib only)

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

README = HERE / "README.txt"  # "{version}" in it is filled in


def tarball_name(version: str = __version__, machine: str | None = None) -> str:
    """Return the archive's file name, e.g. ``dear-export-0.1.0-linux-x86_64.tar.gz``."""
    return f"{APP_ID}-{version}-linux-{machine or platform.machine()}.tar.gz"


def _owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
    # The build user's name and id mean nothing on the user's machine.
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def make_tarball(bundle_dir: Path, out_dir: Path) -> Path:
    """Write the tarball for ``bundle_dir`` (the PyInstaller folder) into ``out_dir``; return its path."""
    if not (bundle_dir / APP_ID).is_file():
        raise FileNotFoundError(f"{bundle_dir} holds no {APP_ID} program: build the bundle first")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / tarball_name()
    partial = target.with_name(target.name + ".partial")
    top = f"{APP_ID}-{__version__}"
    with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
        archive.add(bundle_dir, arcname=f"{top}/{APP_ID}", filter=_owned_by_root)
        for size in ICON_SIZES:
            icon = ROOT / "resources" / "icons" / f"app-{size}.png"
            archive.add(icon, arcname=f"{top}/icons/app-{size}.png", filter=_owned_by_root)
        archive.add(HERE / "dear-export.desktop", arcname=f"{top}/dear-export.desktop", filter=_owned_by_root)
        install = archive.gettarinfo(HERE / "install.sh", arcname=f"{top}/install.sh")
        install.mode = 0o755  # executable even when the checkout lost the bit (e.g. made on Windows)
        with (HERE / "install.sh").open("rb") as script:
            archive.addfile(_owned_by_root(install), script)
        readme = README.read_text(encoding="utf-8").replace("{version}", __version__).encode("utf-8")
        info = tarfile.TarInfo(f"{top}/README.txt")
        info.size, info.mode = len(readme), 0o644
        archive.addfile(_owned_by_root(info), io.BytesIO(readme))
    partial.replace(target)
    return target


def main(argv: list[str]) -> int:
    """Command line: pack BUNDLE_DIR into OUT_DIR."""
    bundle_dir = Path(argv[0]) if argv else ROOT / "dist" / APP_ID
    out_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "dist"
    print(make_tarball(bundle_dir, out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
