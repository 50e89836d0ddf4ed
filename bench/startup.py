"""Start-up time: from launching DEAR Export to its main window being shown, unfrozen and frozen.

    python bench/startup.py [--runs 7] [--rebuild] [--json bench/out/startup.json]

Each launched process writes ``time.time()`` into the file named by DEAR_EXPORT_STARTUP_PROBE once its
main window is shown and the event loop has run once, then quits (bench/startup_probe.py does this from
outside the app, so the app needs no change). The start is ``time.time()`` taken just before launching,
so a figure covers the interpreter or PyInstaller bootloader starting, every import, building the
window and its first round of events.

Kinds of start-up, timed round-robin so that the machine's noise hits every kind alike:

- baseline: a bare PySide6 script that shows an empty QMainWindow (the floor any Qt app pays here);
- the app unfrozen (``app.main.run``, what ``python -m app`` runs);
- the app frozen: a one-folder build of installer.spec that differs from a release build only by
  the probe as a runtime hook, built into bench/out/ (git-ignored) on first use or with --rebuild;
- ``--version`` unfrozen and frozen: interpreter or bootloader start plus the command-line imports.

Every run uses offscreen Qt and one throw-away DEAR_EXPORT_HOME; one warm-up round is not counted (it
warms the file cache and lets the first-run guide appear once, as on a real first start). Prints
medians, the spread, and each window median's ratio to the baseline's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = Path(__file__).resolve().parent / "startup_probe.py"
OUT = ROOT / "bench" / "out"
PROBE_ENV = "DEAR_EXPORT_STARTUP_PROBE"
TIMEOUT_S = 120.0

# The floor: import Qt, create the application, show an empty main window, let events run once.
BASELINE = f"""
import runpy, sys
runpy.run_path({str(PROBE)!r})
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1000, 700)
window.show()
app.exec()
"""

# The unfrozen app with the same probe the frozen build carries as a runtime hook.
UNFROZEN_APP = f"""
import runpy, sys
runpy.run_path({str(PROBE)!r})
from app.main import run
sys.exit(run([]))
"""


@dataclass
class Series:
    """One kind of start-up and the seconds each of its runs took."""

    name: str
    command: list[str]
    shows_window: bool
    seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Median of the runs, in seconds."""
        return statistics.median(self.seconds)


def build_probe_bundle(rebuild: bool) -> Path:
    """Build (or reuse) the frozen app with the probe as a runtime hook; return its executable."""
    dist = OUT / "probe-dist"
    name = "dear-export.exe" if os.name == "nt" else "dear-export"
    executable = dist / "dear-export" / name
    if sys.platform == "darwin":
        executable = dist / "DEAR Export.app" / "Contents" / "MacOS" / "dear-export"
    if executable.is_file() and not rebuild:
        return executable
    started = time.perf_counter()
    command = [
        sys.executable, "-m", "PyInstaller", str(ROOT / "installer.spec"), "--noconfirm",
        "--log-level", "WARN", "--workpath", str(OUT / "probe-work"), "--distpath", str(dist),
        "--", "--runtime-hook", str(PROBE),
    ]  # fmt: skip
    subprocess.run(command, cwd=ROOT, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), check=True)
    print(f"(built the frozen probe bundle in {time.perf_counter() - started:.0f} s)", flush=True)
    return executable


def time_once(series: Series, home: Path) -> float:
    """Launch ``series.command`` once and return the seconds until its probe (or until it exits)."""
    with tempfile.TemporaryDirectory(prefix="dear-export-startup-") as scratch:
        probe = Path(scratch) / "shown.txt"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DEAR_EXPORT_HOME=str(home), PYTHONUTF8="1")
        env[PROBE_ENV] = str(probe)
        env["PYTHONPATH"] = str(ROOT)
        started = time.time()
        result = subprocess.run(
            series.command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
        )
        finished = time.time()
        if result.returncode != 0:
            tail = result.stderr.strip()[-800:]
            raise RuntimeError(f"{series.name} exited with {result.returncode}: {tail}")
        if not series.shows_window:
            return finished - started
        if not probe.is_file():
            raise RuntimeError(f"{series.name} exited without writing the start-up probe")
        return float(probe.read_text(encoding="utf-8")) - started


def machine() -> str:
    """Describe this machine in one line."""
    from PySide6 import __version__ as pyside_version

    return (
        f"{os.cpu_count()} CPUs, {platform.system()} {platform.release()} {platform.machine()}, "
        f"Python {platform.python_version()}, PySide6 {pyside_version}"
    )


def main(argv: list[str]) -> int:
    """Time every kind of start-up and print the table."""
    parser = argparse.ArgumentParser(description="Time DEAR Export's start-up, unfrozen and frozen.")
    parser.add_argument("--runs", type=int, default=7, help="counted runs of each kind (after one warm-up)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the frozen probe bundle")
    parser.add_argument("--no-frozen", action="store_true", help="time only the unfrozen app")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)

    python = sys.executable
    all_series = [
        Series("baseline: empty QMainWindow", [python, "-c", BASELINE], shows_window=True),
        Series("app window, unfrozen", [python, "-c", UNFROZEN_APP], shows_window=True),
    ]
    if not args.no_frozen:
        frozen = build_probe_bundle(args.rebuild)
        all_series.append(Series("app window, frozen", [str(frozen)], shows_window=True))
    all_series.append(Series("--version, unfrozen", [python, "-m", "app", "--version"], shows_window=False))
    if not args.no_frozen:
        all_series.append(Series("--version, frozen", [str(frozen), "--version"], shows_window=False))

    with tempfile.TemporaryDirectory(prefix="dear-export-startup-home-") as home:
        for round_number in range(args.runs + 1):
            for series in all_series:
                seconds = time_once(series, Path(home))
                if round_number > 0:  # round 0 is the warm-up
                    series.seconds.append(seconds)

    baseline = all_series[0].median
    print(f"Start-up, {args.runs} runs of each after one warm-up; {machine()}")
    print()
    print("| start-up | median | min | max | median / baseline |")
    print("|---|---|---|---|---|")
    for series in all_series:
        low, high = min(series.seconds), max(series.seconds)
        ratio = f"{series.median / baseline:.2f}" if series.shows_window else "(no window)"
        print(f"| {series.name} | {series.median:.3f} s | {low:.3f} s | {high:.3f} s | {ratio} |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        figures = {series.name: series.seconds for series in all_series}
        args.json.write_text(json.dumps({"machine": machine(), "runs": figures}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
