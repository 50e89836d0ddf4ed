"""Render the README's living-workbook pictures: a user's sheet before and after ``dear-export refresh``.

    .venv/bin/python scripts/render_workbook_pictures.py [--out FOLDER]

The scenario is the real one, against a simulated DEAR company on this computer (the sandbox):
``dear-export export --endpoint sale-order-lines`` writes a workbook; a spreadsheet user (LibreOffice
through UNO, scripts/workbook_picture_uno.py) adds a sheet with totals over the table, a pivot
table of quantity by customer and a chart of it; DEAR changes (one customer's orders grow);
``dear-export refresh`` runs; the user's sheet is printed as LibreOffice shows it on opening
(formulas recalculated, the pivot table refreshed on load) to PDF and turned into a PNG with
poppler's ``pdftoppm`` (``apt-get install poppler-utils``). Writes workbook-before-refresh.png
and workbook-after-refresh.png. A documentation tool: no test depends on it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
UNO_DRIVER = ROOT / "scripts" / "workbook_picture_uno.py"
SYSTEM_PYTHON = "/usr/bin/python3"
SUMMARY = "Monthly summary"
SALES = 24
CUSTOMERS = 6
SEED = 2
GROWTH = 12
"""How many times each of the chosen customer's sales is changed in DEAR (each adds 1 to a line)."""


def _run(command: list[str], env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])}… failed:\n{done.stderr}")
    return done.stdout


def _uno(*args: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(
        _run([SYSTEM_PYTHON, str(UNO_DRIVER), *args]).strip().splitlines()[-1]
    )
    return result


def _render(workbook: Path, png: Path, scratch: Path) -> float:
    """Print the user's sheet as LibreOffice shows it on opening; return its total quantity."""
    pdf = scratch / f"{png.stem}.pdf"
    seen = _uno("pdf", str(workbook), SUMMARY, str(pdf))
    page = str(seen["page"])
    _run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "110",
            "-f",
            page,
            "-l",
            page,
            "-singlefile",
            str(pdf),
            str(png.with_suffix("")),
        ]
    )
    return float(seen["total"])


def _grow_one_customer(sandbox: Any) -> str:
    """Change DEAR: the sales of the customer with the most order lines each gain GROWTH units."""
    ds = sandbox.dataset
    by_customer: dict[str, list[str]] = {}
    for index in range(ds.counts["sale"]):
        sale = ds.detail("sale", index)
        if (sale.get("Order") or {}).get("Lines"):
            by_customer.setdefault(str(sale["Customer"]), []).append(str(sale["ID"]))
    customer, ids = max(by_customer.items(), key=lambda item: len(item[1]))
    for _ in range(GROWTH):
        sandbox.touch("sale", ids[:3])
    return customer


def main(argv: list[str]) -> int:
    """Build the scenario, render both pictures and print where they went."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (LibreOffice; poppler-utils for pdftoppm).")
    sys.path.insert(0, str(ROOT))
    from app.sandbox import Sandbox, SandboxConfig
    from bench._sandbox_cli import sandbox_env

    args.out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="dear-export-pictures-"))
    sandbox = Sandbox(
        SandboxConfig(
            size="small",
            seed=SEED,
            rate_limit=None,
            counts={"sale": SALES, "customer": CUSTOMERS},
            awkward=False,
        )
    ).start()
    try:
        env = sandbox_env(sandbox, scratch / "home", PYTHONUTF8="1")
        app = [sys.executable, "-m", "app"]
        exported, workbook = scratch / "export.xlsx", scratch / "Sales review.xlsx"
        _run([*app, "export", "--endpoint", "sale-order-lines", "--out", str(exported), "--yes"], env)
        _uno("build", str(exported), str(workbook))
        before = _render(workbook, args.out / "workbook-before-refresh.png", scratch)
        customer = _grow_one_customer(sandbox)
        _run([*app, "refresh", str(workbook), "--yes"], env)
        after = _render(workbook, args.out / "workbook-after-refresh.png", scratch)
    finally:
        sandbox.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"Total quantity {before:g} before the refresh, {after:g} after ({customer}'s orders grew).")
    for name in ("workbook-before-refresh.png", "workbook-after-refresh.png"):
        print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
