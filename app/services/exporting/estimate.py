"""What an export will cost before it runs: records, requests and time at the connection's limit.

Records whose detail the local cache will serve cost nothing: when the cache holds documents
of a line report, the estimate reads the report's list (one request per 1,000 records, as the
export does) and asks the cache the same question the export asks
(:meth:`~app.services.cache_records.RecordCache.split_details`), so a repeat export is
announced as "2,000 sales from this computer" rather than as 2,000 requests.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from app.api.paging import extract_records, read_total
from app.models import CancelToken, RateLimit
from app.services.cache import RecordCache, stamp_field
from app.services.exporting.client import estimate_seconds
from app.services.exporting.plan import Plan
from app.services.exporting.product_fields import count_product_pages, reading_words
from app.services.exporting.wording import describe_duration, describe_limit

if TYPE_CHECKING:
    from app.api.client import DearClient


@dataclass(frozen=True)
class ReportEstimate:
    """What one report will cost: records DEAR has, requests needed, and time at the limit."""

    key: str
    label: str
    records: int
    calls: int
    seconds: float
    explanation: str
    from_cache: int = 0  # records whose detail the local cache serves (no request)


@dataclass(frozen=True)
class Estimate:
    """What a whole export will cost, with a plain-English explanation."""

    calls: int
    seconds: float
    reports: tuple[ReportEstimate, ...]
    explanation: str

    @property
    def minutes(self) -> float:
        """The estimate in minutes."""
        return self.seconds / 60.0

    @property
    def from_cache(self) -> int:
        """Records whose detail comes from this computer's cache, across the reports."""
        return sum(e.from_cache for e in self.reports)


def combine(estimates: list[ReportEstimate], limit: RateLimit) -> Estimate:
    """Add up the reports' estimates into one, with a closing sentence when there are several."""
    calls = sum(e.calls for e in estimates)
    seconds = estimate_seconds(calls, limit)
    sentences = [e.explanation for e in estimates]
    if len(estimates) > 1:
        sentences.append(
            f"In all about {calls:,} requests at {describe_limit(limit)}: {describe_duration(seconds)}."
        )
    return Estimate(calls, seconds, tuple(estimates), " ".join(sentences))


def estimate_report(
    client: DearClient,
    plan: Plan,
    limit: RateLimit,
    cancel: CancelToken | None,
    cache: RecordCache | None = None,
) -> ReportEstimate:
    """Ask DEAR how many records one report has (one small request, or its list when needed).

    ``cache`` is the export's open record cache (None: no cache, or "refresh everything").
    """
    spec = plan.spec
    if spec.needs_detail and (plan.dated or (cache is not None and cache.known_records(spec) > 0)):
        return _from_list(client, plan, limit, cancel, cache)
    params: dict[str, Any] = dict(plan.params)
    if plan.page_size is not None:
        params.update({"Page": 1, "Limit": 1})
    body = client.get(spec.path, params, cancel=cancel)
    total = read_total(body)
    if total is None:
        total = len(extract_records(body, spec.list_key, spec.alt_list_keys, path=spec.path))
    pages = 1 if plan.page_size is None else max(1, math.ceil(total / plan.page_size))
    details = total if spec.needs_detail else 0
    calls = pages + details
    seconds = estimate_seconds(calls, limit)
    noun = plan.noun
    if spec.needs_detail:
        explanation = f"{spec.label}: {total:,} {noun} need one request each: {describe_duration(seconds)}."
    else:
        requests_text = f"{pages:,} request{'s' if pages != 1 else ''}"
        explanation = f"{spec.label}: {total:,} {noun} in {requests_text}: {describe_duration(seconds)}."
    return ReportEstimate(spec.key, spec.label, total, calls, seconds, explanation)


def _from_list(
    client: DearClient,
    plan: Plan,
    limit: RateLimit,
    cancel: CancelToken | None,
    cache: RecordCache | None,
) -> ReportEstimate:
    """Read a line report's list as the export does and count the detail requests it will need.

    DEAR cannot count the rows inside a date range, and only the list's last-modified times
    tell which saved documents are still current: both need the list (one request per page).
    """
    spec = plan.spec
    assert spec.detail is not None
    id_field, stamp = spec.detail.id_field, stamp_field(spec)
    pager = plan.list_pager(client, cancel)
    light: list[dict[str, Any]] = []
    for batch in pager:
        rows: list[Any] = batch  # DEAR's lists are not always objects all through
        for row in rows:
            # the export's rule (ReportRunner.collect and lines): rows in range with an ID
            if isinstance(row, Mapping) and not plan.dropped(row) and row.get(id_field):
                light.append({id_field: row[id_field], stamp: row.get(stamp)})
    pages = max(1, pager.stats.pages)
    total = len(light)
    from_cache, check_calls = 0, 0
    if cache is not None and light:
        before = client.stats.calls
        split = cache.split_details(client, spec, light, cancel=cancel)
        check_calls = client.stats.calls - before  # the product check, as the export makes it
        from_cache = sum(1 for record_id, _ in split.wanted if record_id.lower() in split.hits)
    from_dear = total - from_cache
    calls = pages + check_calls + from_dear
    seconds = estimate_seconds(calls, limit)
    duration, noun = describe_duration(seconds), plan.noun
    if from_cache and not from_dear:
        explanation = f"{spec.label}: all {total:,} {noun} from this computer: {duration}."
    elif from_cache:
        explanation = (
            f"{spec.label}: {from_cache:,} {noun} from this computer, {from_dear:,} from DEAR: {duration}."
        )
    else:
        explanation = f"{spec.label}: {total:,} {noun} need one request each: {duration}."
    return ReportEstimate(spec.key, spec.label, total, calls, seconds, explanation, from_cache)


def add_product_reads(
    client: DearClient,
    plans: Sequence[Plan],
    estimates: Sequence[ReportEstimate],
    limit: RateLimit,
    cancel: CancelToken | None,
) -> list[ReportEstimate]:
    """Add the product list's requests (read once per export) to the first report that needs it.

    The export reads it only for a report that shows a product field and has rows to fill, so
    the estimate counts it on the same terms: ceil(products / 1,000) requests, never from the cache.
    """
    out = list(estimates)
    for index, (plan, estimate) in enumerate(zip(plans, estimates, strict=True)):
        if plan.product_fields and estimate.records:
            products, pages = count_product_pages(client, cancel)
            calls = estimate.calls + pages
            words = reading_words(plan.product_fields, plan.columns, products)
            text = f"{estimate.explanation} {words} takes {pages:,} more request{'s' if pages != 1 else ''}."
            seconds = estimate_seconds(calls, limit)
            out[index] = replace(estimate, calls=calls, seconds=seconds, explanation=text)
            break
    return out
