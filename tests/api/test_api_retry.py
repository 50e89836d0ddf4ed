"""Classifying DEAR's answers, reading Retry-After and sizing back-offs."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from app.api import retry
from app.api.retry import Outcome, classify, parse_retry_after
from app.models import RateLimit

LIMIT_BODY = '[{"ErrorCode":400,"Exception":"You have reached 60 calls per 60 seconds API limit."}]'


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, "{}", Outcome.OK),
        (204, "", Outcome.OK),
        (429, "", Outcome.THROTTLED),
        (503, LIMIT_BODY, Outcome.THROTTLED),
        (400, LIMIT_BODY, Outcome.THROTTLED),
        (400, '[{"ErrorCode":400,"Exception":"Incorrect value for Status"}]', Outcome.REJECTED),
        (403, "Incorrect credentials!", Outcome.AUTH),
        (404, "<html>Page not found</html>", Outcome.REJECTED),
        (500, "", Outcome.TRANSIENT),
        (502, "", Outcome.TRANSIENT),
    ],
)
def test_classify(status: int, body: str, expected: Outcome) -> None:
    assert classify(status, body) is expected


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("60", 60.0), ("60 Seconds", 60.0), ("1 second", 1.0), (" 2.5 s ", 2.5), ("0", 0.0)],
)
def test_retry_after_numbers_and_deards_seconds_form(header: str, seconds: float) -> None:
    assert parse_retry_after(header) == seconds


def test_retry_after_http_date() -> None:
    now = datetime(2026, 11, 27, 7, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Fri, 27 Nov 2026 07:00:30 GMT", now=now) == pytest.approx(30.0)
    assert parse_retry_after("Fri, 27 Nov 2026 06:59:00 GMT", now=now) == 0.0


@pytest.mark.parametrize("header", [None, "", "soon", "sixty seconds"])
def test_retry_after_unusable(header: str | None) -> None:
    assert parse_retry_after(header) is None


def test_throttle_wait_without_retry_after_fits_the_window() -> None:
    limit = RateLimit(60, 60.0)
    waits = [retry.throttle_wait(limit, n, None) for n in range(1, 6)]
    assert waits == [10.0, 20.0, 40.0, 60.0, 60.0]
    assert retry.throttle_wait(limit, 1, 3.0) == 3.0


def test_backoff_grows_and_is_jittered_within_bounds() -> None:
    rng = random.Random(7)
    for attempt in range(1, 8):
        ceiling = min(8.0, 0.5 * 2 ** (attempt - 1))
        delay = retry.backoff_delay(attempt, rng=rng)
        assert ceiling / 2 <= delay <= ceiling
    assert len({retry.backoff_delay(3, rng=rng) for _ in range(5)}) > 1


def test_dear_exception_text() -> None:
    assert retry.dear_exception_text('[{"ErrorCode":400,"Exception":"Bad Status"}]') == "Bad Status"
    assert retry.dear_exception_text('{"ErrorCode":400,"Exception":"Bad date"}') == "Bad date"
    assert retry.dear_exception_text("<html><body>Page  not\nfound</body></html>") == "Page not found"
    assert retry.is_limit_message("You have reached 60 calls per 60 seconds API limit.")
    assert not retry.is_limit_message("Incorrect value for Status")
