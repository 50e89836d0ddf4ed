"""The checks build/build_bundle.py runs on a built bundle, tried on small hand-made bundles."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from app import APP_ID, APP_NAME

ROOT = Path(__file__).resolve().parents[2]


def clean_internal(build_bundle: ModuleType, folder: Path) -> Path:
    """A library folder holding every manifest resource and a few files the spec keeps."""
    internal = folder / "_internal"
    for name in build_bundle.manifest_files():
        target = internal / "resources" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "resources" / name, target)
    for kept in ("PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/lib/libQt6Widgets.so.6", "libz.so.1"):
        (internal / kept).parent.mkdir(parents=True, exist_ok=True)
        (internal / kept).write_bytes(b"\x7fELF")
    return internal


def test_layout_per_platform(build_bundle: ModuleType, tmp_path: Path) -> None:
    linux = build_bundle.bundle_layout(tmp_path, "linux")
    assert linux.executable == tmp_path / APP_ID / APP_ID
    assert linux.internal == tmp_path / APP_ID / "_internal"
    windows = build_bundle.bundle_layout(tmp_path, "win32")
    assert windows.executable == tmp_path / APP_ID / f"{APP_ID}.exe"  # the console one: it can print
    mac = build_bundle.bundle_layout(tmp_path, "darwin")
    assert mac.root == tmp_path / f"{APP_NAME}.app"
    assert mac.executable == tmp_path / f"{APP_NAME}.app" / "Contents" / "MacOS" / APP_ID
    assert mac.internal == tmp_path / f"{APP_NAME}.app" / "Contents" / "Frameworks"


def test_audit_passes_a_clean_bundle(build_bundle: ModuleType, tmp_path: Path) -> None:
    assert build_bundle.audit_bundle(clean_internal(build_bundle, tmp_path)) == []


def test_audit_reports_missing_resources_and_left_out_files(build_bundle: ModuleType, tmp_path: Path) -> None:
    internal = clean_internal(build_bundle, tmp_path)
    (internal / "resources" / "icons" / "app.ico").unlink()
    strays = [
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        "libgtk-3.so.0",
        "PySide6/Qt/lib/libQt6Quick.so.6",
    ]
    for stray in strays:
        (internal / stray).parent.mkdir(parents=True, exist_ok=True)
        (internal / stray).write_bytes(b"x")
    problems = build_bundle.audit_bundle(internal)
    assert sorted(problems) == sorted(
        [
            "missing resource: resources/icons/app.ico",
            "left-out Qt plugin is present: PySide6/Qt/plugins/platformthemes/libqgtk3.so",
            "left-out Qt data file is present: PySide6/Qt/translations/qtbase_de.qm",
            "left-out library is present: libgtk-3.so.0",
            "left-out library is present: PySide6/Qt/lib/libQt6Quick.so.6",
        ]
    )


ELF_TOOLS = sys.platform.startswith("linux") and shutil.which("objdump") is not None


@pytest.mark.skipif(not ELF_TOOLS, reason="reads Linux libraries with objdump")
def test_link_audit_finds_a_library_needing_a_left_out_one(build_bundle: ModuleType, tmp_path: Path) -> None:
    import PySide6

    plugins = Path(PySide6.__file__).parent / "Qt" / "plugins"
    needs_network = plugins / "platforminputcontexts" / "libqtvirtualkeyboardplugin.so"
    needs_only_gui = plugins / "imageformats" / "libqico.so"
    internal = tmp_path / "_internal"
    (internal / "plugins").mkdir(parents=True)
    shutil.copy(needs_only_gui, internal / "plugins" / needs_only_gui.name)
    assert build_bundle.audit_linux_links(internal) == []

    shutil.copy(needs_network, internal / "plugins" / needs_network.name)
    problems = build_bundle.audit_linux_links(internal)
    assert problems == [
        f"plugins/{needs_network.name} needs libQt6Network.so.6, which the spec leaves out",
    ]


def test_folder_size_adds_up_files(build_bundle: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one").write_bytes(b"x" * 1000)
    (tmp_path / "two").write_bytes(b"y" * 234)
    assert build_bundle.folder_size(tmp_path) == 1234


def test_work_folder_inside_build_is_refused(build_bundle: ModuleType) -> None:
    with pytest.raises(SystemExit, match="must not be inside build/"):
        build_bundle.main(["--workpath", str(ROOT / "build" / "work")])
    with pytest.raises(SystemExit, match="must not be inside build/"):
        build_bundle.main(["--workpath", str(ROOT / "build")])


def test_spec_names_rejects_what_is_not_a_list_of_names(build_bundle: ModuleType) -> None:
    constants = {"GOOD": ["a", "b"], "BAD": "a", "MIXED": ["a", 1]}
    assert build_bundle.spec_names(constants, "GOOD") == ["a", "b"]
    for key in ("BAD", "MIXED", "ABSENT"):
        with pytest.raises(ValueError, match=key):
            build_bundle.spec_names(constants, key)


def test_manifest_must_hold_a_list_of_paths(build_bundle: ModuleType, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"files": "icons/app.png"}', encoding="utf-8")
    with pytest.raises(ValueError, match="list of relative paths"):
        build_bundle.manifest_files(manifest)
    manifest.write_text('{"files": ["icons/app.png"]}', encoding="utf-8")
    assert build_bundle.manifest_files(manifest) == ["icons/app.png"]
