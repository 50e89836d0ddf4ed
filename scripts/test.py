"""Install everything a fresh machine lacks, then run the whole test suite.

    python3 scripts/test.py [pytest arguments]

On Linux the tests run inside a private D-Bus session with an unlocked GNOME Keyring
(.ci/with-secret-service.sh), so the keyring integration test talks to a real Secret Service
(set DEAR_REQUIRE_SECRET_SERVICE=1 to make that test fail instead of skip when one cannot be
started).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bootstrap import ROOT, ensure_libreoffice, ensure_qt_libraries, ensure_secret_service_tools, ensure_venv

PYTEST_NO_TESTS = 5


def main(argv: list[str]) -> int:
    """Run pytest with ``argv``; a run that collects no tests is a failure."""
    python = ensure_venv("dev")
    ensure_qt_libraries(python)
    if not ensure_libreoffice():
        print("[dear-export] No LibreOffice here: the workbook-in-Calc tests will be skipped.")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1")
    env.pop("DISPLAY", None)  # a display would let gnome-keyring open an unlock prompt nobody can answer
    pytest = [str(python), "-m", "pytest", *argv]
    wrapper = ROOT / ".ci" / "with-secret-service.sh"
    if ensure_secret_service_tools():
        # A private D-Bus session with a throw-away, unlocked GNOME Keyring (stopped afterwards).
        command = ["bash", str(wrapper), *pytest]
    else:
        print("[dear-export] No Secret Service here: the keyring integration test will be skipped.")
        command = pytest
    code = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    if code == PYTEST_NO_TESTS:
        print("[dear-export] pytest collected no tests: that is a failure.", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
