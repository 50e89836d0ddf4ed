"""scripts/demo.py checks that Qt can open a window before it tries, and says what to install if not."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def bootstrap() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_demo_bootstrap", SCRIPTS / "_bootstrap.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def env_without_screen_libraries(tmp_path: Path) -> dict[str, str]:
    """Ask for a real window (xcb) where Qt finds no platform plugin: as on a Linux without the libraries."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update(QT_QPA_PLATFORM="xcb", QT_QPA_PLATFORM_PLUGIN_PATH=str(tmp_path), DISPLAY=":97")
    return env


def test_a_screen_qt_cannot_use_gives_our_instructions(tmp_path: Path) -> None:
    problem = bootstrap().window_problem(Path(sys.executable), env_without_screen_libraries(tmp_path))
    assert problem is not None
    assert problem.startswith("DEAR Export cannot open a window on this screen")
    assert "sudo apt-get install libxcb-cursor0" in problem
    assert "sudo dnf install xcb-util-cursor" in problem
    assert "env -u DISPLAY -u WAYLAND_DISPLAY python3 scripts/demo.py" in problem
    assert "xcb" in problem.splitlines()[-1]  # Qt's own words, last and short


def test_a_screen_qt_can_use_passes_the_check() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env["QT_QPA_PLATFORM"] = "offscreen"  # the platform every machine here has
    assert bootstrap().window_problem(Path(sys.executable), env) is None
