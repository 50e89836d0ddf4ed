"""The Linux tarball and its install.sh, on a small stand-in for the bundle (no PyInstaller build)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path
from types import ModuleType

import pytest

from app import APP_ID, __version__

ROOT = Path(__file__).resolve().parents[2]
FAKE_PROGRAM = '#!/bin/sh\necho "DEAR Export stand-in $*"\n'

posix_only = pytest.mark.skipif(os.name == "nt", reason="install.sh is the Linux installer")


def fake_bundle(folder: Path) -> Path:
    """A folder shaped like dist/dear-export: the program and a library folder."""
    bundle = folder / APP_ID
    (bundle / "_internal" / "resources").mkdir(parents=True)
    (bundle / "_internal" / "resources" / "marker.txt").write_text("bundled", encoding="utf-8")
    program = bundle / APP_ID
    program.write_text(FAKE_PROGRAM, encoding="utf-8")
    program.chmod(0o755)
    return bundle


def test_tarball_layout_modes_and_owner(make_tarball: ModuleType, tmp_path: Path) -> None:
    tarball = make_tarball.make_tarball(fake_bundle(tmp_path / "dist"), tmp_path / "out")
    assert tarball.name == make_tarball.tarball_name()
    assert tarball.name.startswith(f"{APP_ID}-{__version__}-linux-")
    assert not list((tmp_path / "out").glob("*.partial"))
    top = f"{APP_ID}-{__version__}"
    with tarfile.open(tarball) as archive:
        members = {member.name: member for member in archive.getmembers()}
        readme = archive.extractfile(members[f"{top}/README.txt"])
        assert readme is not None
        readme_text = readme.read().decode("utf-8")
    expected = {
        f"{top}/{APP_ID}/{APP_ID}",
        f"{top}/{APP_ID}/_internal/resources/marker.txt",
        f"{top}/dear-export.desktop",
        f"{top}/install.sh",
        f"{top}/README.txt",
        *(f"{top}/icons/app-{size}.png" for size in make_tarball.ICON_SIZES),
    }
    assert expected <= set(members)
    assert all(name.startswith(f"{top}/") or name == top for name in members)
    assert members[f"{top}/install.sh"].mode & 0o111 == 0o111
    assert members[f"{top}/{APP_ID}/{APP_ID}"].mode & 0o111 == 0o111
    assert {(member.uid, member.gid) for member in members.values()} == {(0, 0)}
    assert readme_text.startswith(f"DEAR Export {__version__} for Linux")
    assert "./install.sh" in readme_text and "run-preset" in readme_text


def test_tarball_refuses_a_folder_without_the_program(make_tarball: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="build the bundle first"):
        make_tarball.make_tarball(tmp_path, tmp_path / "out")


@posix_only
def test_install_then_uninstall_for_one_user(make_tarball: ModuleType, tmp_path: Path) -> None:
    tarball = make_tarball.make_tarball(fake_bundle(tmp_path / "dist"), tmp_path / "out")
    with tarfile.open(tarball) as archive:
        archive.extractall(tmp_path / "unpacked", filter="tar")
    unpacked = tmp_path / "unpacked" / f"{APP_ID}-{__version__}"
    prefix = tmp_path / "home with space" / ".local"
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PREFIX": str(prefix)}

    result = subprocess.run(["sh", str(unpacked / "install.sh")], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    program = prefix / "opt" / APP_ID / APP_ID
    assert (prefix / "opt" / APP_ID / "_internal" / "resources" / "marker.txt").read_text() == "bundled"
    link = prefix / "bin" / APP_ID
    assert link.is_symlink() and link.resolve() == program.resolve()
    run = subprocess.run([str(link), "--version"], capture_output=True, text=True, check=True)
    assert run.stdout == "DEAR Export stand-in --version\n"
    hicolor = prefix / "share" / "icons" / "hicolor"
    for size in make_tarball.ICON_SIZES:
        assert (hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    desktop = (prefix / "share" / "applications" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    assert f'Exec="{program}"\n' in desktop
    assert f"TryExec={program}\n" in desktop
    assert "Name=DEAR Export\n" in desktop

    # Installing again upgrades in place.
    again = subprocess.run(["sh", str(unpacked / "install.sh")], env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert not (prefix / "opt" / f"{APP_ID}.new").exists()

    removed = subprocess.run(
        ["sh", str(unpacked / "install.sh"), "--uninstall"], env=env, capture_output=True, text=True
    )
    assert removed.returncode == 0, removed.stderr
    assert "settings" in removed.stdout
    leftovers = [
        path
        for path in prefix.rglob("*")
        if path.is_file() or path.is_symlink()
        if path.name not in {"mimeinfo.cache", "icon-theme.cache"}  # caches of the desktop's own tools
    ]
    assert leftovers == []


@posix_only
def test_install_explains_an_incomplete_download(tmp_path: Path) -> None:
    shutil.copy(ROOT / "build" / "linux" / "install.sh", tmp_path / "install.sh")
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PREFIX": str(tmp_path / "prefix")}
    result = subprocess.run(["sh", str(tmp_path / "install.sh")], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Unpack the whole download" in result.stderr
    assert not (tmp_path / "prefix" / "opt").exists()
