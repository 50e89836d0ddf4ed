"""sale-profit-lines benchmark: requests against sale-invoice-lines, and what the summary and chart cost.

Three parts, the first two against a sandbox with exactly ``--invoiced`` invoiced sales (default 2,000):

1. Whole exports through the command line (``python -m app export``, no cache, no API limit):
   ``sale-invoice-lines`` and ``sale-profit-lines`` alternately, ``--runs`` times each. Profit
   rides on the sale detail the invoice lines already fetch; its Category column adds the product
   list, read once, 1,000 products a request: its requests (counted by the sandbox) must be the
   invoice lines' plus exactly ceil(products / 1,000). Seconds and peak memory (GNU time's
   ``%M``, else ``os.wait4``) are medians.
2. The writing alone, in this process: the same rows (the profit hook over every sale document)
   written to a workbook with and without the summary (the digest fed every row, the "Profit
   summary" sheet and its chart added, then the save). Alternated ``--runs`` times; medians.
3. The product table alone (``--products``, default 10,000 sandbox product rows): the memory
   the export keeps to fill in categories (tracemalloc: what the table adds).

Usage::

    python bench/profit_lines.py                     # 2,000 invoiced sales, 3 runs
    python bench/profit_lines.py --invoiced 5000 --runs 5 --json
    python bench/profit_lines.py --invoiced 100 --sandbox-products 10000   # the product list's own cost
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import catalogue  # noqa: E402
from app.catalogue.flatten import project  # noqa: E402
from app.catalogue.profit import sale_profit_lines  # noqa: E402
from app.catalogue.profit_summary import ProfitSummary  # noqa: E402
from app.export import open_writer  # noqa: E402
from app.models import ColumnSpec, OutputFormat  # noqa: E402
from app.sandbox import Sandbox, SandboxConfig  # noqa: E402
from app.sandbox import products as sandbox_products  # noqa: E402
from app.sandbox.config import SIZES  # noqa: E402
from app.sandbox.dataset import Dataset  # noqa: E402
from app.sandbox.sales import list_row  # noqa: E402
from app.services.exporting.product_fields import PAGE_SIZE, ProductTable  # noqa: E402
from bench._sandbox_cli import run_waited, sandbox_env  # noqa: E402

SEED = 11
TODAY = date(2026, 11, 30)


def sales_for(invoiced: int) -> int:
    """Return how many sales the sandbox needs so that exactly ``invoiced`` of them have an invoice."""
    # A sale's stage does not depend on the sale count, so one scan of a big enough data set finds it.
    ds = Dataset(SEED, TODAY, {**SIZES["medium"], "sale": invoiced * 2})
    found = 0
    for i in range(invoiced * 2):
        found += list_row(ds, i)["InvoiceNumber"] is not None
        if found == invoiced:
            return i + 1
    raise SystemExit("could not find enough invoiced sales")


TIME = Path("/usr/bin/time")  # GNU time: the export's own peak RSS


def run_export(env: dict[str, str], out: Path, key: str) -> dict[str, Any]:
    """Run one export as its own process; return its seconds, peak RSS and printed summary.

    The peak comes from GNU time (``%M``) when it is there: ``os.wait4`` on a child Python starts
    with vfork reports the bench's own (the sandbox's) RSS whenever that is larger, since the
    child's high-water mark is taken over from the parent's memory before the exec.
    """
    command = [sys.executable, "-m", "app", "export", "--rate-limit", "100000/1", "--yes", "--no-cache"]
    command += ["--out", str(out), "--endpoint", key]
    peak_file = out.with_suffix(".peak")
    if TIME.exists():
        command = [str(TIME), "-f", "%M", "-o", str(peak_file), *command]
    done = run_waited(command, env)
    if done.code != 0:
        raise SystemExit(f"export failed:\n{done.stdout}\n{done.stderr}")
    if TIME.exists():
        peak = int(peak_file.read_text().split()[-1]) * 1024
    else:
        peak = done.maxrss * (1 if sys.platform == "darwin" else 1024)
    return {"seconds": done.seconds, "peak_mb": peak / 2**20, "summary": done.stdout.strip()}


def whole_exports(sb: Sandbox, folder: Path, runs: int) -> dict[str, Any]:
    env = sandbox_env(sb, folder / "home")
    seen: dict[str, dict[str, list[Any]]] = {}
    for _ in range(runs):
        for key in ("sale-invoice-lines", "sale-profit-lines"):
            sb.reset_counts()
            figures = run_export(env, folder / f"{key}.xlsx", key)
            entry = seen.setdefault(key, {"seconds": [], "peak_mb": [], "requests": [], "summary": []})
            entry["seconds"].append(figures["seconds"])
            entry["peak_mb"].append(figures["peak_mb"])
            entry["requests"].append(sb.total_calls)
            entry["summary"].append(figures["summary"])
    out = {
        key: {
            "seconds_median": round(statistics.median(entry["seconds"]), 2),
            "peak_mb_median": round(statistics.median(entry["peak_mb"]), 1),
            "requests": sorted(set(entry["requests"])),
            "summary": entry["summary"][-1],
        }
        for key, entry in seen.items()
    }
    invoice, profit = out["sale-invoice-lines"]["requests"], out["sale-profit-lines"]["requests"]
    products = _product_count(sb)
    pages = math.ceil(products / PAGE_SIZE)
    assert len(invoice) == len(profit) == 1, f"requests vary between runs: {invoice} vs {profit}"
    assert profit[0] == invoice[0] + pages, f"requests: {profit} is not {invoice} + {pages} product pages"
    out["products"] = {"listed": products, "requests": pages}
    return out


def _product_count(sb: Sandbox) -> int:
    """How many products the export's product list reads (deprecated ones included)."""
    url = f"{sb.base_url}product?Page=1&Limit=1&IncludeDeprecated=true"
    request = urllib.request.Request(url, headers=sb.headers)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return int(json.load(answer)["Total"])


