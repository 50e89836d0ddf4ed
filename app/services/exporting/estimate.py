"""What an export will cost before it runs: records, requests and time at the connection's limit."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.api.paging import extract_records, read_total
from app.catalogue.flatten import value_at
from app.models import CancelToken, RateLimit
from app.services.exporting.client import estimate_seconds
from app.services.exporting.plan import Plan, in_range
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
    client: DearClient, plan: Plan, limit: RateLimit, cancel: CancelToken | None
) -> ReportEstimate:
    """Ask DEAR how many records one report has (one small request, or its list when dated)."""
    spec = plan.spec
    params: dict[str, Any] = dict(plan.params)
    if plan.page_size is not None:
        params.update({"Page": 1, "Limit": 1})
    if plan.dated and spec.needs_detail:
        # Only rows inside the date range cost a detail request, and DEAR cannot count them
        # for us: read the list (one request per page) and count.
        pager = plan.list_pager(client, cancel)
        field_name = spec.date_field or ""
        total = sum(
            1 for batch in pager for row in batch if in_range(value_at(row, field_name), plan.request)
        )
        pages = max(1, pager.stats.pages)
    else:
        body = client.get(spec.path, params, cancel=cancel)
        read = read_total(body)
        if read is None:
            read = len(extract_records(body, spec.list_key, spec.alt_list_keys, path=spec.path))
        total = read
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
