"""installer.spec, run with PyInstaller's build steps replaced by recorders, for each platform."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from app import APP_ID, APP_NAME, __version__

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer.spec"

REQUIRED_KEYRING_BACKENDS = {
    "keyring.backends.SecretService",
    "keyring.backends.Windows",
    "keyring.backends.macOS",
    "keyring.backends.kwallet",
    "keyring.backends.chainer",
    "keyring.backends.fail",
    "keyring.backends.null",
}
# What PyInstaller's Qt hooks typically hand over, as (destination, source, kind); the spec filters them.
SAMPLE_BINARIES = [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", "/src/libqwayland.so", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "/src/libqoffscreen.so", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", "/src/libqeglfs.so", "BINARY"),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/src/libqgtk3.so", "BINARY"),
    ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", "/src/libqxdg.so", "BINARY"),
    ("PySide6/Qt/plugins/imageformats/libqico.so", "/src/libqico.so", "BINARY"),
    ("PySide6/Qt/plugins/imageformats/libqpdf.so", "/src/libqpdf.so", "BINARY"),
    ("PySide6\\Qt\\plugins\\imageformats\\qtiff.dll", "C:\\src\\qtiff.dll", "BINARY"),
    ("PySide6/Qt/lib/libQt6Widgets.so.6", "/src/libQt6Widgets.so.6", "BINARY"),
    ("PySide6/Qt/lib/libQt6Network.so.6", "/src/libQt6Network.so.6", "BINARY"),
    ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY"),
    ("libgdk_pixbuf-2.0.so.0", "/usr/lib/libgdk_pixbuf-2.0.so.0", "BINARY"),
    ("libfontconfig.so.1", "/usr/lib/libfontconfig.so.1", "BINARY"),
    ("libXi.so.6", "/usr/lib/libXi.so.6", "BINARY"),
    ("libxkbcommon.so.0", "/usr/lib/libxkbcommon.so.0", "BINARY"),
]
SAMPLE_DATAS = [
    ("PySide6/Qt/translations/qtbase_de.qm", "/src/qtbase_de.qm", "DATA"),
    ("openpyxl/xml/core.xsd", "/src/core.xsd", "DATA"),
]
KEPT_BINARIES = {
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
    "PySide6/Qt/plugins/imageformats/libqico.so",
    "PySide6/Qt/lib/libQt6Widgets.so.6",
    "libfontconfig.so.1",
    "libxkbcommon.so.0",
}


@dataclass
class SpecRun:
    """What one execution of installer.spec asked PyInstaller to do."""

    calls: dict[str, list[Any]] = field(default_factory=dict)
    namespace: dict[str, Any] = field(default_factory=dict)

    def only(self, kind: str) -> Any:
        assert len(self.calls.get(kind, [])) == 1, f"expected one {kind}, got {self.calls.get(kind)}"
        return self.calls[kind][0]


def run_spec(monkeypatch: pytest.MonkeyPatch, system: str, *options: str) -> SpecRun:
    """Execute installer.spec as if on ``system``, recording PyInstaller's build steps, not running them."""
    run = SpecRun()

    class Step:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.args, self.kwargs = args, kwargs
            run.calls.setdefault(type(self).__name__, []).append(self)

    class Analysis(Step):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.pure, self.scripts = ["pure"], ["scripts"]
            self.binaries = list(SAMPLE_BINARIES)
            # Real Analysis turns (source, destination folder) pairs into (destination, source, kind) entries.
            self.datas = list(SAMPLE_DATAS) + [(dest, source, "DATA") for source, dest in kwargs["datas"]]

    steps = {name: type(name, (Step,), {}) for name in ("PYZ", "EXE", "COLLECT", "BUNDLE")}
    monkeypatch.setattr(sys, "path", list(sys.path))  # the spec puts the project root on sys.path
    monkeypatch.setattr(sys, "argv", [str(SPEC), *options])  # what PyInstaller passes after "--"
    monkeypatch.delenv("MACOS_SIGNING_IDENTITY", raising=False)
    if system != sys.platform:
        # PyInstaller's helpers inspect this machine: on a foreign platform only the spec's logic is tested.
        import PyInstaller.compat as compat
        import PyInstaller.utils.hooks as hooks

        monkeypatch.setattr(hooks, "collect_submodules", lambda package: [package])
        monkeypatch.setattr(hooks, "copy_metadata", lambda name: [(f"/site/{name}", f"{name}.dist-info")])
        # PyInstaller's version-resource module imports pefile (Windows only); its classes do not use it.
        monkeypatch.setitem(sys.modules, "pefile", sys.modules.get("pefile") or types.ModuleType("pefile"))
        monkeypatch.setattr(compat, "win32api", getattr(compat, "win32api", None), raising=False)
        monkeypatch.setattr(sys, "platform", system)
    run.namespace = {"SPECPATH": str(ROOT), "__file__": str(SPEC), "Analysis": Analysis, **steps}
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), run.namespace)
    return run


