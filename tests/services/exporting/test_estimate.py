"""The estimate counts the local cache: records it serves cost nothing, and the count of requests is exact.

Real HTTP against the sandbox; each estimate is compared with the export that follows it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app.api.estimate import estimate_seconds
from app.models import CancelToken, Connection, ExportRequest, Progress, RateLimit, ReportRequest
from app.sandbox import Sandbox
from app.services.cache import CacheService
from app.services.exporting import ExportService
from app.services.exporting.progress import ProgressFeed

FAST = RateLimit(1000, 1)
# DEAR's usual limit. The exports run at FAST (one account shares one request budget across
# connections, so the estimates run at FAST too); the minutes at SLOW are computed from the calls.
SLOW = RateLimit(60, 60)
SALES = 240
CONNECTING = 1  # the export's first request asks DEAR which company the key opens


@pytest.fixture
def sb(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    return make_sandbox(rate_limit=None, counts={"sale": SALES, "customer": 20, "product": 30})


def connect(sb: Sandbox, limit: RateLimit) -> Connection:
    return Connection("Sandbox", sb.account_id, sb.application_key, sb.base_url, rate_limit=limit)


def request(sb: Sandbox, target: Path, limit: RateLimit = FAST, *, use_cache: bool = True) -> ExportRequest:
    return ExportRequest(
        connect(sb, limit), (ReportRequest("sale-order-lines"),), target, use_cache=use_cache
    )


def test_a_repeat_export_is_announced_as_coming_from_this_computer(sb: Sandbox, tmp_path: Path) -> None:
    service = ExportService(cache=CacheService(tmp_path / "data"))
    cold_estimate = service.estimate(request(sb, tmp_path / "a.xlsx"), CancelToken())
    assert cold_estimate.from_cache == 0
    assert f"{SALES:,} sales need one request each" in cold_estimate.explanation
    assert estimate_seconds(cold_estimate.calls, SLOW) > 3 * 60  # 241 requests at 60 a minute

    sb.reset_counts()
    cold = service.run(request(sb, tmp_path / "a.xlsx"), CancelToken())
    assert cold.calls_used == sb.total_calls == cold_estimate.calls + CONNECTING

    warm_estimate = service.estimate(request(sb, tmp_path / "b.xlsx"), CancelToken())
    assert warm_estimate.from_cache == SALES
    assert f"Sale order lines: all {SALES:,} sales from this computer: under a minute." in (
        warm_estimate.explanation
    )
    assert estimate_seconds(warm_estimate.calls, SLOW) < 60  # the list and the product check
    sb.reset_counts()
    warm = service.run(request(sb, tmp_path / "b.xlsx"), CancelToken())
    assert warm.from_cache == SALES
    assert sb.call_counts().get("sale", 0) == 0
    assert warm.calls_used == sb.total_calls == warm_estimate.calls + CONNECTING


def test_changed_records_are_counted_as_requests_and_the_rest_as_cached(sb: Sandbox, tmp_path: Path) -> None:
    service = ExportService(cache=CacheService(tmp_path / "data"))
    service.run(request(sb, tmp_path / "a.xlsx"), CancelToken())
    sb.touch("sale", 7)

    estimate = service.estimate(request(sb, tmp_path / "b.xlsx"), CancelToken())
    assert (estimate.from_cache, estimate.reports[0].records) == (SALES - 7, SALES)
    assert f"{SALES - 7:,} sales from this computer, 7 from DEAR: under a minute." in estimate.explanation

    sb.reset_counts()
    result = service.run(request(sb, tmp_path / "b.xlsx"), CancelToken())
    assert result.from_cache == SALES - 7
    assert sb.call_counts().get("sale", 0) == 7
    assert result.calls_used == sb.total_calls == estimate.calls + CONNECTING


def test_refresh_everything_is_estimated_without_the_cache(sb: Sandbox, tmp_path: Path) -> None:
    service = ExportService(cache=CacheService(tmp_path / "data"))
    service.run(request(sb, tmp_path / "a.xlsx"), CancelToken())
    sb.reset_counts()
    estimate = service.estimate(request(sb, tmp_path / "b.xlsx", use_cache=False), CancelToken())
    assert estimate.from_cache == 0
    assert sb.total_calls == 1  # one small request for the total, no list, no cache
    result = service.run(request(sb, tmp_path / "b.xlsx", use_cache=False), CancelToken())
    assert result.from_cache == 0
    assert result.calls_used == estimate.calls + CONNECTING


def test_an_estimate_without_a_cache_reads_one_small_page(sb: Sandbox, tmp_path: Path) -> None:
    estimate = ExportService(cache=None).estimate(request(sb, tmp_path / "a.xlsx"), CancelToken())
    assert sb.total_calls == 1
    assert (estimate.from_cache, estimate.calls) == (0, SALES + 1)


def test_progress_of_a_cached_repeat_counts_only_the_requests_left(
    sb: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every event delivered (no throttle), so each record's step is seen.
    monkeypatch.setattr(ProgressFeed.__init__, "__kwdefaults__", {"interval": 0.0, "clock": time.monotonic})
    uncached: list[Progress] = []
    ExportService(cache=None).run(request(sb, tmp_path / "0.xlsx"), CancelToken(), uncached.append)
    service = ExportService(cache=CacheService(tmp_path / "data"))
    service.run(request(sb, tmp_path / "a.xlsx"), CancelToken())
    sb.touch("sale", 7)
    warm: list[Progress] = []
    service.run(request(sb, tmp_path / "b.xlsx"), CancelToken(), warm.append)

    uncached_left = [e.calls_remaining for e in uncached if e.phase == "details"]
    warm_left = [e.calls_remaining for e in warm if e.phase == "details"]
    assert uncached_left[:3] == [SALES, SALES - 1, SALES - 2]  # no cache: every record is a request
    assert len(warm_left) == SALES + 1
    assert warm_left[0] is None  # unknown until the cache has compared the list
    assert warm_left[1] in (6, 7)  # then only the changed records count
    assert all(left is not None and left <= 7 for left in warm_left[1:]), warm_left
    assert warm_left[-1] == 0
    # the time left follows: never the minutes of 240 requests
    seconds = [e.seconds_left for e in warm if e.phase == "details" and e.seconds_left is not None]
    assert seconds and max(seconds) <= estimate_seconds(7, FAST) + 1.0
