"""Install DEAR Export if needed, then open the window on the built-in demo company.

    python3 scripts/demo.py

No DEAR account is needed: a simulated DEAR account (the sandbox) runs on this computer. On a
Linux machine with no screen, it runs the same demo without a window instead: it exports last
month's sale order lines from the demo company and says where the workbook is. When Qt cannot
open a window on the screen (Linux without its display libraries), it says which packages to
install instead of Qt's own error.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bootstrap import ROOT, ensure_qt_libraries, ensure_venv, window_problem


def _has_screen() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: list[str]) -> int:
    """Open the demo window, or run the headless demo export when there is no screen."""
    python = ensure_venv("")
    ensure_qt_libraries(python)
    if _has_screen():
        # Checked first, so a missing library gives our instructions, not Qt's abort message.
        problem = window_problem(python)
        if problem is not None:
            print(problem, file=sys.stderr)
            return 1
        command = [str(python), "-m", "app", "--demo", *argv]
    else:
        print("[dear-export] No screen found: running the demo export without a window.")
        command = [str(python), "-m", "app", "demo", *argv]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
