"""What a stock history report costs: product pages with movements (never cached), plus availability."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from app.api.paging import extract_records, read_total
from app.catalogue.stock_history import LOCAL_FILTERS
from app.models import CancelToken, RateLimit
from app.services.exporting.client import estimate_seconds
from app.services.exporting.estimate import ReportEstimate
from app.services.exporting.plan import Plan
from app.services.exporting.wording import describe_duration
from app.services.stock_history.reports import CHECKED_AGAINST_AVAILABILITY, availability_plan

if TYPE_CHECKING:
    from app.api.client import DearClient


def _count(client: DearClient, plan: Plan, cancel: CancelToken | None) -> tuple[int, int]:
    """Return (records, pages) of a plan's list, from one request of one record."""
    spec = plan.spec
    params: dict[str, str | int] = {k: v for k, v in plan.params.items() if k not in LOCAL_FILTERS}
    params.pop("IncludeMovements", None)  # the count is the same; the movements of one product are not needed
    params.update({"Page": 1, "Limit": 1})
    body = client.get(spec.path, params, cancel=cancel)
    total = read_total(body)
    if total is None:
        total = len(extract_records(body, spec.list_key, spec.alt_list_keys, path=spec.path))
    size = plan.page_size or 100
    return total, max(1, math.ceil(total / size))


def estimate_computed(
    client: DearClient, plan: Plan, limit: RateLimit, cancel: CancelToken | None
) -> ReportEstimate:
    """Estimate a stock history report honestly: every product page again, whatever the cache holds."""
    spec = plan.spec
    products, pages = _count(client, plan, cancel)
    text = f"{spec.label}: {products:,} {plan.noun} with their movements in {pages:,} requests"
    calls = pages
    if spec.computed in CHECKED_AGAINST_AVAILABILITY:
        rows, more = _count(client, availability_plan(), cancel)
        calls += more
        text += f", and {rows:,} stock on hand rows in {more:,} to check them against"
    seconds = estimate_seconds(calls, limit)
    text += (
        f": {describe_duration(seconds)}, plus DEAR's own time to gather the movements. They are read again "
        "on every export, because DEAR does not say when a product's movements change."
    )
    return ReportEstimate(spec.key, spec.label, products, calls, seconds, text)