def product_table_memory(count: int) -> dict[str, Any]:
    """Memory the category table keeps for ``count`` products (sandbox product rows, as listed)."""
    ds = Dataset(SEED, TODAY, {**SIZES["medium"], "product": count})
    rows = [sandbox_products.product(ds, i) for i in range(count)]
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    table = ProductTable(("Category",))
    for row in rows:
        table.add(row)
    kept = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert len(table.by_id) == count, len(table.by_id)
    return {"products": count, "kept_mb": round(kept / 2**20, 2), "bytes_per_product": round(kept / count)}


def _rows(ds: Dataset, count: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i in range(count):
        rows.extend(sale_profit_lines(list_row(ds, i), ds.detail("sale", i)))
    return rows


def _write(
    path: Path, columns: tuple[ColumnSpec, ...], rows: list[dict[str, Any]], summary: bool
) -> tuple[float, float]:
    """Write the rows (and the summary); return (whole time, time adding the summary sheet and chart)."""
    extra = 0.0
    started = time.perf_counter()
    with open_writer(path, OutputFormat.XLSX) as writer:
        sheet = writer.add_sheet("Sale profit by line", columns)
        digest = ProfitSummary() if summary else None
        for row in rows:
            sheet.write_row(project(row, columns))
            if digest is not None:
                digest.add(row)
        if digest is not None:
            begun = time.perf_counter()
            writer.add_extra_sheets(digest.sheets(), before=sheet)
            extra = time.perf_counter() - begun
    return time.perf_counter() - started, extra


def _digest_only(rows: list[dict[str, Any]]) -> float:
    """Time feeding every row to the digest alone (what the summary adds per row)."""
    started = time.perf_counter()
    digest = ProfitSummary()
    for row in rows:
        digest.add(row)
    return time.perf_counter() - started


def writing(count: int, folder: Path, runs: int) -> dict[str, Any]:
    ds = Dataset(SEED, TODAY, {**SIZES["medium"], "sale": count})
    rows = _rows(ds, count)
    spec = catalogue.get("sale-profit-lines")
    columns = tuple(column for column in spec.columns if column.default)
    times: dict[str, list[float]] = {"lines only": [], "lines + summary and chart": []}
    sheet_times, digest_times = [], []
    _write(folder / "warm.xlsx", columns, rows, True)  # the first write of a process is slower
    for run in range(runs):
        # Alternate which goes first, so neither gains from the other's warm caches.
        for summary in (False, True) if run % 2 == 0 else (True, False):
            whole, sheet = _write(folder / f"{summary}.xlsx", columns, rows, summary)
            times["lines + summary and chart" if summary else "lines only"].append(whole)
            if summary:
                sheet_times.append(sheet)
        digest_times.append(_digest_only(rows))
    base = statistics.median(times["lines only"])
    full = statistics.median(times["lines + summary and chart"])
    return {
        "rows": len(rows),
        "lines_only_s": round(base, 3),
        "with_summary_s": round(full, 3),
        "summary_cost_s": round(full - base, 3),
        "summary_cost_pct": round((full - base) / base * 100, 1),
        "digest_all_rows_s": round(statistics.median(digest_times), 4),
        "summary_sheet_and_chart_s": round(statistics.median(sheet_times), 4),
        "all_runs": {name: [round(t, 3) for t in values] for name, values in times.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--invoiced", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--products", type=int, default=10_000, help="products in the memory figure")
    parser.add_argument(
        "--sandbox-products", type=int, default=None, help="products in the sandbox (default: medium's)"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()

    count = sales_for(args.invoiced)
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "invoiced_sales": args.invoiced,
        "sales": count,
        "runs": args.runs,
    }
    counts = {"sale": count}
    if args.sandbox_products is not None:
        counts["product"] = args.sandbox_products
        results["sandbox_products"] = args.sandbox_products
    config = SandboxConfig(size="medium", seed=SEED, today=TODAY, rate_limit=None, counts=counts)
    with Sandbox(config) as sb, tempfile.TemporaryDirectory() as folder:
        results["exports"] = whole_exports(sb, Path(folder), args.runs)
        results["writing"] = writing(count, Path(folder), args.runs)
    results["product_table"] = product_table_memory(args.products)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{args.invoiced:,} invoiced sales ({count:,} sales), {args.runs} runs, medians")
    for key, figures in results["exports"].items():
        if key == "products":
            continue
        print(
            f"  {key}: {figures['requests'][0]:,} requests, {figures['seconds_median']} s, "
            f"peak {figures['peak_mb_median']} MB - {figures['summary']}"
        )
    p, t = results["exports"]["products"], results["product_table"]
    print(
        f"  categories: {p['listed']:,} products in {p['requests']} requests (exactly the difference); "
        f"table of {t['products']:,} products keeps {t['kept_mb']} MB ({t['bytes_per_product']} bytes each)"
    )
    w = results["writing"]
    print(
        f"  writing {w['rows']:,} rows: lines only {w['lines_only_s']} s, with summary and chart "
        f"{w['with_summary_s']} s ({w['summary_cost_s']:+} s, {w['summary_cost_pct']:+} %); "
        f"digest over all rows {w['digest_all_rows_s']} s, "
        f"summary sheet and chart {w['summary_sheet_and_chart_s']} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
