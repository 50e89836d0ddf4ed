"""How often a list that moves while it is read still ends incomplete: the pager's miss rate.

A sandbox holding ``--products`` products (6,000 by default) moves rows between page requests:
with ``drift_rows`` (N random rows moved to new random places before each list request) where the
sandbox has it, else with ``shuffle_pages`` (a fresh order for every request, a much harsher
stand-in). Each run reads the whole product list once with ``ListPager`` and records whether it
came out complete, how many records were missing and how many requests it took.

"before" is the pager of an earlier commit (``--before REV``, loaded from git), "after" the one in
this checkout; both run in the same process against the same sandbox, alternating.

The sandbox can come from another checkout (``--sandbox-root``, e.g. the branch that adds
drift_rows); it then runs in a child process with that checkout's code.

Run:  .venv/bin/python bench/paging_drift.py --runs 60 --drift-rows 20 [--before 2dc925f]
      .venv/bin/python bench/paging_drift.py --runs 60 --drift-rows 20 --sandbox-root ../sandbox
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.api import DearClient, RateGovernor
from app.models import Connection, RateLimit

ROOT = Path(__file__).resolve().parents[1]

SERVE = """
import dataclasses, json, sys
from app.sandbox import Sandbox, SandboxConfig
wanted = json.loads(sys.argv[1])
known = {f.name for f in dataclasses.fields(SandboxConfig)}
if "drift_rows" in wanted and "drift_rows" not in known:
    wanted.pop("drift_rows"); wanted["shuffle_pages"] = True
sb = Sandbox(SandboxConfig(**wanted)).start()
print(json.dumps({"base_url": sb.base_url, "account": sb.account_id, "key": sb.application_key,
                  "mode": "drift_rows" if "drift_rows" in wanted else "shuffle_pages"}), flush=True)
sys.stdin.read()
"""


def start_sandbox(
    root: Path, products: int, drift_rows: int, shuffle: bool
) -> tuple[subprocess.Popen[str], Any]:
    wanted: dict[str, Any] = {"seed": 7, "size": "small", "rate_limit": None, "counts": {"product": products}}
    if shuffle:
        wanted["shuffle_pages"] = True
    else:
        wanted["drift_rows"] = drift_rows
    env = dict(os.environ, PYTHONPATH=str(root))
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, json.dumps(wanted)],
        cwd=root,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, json.loads(process.stdout.readline())


def load_pager(rev: str) -> ModuleType:
    """The paging module as it was at ``rev`` (its own imports come from this checkout)."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:app/api/paging.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    folder = Path(tempfile.mkdtemp())
    path = folder / f"paging_{rev}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"paging_{rev}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def one_run(client: DearClient, pager_class: Any, products: int, **extra: Any) -> dict[str, Any]:
    """Read the whole product list once with each pager's own defaults (``extra``: more options)."""
    before = client.stats.calls
    pager = pager_class(
        client,
        "product",
        "Products",
        params={"IncludeDeprecated": "true"},
        id_field="ID",
        page_size=1000,
        **extra,
    )
    unique = sum(len(batch) for batch in pager)
    stats = pager.stats
    assert stats.total == products, stats
    assert stats.unique == unique
    return {
        "complete": stats.complete,
        "missing": stats.missing,
        "rewalks": stats.rewalks,
        "pages": stats.pages,
        "requests": client.stats.calls - before,
    }


def summary(name: str, runs: list[dict[str, Any]]) -> str:
    incomplete = sum(1 for r in runs if not r["complete"])
    missing = sum(r["missing"] for r in runs)
    return (
        f"{name:11}: {incomplete}/{len(runs)} exports incomplete ({100 * incomplete / len(runs):.1f} %), "
        f"{missing} records missing in all, requests per export median "
        f"{statistics.median(r['requests'] for r in runs)} (max {max(r['requests'] for r in runs)}), "
        "re-walks per export mean "
        f"{statistics.fmean(r['rewalks'] for r in runs):.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--products", type=int, default=6000)
    parser.add_argument("--drift-rows", type=int, default=20)
    parser.add_argument("--shuffle", action="store_true", help="use shuffle_pages even if drift_rows exists")
    parser.add_argument("--before", default="2dc925f", help="commit whose pager is 'before'")
    parser.add_argument("--sandbox-root", type=Path, default=ROOT, help="checkout whose sandbox to run")
    args = parser.parse_args()

    from app.api.paging import ListPager

    old = load_pager(args.before).ListPager
    process, sb = start_sandbox(args.sandbox_root.resolve(), args.products, args.drift_rows, args.shuffle)
    print(f"machine: nproc={os.cpu_count()} {platform.platform()} python {platform.python_version()}")
    print(
        f"sandbox: {args.sandbox_root} mode {sb['mode']}, drift_rows {args.drift_rows}, "
        f"{args.products} products"
    )
    limit = RateLimit(1_000_000, 1.0)
    conn = Connection("bench", sb["account"], sb["key"], base_url=sb["base_url"], rate_limit=limit)
    results: dict[str, list[dict[str, Any]]] = {"before": [], "after": [], "after+since": []}
    started = time.monotonic()
    try:
        with DearClient(conn, governor=RateGovernor(limit)) as client:
            for _ in range(args.runs):
                results["before"].append(one_run(client, old, args.products))
                results["after"].append(one_run(client, ListPager, args.products))
                # With the product list's "changed since" filter, as the export service can pass it.
                since = {"changed_since": "ModifiedSince"}
                results["after+since"].append(one_run(client, ListPager, args.products, **since))
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=30)
    print(f"{args.runs} runs each in {time.monotonic() - started:.0f} s")
    for name, runs in results.items():
        print(summary(name, runs))


if __name__ == "__main__":
    main()
