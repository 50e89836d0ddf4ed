"""Build the DEAR Export bundle for this platform, check it, and (optionally) package it.

    python build/build_bundle.py [--no-selftest] [--package] [--keep-work]

1. Checks that every hidden import installer.spec lists for this platform can be found (PyInstaller
   itself only logs a missing one and builds a bundle that fails later, on the user's machine).
2. Runs PyInstaller on installer.spec, with its work folder in ./pyi-work and the bundle in ./dist
   (both git-ignored; never ./build, which holds these scripts).
3. Audits the bundle: every file in resources/manifest.json is inside; nothing the spec leaves out
   (GTK theme, QML, WebEngine, ...) slipped in; on Linux, no library needs one that was left out.
4. Runs the frozen ``--version``, then the frozen ``--selftest`` offscreen (skip with --no-selftest).
   Both run with a throw-away DEAR_EXPORT_HOME so they never touch the user's own folders; the rest of
   the environment (a Secret Service session, DEAR_REQUIRE_SECRET_SERVICE) passes through.
5. With --package, makes this platform's installer: a .tar.gz (Linux, build/linux/make_tarball.py),
   a Setup .exe (Windows, Inno Setup's iscc) or a .dmg (macOS, build/macos/make_dmg.sh).

Prints the bundle size and how long each step took; exit status 0 only when every step passed.
Run it with the project's virtualenv python; with another python it sets the virtualenv up and re-runs itself.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer.spec"
MANIFEST = ROOT / "resources" / "manifest.json"
DEFAULT_WORK = ROOT / "pyi-work"
DEFAULT_DIST = ROOT / "dist"

sys.path.insert(0, str(ROOT))
from app import APP_ID, APP_NAME, __version__  # noqa: E402  (stdlib only)

# Library names that must never be in the bundle, whatever the build machine has installed.
FORBIDDEN_LIBRARIES = (
    "libQt6Qml", "libQt6Quick", "libQt6WebEngine", "libQt6Pdf", "libQt63D", "libQt6Multimedia",
)  # fmt: skip
FROZEN_TIMEOUT_S = 300
INNO_SETUP_DEFAULT = Path(r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe")


@dataclass(frozen=True)
class Bundle:
    """Where the pieces of a built bundle are, for one platform."""

    root: Path  # what gets shipped: the folder (Linux, Windows) or the .app (macOS)
    executable: Path  # the one that prints: the console .exe on Windows
    internal: Path  # the folder holding the libraries, i.e. sys._MEIPASS at run time


def bundle_layout(dist: Path, system: str = sys.platform) -> Bundle:
    """Return the paths installer.spec produces under ``dist`` on ``system`` (a ``sys.platform`` value)."""
    if system == "darwin":
        app_dir = dist / f"{APP_NAME}.app"
        return Bundle(app_dir, app_dir / "Contents" / "MacOS" / APP_ID, app_dir / "Contents" / "Frameworks")
    folder = dist / APP_ID
    if system == "win32":
        return Bundle(folder, folder / f"{APP_ID}.exe", folder / "_internal")
    return Bundle(folder, folder / APP_ID, folder / "_internal")


def spec_constants(spec: Path = SPEC) -> dict[str, object]:
    """Read the literal top-level assignments of installer.spec (its lists of names) without running it."""
    tree = ast.parse(spec.read_text(encoding="utf-8"), filename=str(spec))
    found: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue  # computed values (paths, the Info.plist) are not lists of names
    return found


def spec_names(constants: dict[str, object], key: str) -> list[str]:
    """Return one list of names from :func:`spec_constants`; raise if the spec lacks it or it is no list."""
    value = constants.get(key)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"installer.spec: {key} must be a literal list of strings")
    return value


def platform_hidden_imports(constants: dict[str, object], system: str = sys.platform) -> list[str]:
    """Return the hidden imports the spec adds on ``system`` (besides the app's own modules)."""
    names = spec_names(constants, "KEYRING_BACKENDS")
    if system.startswith("linux"):
        names = names + spec_names(constants, "LINUX_HIDDEN_IMPORTS")
    elif system == "win32":
        names = names + spec_names(constants, "WINDOWS_HIDDEN_IMPORTS")
    return names


def missing_modules(names: list[str]) -> list[str]:
    """Return the module names in ``names`` that this python cannot find."""
    missing = []
    for name in names:
        try:
            found = importlib.util.find_spec(name) is not None
        except ImportError:  # a parent package is missing or fails to import
            found = False
        if not found:
            missing.append(name)
    return missing


def manifest_files(manifest: Path = MANIFEST) -> list[str]:
    """Return the resource files every bundle must carry, relative to resources/."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    files = data.get("files")
    if not isinstance(files, list) or not all(isinstance(name, str) for name in files):
        raise ValueError(f"{manifest}: 'files' must be a list of relative paths")
    return files


def audit_bundle(internal: Path) -> list[str]:
    """List the problems found in a built bundle's library folder (empty when it is fine)."""
    problems = [
        f"missing resource: resources/{name}"
        for name in manifest_files()
        if not (internal / "resources" / name).is_file()
    ]
    constants = spec_constants()
    plugin_patterns = spec_names(constants, "QT_PLUGIN_EXCLUDES")
    data_patterns = spec_names(constants, "QT_DATA_EXCLUDES")
    library_prefixes = tuple(spec_names(constants, "SYSTEM_LIBRARY_EXCLUDES")) + FORBIDDEN_LIBRARIES
    for path in internal.rglob("*"):
        relative = path.relative_to(internal).as_posix()
        if "/plugins/" in f"/{relative}" and any(pattern in relative for pattern in plugin_patterns):
            problems.append(f"left-out Qt plugin is present: {relative}")
        if any(pattern in relative for pattern in data_patterns):
            problems.append(f"left-out Qt data file is present: {relative}")
        if path.name.startswith(library_prefixes):
            problems.append(f"left-out library is present: {relative}")
    return problems


def needed_libraries(binary: Path) -> list[str]:
    """Return the libraries an ELF file asks the loader for (its DT_NEEDED entries), read with objdump."""
    objdump = shutil.which("objdump")
    if objdump is None:
        raise FileNotFoundError("objdump (from binutils) is needed to read library dependencies")
    result = subprocess.run([objdump, "-p", str(binary)], capture_output=True, text=True, check=False)
    return [line.split()[1] for line in result.stdout.splitlines() if line.strip().startswith("NEEDED")]


def audit_linux_links(internal: Path) -> list[str]:
    """List libraries in the bundle that need a library the spec left out (the loader would fail on them)."""
    left_out = tuple(spec_names(spec_constants(), "SYSTEM_LIBRARY_EXCLUDES"))
    problems = []
    for path in sorted(internal.rglob("*.so*")):
        if path.is_symlink() or not path.is_file():
            continue
        problems += [
            f"{path.relative_to(internal).as_posix()} needs {name}, which the spec leaves out"
            for name in needed_libraries(path)
            if name.startswith(left_out)
        ]
    return problems


def folder_size(path: Path) -> int:
    """Return the bytes used by the files under ``path`` (symbolic links counted as links)."""
    return sum(item.lstat().st_size for item in path.rglob("*") if item.is_file() or item.is_symlink())


def _say(text: str) -> None:
    print(f"[build] {text}", flush=True)


def _ensure_build_tools() -> None:
    """Re-run under the project virtualenv when this python has no PyInstaller."""
    if importlib.util.find_spec("PyInstaller") is None:
        sys.path.insert(0, str(ROOT / "scripts"))
        from _bootstrap import ensure_venv  # type: ignore[import-not-found]  # stdlib-only helper shared with the README's commands

        python = ensure_venv("dev")
        if Path(sys.executable).resolve() == python.resolve():
            sys.exit(
                "PyInstaller is missing from the virtualenv: run .venv/bin/python -m pip install -e .[dev]"
            )
        sys.exit(subprocess.run([str(python), __file__, *sys.argv[1:]], check=False).returncode)
    if sys.platform.startswith("linux") and shutil.which("objdump") is None:
        sys.exit("PyInstaller needs objdump from binutils: sudo apt-get install binutils")


def run_pyinstaller(work: Path, dist: Path) -> None:
    """Build the bundle from installer.spec into ``dist``."""
    command = [
        sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--clean",
        "--workpath", str(work), "--distpath", str(dist), "--log-level", "WARN",
    ]  # fmt: skip
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")  # the Qt hooks start Qt to ask for its paths
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def run_frozen(executable: Path, args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """Run the frozen app offscreen with a private app home; output is captured as text."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DEAR_EXPORT_HOME=str(home), PYTHONUTF8="1")
    return subprocess.run(
        [str(executable), *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=FROZEN_TIMEOUT_S,
        check=False,
    )


def check_frozen(bundle: Bundle, *, selftest: bool) -> list[str]:
    """Run the frozen ``--version`` and (optionally) ``--selftest``; return what failed."""
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="dear-export-bundle-home-") as home:
        result = run_frozen(bundle.executable, ["--version"], Path(home))
        expected = f"{APP_NAME} {__version__}"
        if result.returncode != 0 or expected not in result.stdout:
            output = (result.stdout + result.stderr).strip()
            failures.append(f"--version gave status {result.returncode}: {output!r}")
        else:
            _say(f"frozen --version: {result.stdout.strip()}")
        if selftest:
            started = time.perf_counter()
            result = run_frozen(bundle.executable, ["--selftest"], Path(home))
            print(result.stdout, end="", flush=True)
            print(result.stderr, end="", file=sys.stderr, flush=True)
            if result.returncode != 0:
                failures.append(f"--selftest failed with status {result.returncode}")
            else:
                _say(f"frozen --selftest passed in {time.perf_counter() - started:.1f} s")
    return failures


def package(bundle: Bundle, dist: Path) -> Path:
    """Make this platform's installer from the bundle and return its path."""
    system: str = sys.platform  # a plain str, so type checkers keep every branch
    if system.startswith("linux"):
        sys.path.insert(0, str(ROOT / "build" / "linux"))
        from make_tarball import make_tarball

        return make_tarball(bundle.root, dist)
    if system == "win32":
        iscc = shutil.which("iscc") or (str(INNO_SETUP_DEFAULT) if INNO_SETUP_DEFAULT.is_file() else None)
        if iscc is None:
            sys.exit("Inno Setup's iscc was not found: install Inno Setup 6 (choco install innosetup).")
        defines = [f"/DAppVersion={__version__}", f"/DBundleDir={bundle.root}", f"/DOutputDir={dist}"]
        subprocess.run([iscc, *defines, str(ROOT / "build" / "windows" / "dear-export.iss")], check=True)
        return dist / f"DEAR-Export-Setup-{__version__}.exe"
    if system == "darwin":
        bash = shutil.which("bash") or "/bin/bash"
        script = ROOT / "build" / "macos" / "make_dmg.sh"
        subprocess.run([bash, str(script), str(bundle.root), str(dist)], check=True)
        return dist / f"DEAR-Export-{__version__}-macos-{platform.machine()}.dmg"
    sys.exit(f"No installer recipe for {system}.")


def main(argv: list[str]) -> int:
    """Build, audit, self-test and optionally package; print sizes and times."""
    parser = argparse.ArgumentParser(description=f"Build the {APP_NAME} bundle for this platform.")
    parser.add_argument("--no-selftest", action="store_true", help="skip the frozen --selftest run")
    parser.add_argument("--package", action="store_true", help="also make the installer (.tar.gz/.exe/.dmg)")
    parser.add_argument("--workpath", type=Path, default=DEFAULT_WORK, help="PyInstaller's work folder")
    parser.add_argument("--distpath", type=Path, default=DEFAULT_DIST, help="where the bundle goes")
    parser.add_argument("--keep-work", action="store_true", help="keep the work folder (faster rebuilds)")
    args = parser.parse_args(argv)
    work, dist = args.workpath.resolve(), args.distpath.resolve()
    owner_build = (ROOT / "build").resolve()
    if work == owner_build or owner_build in work.parents:
        sys.exit("The work folder must not be inside build/: that folder holds the packaging scripts.")
    _ensure_build_tools()
    missing = missing_modules(platform_hidden_imports(spec_constants()))
    if missing:
        sys.exit(f"installer.spec lists hidden imports this python cannot find: {', '.join(missing)}")

    started = time.perf_counter()
    _say(f"building {APP_NAME} {__version__} for {sys.platform} ({platform.machine()}) ...")
    run_pyinstaller(work, dist)
    build_seconds = time.perf_counter() - started
    if not args.keep_work:
        shutil.rmtree(work, ignore_errors=True)
    bundle = bundle_layout(dist)
    size_mb = folder_size(bundle.root) / 1_000_000
    _say(f"bundle: {bundle.root}  {size_mb:.0f} MB, built in {build_seconds:.0f} s")

    failures = audit_bundle(bundle.internal)
    if sys.platform.startswith("linux"):
        failures += audit_linux_links(bundle.internal)
    failures += check_frozen(bundle, selftest=not args.no_selftest)
    if failures:
        for failure in failures:
            _say(f"FAILED: {failure}")
        return 1
    if args.package:
        installer = package(bundle, dist)
        _say(f"installer: {installer}  {installer.stat().st_size / 1_000_000:.0f} MB")
    _say(f"all done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
