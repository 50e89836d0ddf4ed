"""Shared set-up for the README's two commands: a project virtualenv with everything installed.

Portable (Windows, macOS, Linux); stdlib only, because it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"

# Qt's offscreen and xcb platforms need these on a bare Debian/Ubuntu (docs/platform-notes.md).
QT_DEBIAN_PACKAGES = [
    "libegl1",
    "libgl1",
    "libglib2.0-0",
    "libfontconfig1",
    "libdbus-1-3",
    "libxkbcommon0",
    "fonts-dejavu-core",
]
# A real Secret Service for the keyring integration test.
KEYRING_DEBIAN_PACKAGES = ["gnome-keyring", "dbus"]
# LibreOffice Calc without a GUI and its UNO bridge for the system Python (the workbook tests).
LIBREOFFICE_DEBIAN_PACKAGES = ["libreoffice-calc-nogui", "python3-uno"]


def venv_python() -> Path:
    """Return the virtualenv's interpreter, on any platform."""
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _say(text: str) -> None:
    print(f"[dear-export] {text}", flush=True)


def _run(command: list[str], **kwargs: object) -> None:
    subprocess.run(command, check=True, **kwargs)  # type: ignore[call-overload]


def ensure_venv(extras: str = "dev") -> Path:
    """Create .venv if needed and install the project (with ``extras``) when pyproject.toml changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be started by an older Python
        sys.exit(f"DEAR Export needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    python = venv_python()
    if not python.exists():
        _say("Creating the virtual environment in .venv ...")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".dear-export-installed-{extras or 'app'}"
    if not stamp.exists() or stamp.read_text(encoding="utf-8") != digest:
        _say("Installing DEAR Export and its dependencies (first run takes a minute) ...")
        _run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        target = f".[{extras}]" if extras else "."
        _run([str(python), "-m", "pip", "install", "--quiet", "-e", target], cwd=ROOT)
        stamp.write_text(digest, encoding="utf-8")
    return python


def _apt_install(packages: list[str]) -> bool:
    """Install Debian packages when we are root on a Debian-like system; False if we cannot."""
    if not sys.platform.startswith("linux") or shutil.which("apt-get") is None:
        return False
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    quiet = {"stdout": subprocess.DEVNULL, "env": env}
    subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)  # type: ignore[call-overload]
    result = subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], check=False, **quiet
    )  # type: ignore[call-overload]
    return result.returncode == 0


def _qt_starts(python: Path) -> bool:
    probe = "from PySide6.QtWidgets import QApplication; QApplication([])"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [str(python), "-c", probe], env=env, capture_output=True, check=False, timeout=120
    )
    return result.returncode == 0


def ensure_qt_libraries(python: Path) -> None:
    """On Linux, make sure Qt can start offscreen; install the missing system libraries if we can."""
    if not sys.platform.startswith("linux") or _qt_starts(python):
        return
    _say("Qt needs a few system libraries; installing them with apt-get ...")
    if _apt_install(QT_DEBIAN_PACKAGES) and _qt_starts(python):
        return
    sys.exit(
        "Qt could not start on this computer. Install these system packages and try again:\n"
        "  sudo apt-get install " + " ".join(QT_DEBIAN_PACKAGES)
    )


# What Qt's xcb platform (a window on an X11 screen) needs beyond the offscreen set, by distribution
# (docs/platform-notes.md lists the Debian names).
QT_WINDOW_PACKAGES = {
    "Debian or Ubuntu": "sudo apt-get install libxcb-cursor0 libxkbcommon-x11-0 libx11-xcb1 libxcb-icccm4 "
    "libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libegl1",
    "Fedora": "sudo dnf install xcb-util-cursor libxkbcommon-x11 xcb-util-wm xcb-util-keysyms xcb-util-image "
    "xcb-util-renderutil mesa-libEGL",
}
_WINDOW_PROBE = "from PySide6.QtGui import QGuiApplication; QGuiApplication([]); print('window-ok')"


def window_problem(python: Path, env: dict[str, str] | None = None) -> str | None:
    """Try to start Qt on this screen in a separate process; None if it can, else what to do.

    Qt aborts the process with a raw "could not load the Qt platform plugin" when the screen's
    libraries are missing, so the check runs in a child and its output is replaced by ours.
    """
    try:
        result = subprocess.run(
            [str(python), "-c", _WINDOW_PROBE],
            env=dict(os.environ) if env is None else env,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        return "DEAR Export could not open a window on this screen: Qt did not answer within a minute."
    if result.returncode == 0 and "window-ok" in result.stdout:
        return None
    said = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    lines = [
        "DEAR Export cannot open a window on this screen: the system libraries Qt needs to draw",
        "windows are missing (or the screen cannot be reached). Install them, then run this again:",
        *(f"  {system}: {command}" for system, command in QT_WINDOW_PACKAGES.items()),
        "To try the demo without a window instead (it writes a workbook and says where):",
        "  env -u DISPLAY -u WAYLAND_DISPLAY python3 scripts/demo.py",
    ]
    if said:
        lines.append(f"(Qt's own words: {said[0][:200]})")
    return "\n".join(lines)


def ensure_libreoffice() -> bool:
    """Tell whether LibreOffice Calc and its Python bridge are here (installing them if we are root).

    The workbook tests open our exports in Calc as a person would (tests/integration/test_libreoffice.py).
    """
    if not sys.platform.startswith("linux"):
        return False

    def present() -> bool:
        if shutil.which("soffice") is None or not Path("/usr/bin/python3").exists():
            return False
        probe = subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True, check=False)
        return probe.returncode == 0

    if not present():
        _say("The workbook tests use LibreOffice Calc; installing it with apt-get ...")
        _apt_install(LIBREOFFICE_DEBIAN_PACKAGES)
    return present()


def ensure_secret_service_tools() -> bool:
    """Tell whether gnome-keyring and dbus-run-session are here (installing them if we are root)."""
    if not sys.platform.startswith("linux"):
        return False
    have = shutil.which("gnome-keyring-daemon") and shutil.which("dbus-run-session")
    if not have:
        _apt_install(KEYRING_DEBIAN_PACKAGES)
    return bool(shutil.which("gnome-keyring-daemon") and shutil.which("dbus-run-session"))