def test_linux_build_is_one_windowed_folder_with_every_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the real PyInstaller helpers are exercised on the Linux CI machine")
    run = run_spec(monkeypatch, sys.platform)
    analysis = run.only("Analysis")
    hidden = set(analysis.kwargs["hiddenimports"])
    assert hidden >= REQUIRED_KEYRING_BACKENDS | {"secretstorage", "jeepney"}
    # Lazy imports (the window, the sandbox behind demo mode) reach the bundle through the app's submodules.
    assert {"app.main", "app.ui.application", "app.ui.selftest", "app.sandbox", "app.services.demo"} <= hidden
    assert not any(name.startswith("win32ctypes") for name in hidden)
    assert analysis.args[0] == [str(ROOT / "app" / "__main__.py")]
    assert analysis.kwargs["runtime_hooks"] == []  # a release build carries no bench hook
    datas = analysis.kwargs["datas"]
    assert (str(ROOT / "resources"), "resources") in datas
    assert any(dest.startswith("keyring-") and dest.endswith(".dist-info") for _, dest in datas)
    excludes = set(analysis.kwargs["excludes"])
    assert {"PySide6.QtQml", "PySide6.QtQuick", "PySide6.Qt3DCore", "PySide6.QtWebEngineCore"} <= excludes
    assert {"PySide6.QtMultimedia", "PySide6.QtNetwork", "tkinter"} <= excludes
    assert not excludes & {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtDBus"}
    assert not excludes & {"secretstorage", "jeepney"}

    exe = run.only("EXE")
    assert exe.kwargs["name"] == APP_ID
    assert exe.kwargs["console"] is False
    assert exe.kwargs["exclude_binaries"] is True  # one-folder, not one-file
    collect = run.only("COLLECT")
    assert collect.kwargs["name"] == APP_ID
    assert collect.kwargs["strip"] is True
    assert "BUNDLE" not in run.calls


def test_left_out_plugins_libraries_and_translations_are_filtered(monkeypatch: pytest.MonkeyPatch) -> None:
    run = run_spec(monkeypatch, "linux")
    analysis = run.only("Analysis")
    kept = {dest.replace("\\", "/") for dest, _, _ in analysis.binaries}
    assert kept == KEPT_BINARIES
    kept_data = {dest for dest, _, _ in analysis.datas}
    assert "openpyxl/xml/core.xsd" in kept_data
    assert not any("translations" in dest for dest in kept_data)
    assert "resources" in kept_data


def test_windows_build_has_a_window_exe_and_a_console_exe_with_version_info(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = run_spec(monkeypatch, "win32")
    executables = {exe.kwargs["name"]: exe.kwargs for exe in run.calls["EXE"]}
    assert set(executables) == {APP_NAME, APP_ID}
    assert executables[APP_NAME]["console"] is False
    assert executables[APP_ID]["console"] is True
    for name, options in executables.items():
        assert options["icon"].endswith("app.ico")
        assert Path(options["icon"]).is_file()
        text = str(options["version"])
        assert f"StringStruct('ProductVersion', '{__version__}')" in text
        assert f"StringStruct('ProductName', '{APP_NAME}')" in text
        assert f"StringStruct('OriginalFilename', '{name}.exe')" in text
        numbers = tuple(int(part) for part in __version__.split("."))
        assert f"filevers={(*numbers, 0)!r}" in text
    hidden = set(run.only("Analysis").kwargs["hiddenimports"])
    assert hidden >= REQUIRED_KEYRING_BACKENDS | {"win32ctypes.pywin32.win32cred"}
    assert "secretstorage" not in hidden
    assert {"secretstorage", "jeepney"} <= set(run.only("Analysis").kwargs["excludes"])
    collect = run.only("COLLECT")
    assert collect.kwargs["strip"] is False
    assert len([arg for arg in collect.args if arg in run.calls["EXE"]]) == 2


def test_macos_build_is_an_app_bundle_with_high_resolution_and_the_package_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = run_spec(monkeypatch, "darwin")
    exe = run.only("EXE")
    assert exe.kwargs["name"] == APP_ID
    assert exe.kwargs["console"] is False
    assert exe.kwargs["icon"].endswith("app.icns")
    assert exe.kwargs["codesign_identity"] is None
    bundle = run.only("BUNDLE")
    assert bundle.kwargs["name"] == f"{APP_NAME}.app"
    assert bundle.kwargs["bundle_identifier"] == "app.dear-export"
    assert bundle.kwargs["version"] == __version__
    assert Path(bundle.kwargs["icon"]).is_file()
    plist = bundle.kwargs["info_plist"]
    assert plist["NSHighResolutionCapable"] is True
    assert plist["CFBundleShortVersionString"] == __version__
    assert plist["CFBundleDisplayName"] == APP_NAME
    assert bundle.args == (run.only("COLLECT"),)


def test_every_hidden_import_for_this_platform_can_be_found(build_bundle: types.ModuleType) -> None:
    constants = build_bundle.spec_constants()
    names = build_bundle.platform_hidden_imports(constants)
    assert set(names) >= REQUIRED_KEYRING_BACKENDS
    assert build_bundle.missing_modules(names) == []


def test_missing_module_check_reports_what_is_absent(build_bundle: types.ModuleType) -> None:
    names = ["keyring.backends.fail", "keyring.backends.no_such_backend", "no_such_package.sub"]
    assert build_bundle.missing_modules(names) == ["keyring.backends.no_such_backend", "no_such_package.sub"]


def test_spec_data_sources_exist(build_bundle: types.ModuleType) -> None:
    constants = build_bundle.spec_constants()
    datas = constants["DATAS"]
    assert isinstance(datas, list) and datas
    for source, _dest in datas:
        assert (ROOT / source).is_dir()
    assert (ROOT / str(constants["ENTRY_SCRIPT"])).is_file()
    assert (ROOT / str(constants["ICONS"]) / "app.ico").is_file()


def test_an_extra_runtime_hook_can_be_passed_after_the_double_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    hook = ROOT / "bench" / "startup_probe.py"
    run = run_spec(monkeypatch, "linux", "--runtime-hook", str(hook))
    assert run.only("Analysis").kwargs["runtime_hooks"] == [str(hook.resolve())]
