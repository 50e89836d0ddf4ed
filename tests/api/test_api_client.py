"""The client against the sandbox over real loopback HTTP: paging, faults, throttles, errors, cancel."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from app.api import CallMade, DearClient, RateGovernor, Retrying, Throttled, Waiting
from app.api.events import ApiEvent
from app.errors import (
    AuthenticationError,
    BadResponseError,
    Cancelled,
    RateLimitedError,
    RequestRejectedError,
    TransientApiError,
)
from app.models import CancelToken, Connection, RateLimit
from app.redact import redact
from app.sandbox import Sandbox

FAST = RateLimit(1000, 1.0)  # a budget the tests never reach unless they mean to
ALL = {"IncludeDeprecated": "true"}  # deprecated customers are hidden otherwise, as in DEAR


def connect(sb: Sandbox, limit: RateLimit = FAST, **changes: Any) -> Connection:
    values: dict[str, Any] = {
        "name": "Test company",
        "account_id": sb.account_id,
        "application_key": sb.application_key,
        "base_url": sb.base_url,
        "rate_limit": limit,
    }
    values.update(changes)
    return Connection(**values)


def client_for(sb: Sandbox, limit: RateLimit = FAST, **kwargs: Any) -> DearClient:
    # A private governor per test: the registry would share budgets between tests using one key.
    kwargs.setdefault("governor", RateGovernor(limit, max_in_flight=kwargs.pop("max_in_flight", 4)))
    return DearClient(connect(sb, limit), **kwargs)


class Events:
    def __init__(self) -> None:
        self.items: list[ApiEvent] = []
        self._lock = threading.Lock()

    def __call__(self, event: ApiEvent) -> None:
        with self._lock:
            self.items.append(event)

    def of(self, kind: type) -> list[Any]:
        with self._lock:
            return [e for e in self.items if isinstance(e, kind)]


@pytest.fixture
def events() -> Events:
    return Events()


def cancel_after(seconds: float) -> CancelToken:
    token = CancelToken()
    timer = threading.Timer(seconds, token.cancel)
    timer.daemon = True
    timer.start()
    return token


def ids_of(rows: list[dict[str, Any]], field: str = "ID") -> list[str]:
    return [str(r[field]).lower() for r in rows]


# ----------------------------------------------------------------------------- paging


def collect(client: DearClient, *args: Any, **kwargs: Any) -> tuple[list[dict[str, Any]], Any]:
    pager = client.list_pager(*args, **kwargs)
    rows = [row for batch in pager for row in batch]
    assert pager.finished
    return rows, pager.stats


def test_paging_returns_every_record_once(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(counts={"customer": 230}, rate_limit=None)
    with client_for(sb) as client:
        rows, stats = collect(client, "customer", "CustomerList", params=ALL, page_size=50)
    assert len(rows) == 230
    assert len(set(ids_of(rows))) == 230
    assert (stats.total, stats.unique, stats.complete, stats.missing) == (230, 230, True, 0)
    assert stats.pages == 5  # 50+50+50+50+30: the short page ends the walk
    assert stats.rewalks == 0


def test_exact_multiple_of_the_page_size_stops_at_total(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(counts={"customer": 100}, rate_limit=None)
    with client_for(sb) as client:
        rows, stats = collect(client, "customer", "CustomerList", params=ALL, page_size=50)
    assert len(rows) == 100 and stats.pages == 2 and stats.complete


def test_unstable_order_still_gives_total_unique_records(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(counts={"customer": 230}, rate_limit=None, shuffle_pages=True)
    with client_for(sb) as client:
        rows, stats = collect(client, "customer", "CustomerList", params=ALL, page_size=50, max_rewalks=10)
    ids = ids_of(rows)
    assert len(ids) == len(set(ids)) == stats.unique
    assert stats.total == 230
    assert stats.unique == 230, stats
    assert stats.complete and stats.missing == 0


def test_incomplete_list_says_how_incomplete(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(counts={"customer": 230}, rate_limit=None, shuffle_pages=True)
    with client_for(sb) as client:
        rows, stats = collect(client, "customer", "CustomerList", params=ALL, page_size=50, max_rewalks=0)
    assert stats.rewalks == 0
    assert stats.unique == len(rows) == len(set(ids_of(rows)))
    assert stats.missing == stats.total - stats.unique
    assert stats.complete is (stats.missing == 0)


# ----------------------------------------------------------------------------- faults


@pytest.mark.parametrize("kind", ["500", "drop", "html502", "html200", "truncated"])
def test_passing_faults_are_retried(make_sandbox: Callable[..., Sandbox], events: Events, kind: str) -> None:
    sb = make_sandbox(rate_limit=None)
    with client_for(sb, on_event=events) as client:
        expected = client.me()
        sb.inject(kind, count=2)
        assert client.me() == expected
        assert client.stats.retries == 2
    assert len(events.of(Retrying)) == 2


@pytest.mark.parametrize(
    ("kind", "words"),
    [("html200", "web page"), ("html502", "problem"), ("truncated", "cut off"), ("drop", "cut off")],
)
def test_lasting_faults_end_in_a_clear_error(
    make_sandbox: Callable[..., Sandbox], kind: str, words: str
) -> None:
    sb = make_sandbox(rate_limit=None)
    with client_for(sb, max_attempts=2) as client:
        sb.inject(kind, count=5)
        with pytest.raises((BadResponseError, TransientApiError)) as info:
            client.me()
    assert words in info.value.message
    assert info.value.endpoint == "me"


def test_unreachable_host_says_so(unused_port: int) -> None:
    conn = Connection(
        "Nowhere", "acc", "key-unreachable-1234", base_url=f"http://127.0.0.1:{unused_port}/v2/"
    )
    with (
        DearClient(conn, governor=RateGovernor(FAST), max_attempts=2) as client,
        pytest.raises(TransientApiError) as info,
    ):
        client.me()
    assert info.value.message == f"Could not reach DEAR at 127.0.0.1:{unused_port}."


@pytest.fixture
def unused_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    yield port


# ----------------------------------------------------------------------------- throttling


@pytest.mark.parametrize("status", [503, 429, 400])
def test_throttle_answers_wait_and_lose_nothing(
    make_sandbox: Callable[..., Sandbox], events: Events, status: int
) -> None:
    sb = make_sandbox(rate_limit=(5, 1.0), throttle_status=status, counts={"customer": 60})
    # Our governor believes in a larger budget, so DEAR (the sandbox) has to say no.
    with client_for(sb, RateLimit(50, 1.0), on_event=events) as client:
        rows, stats = collect(client, "customer", "CustomerList", params=ALL, page_size=5)
        throttled = client.stats.throttled
    assert len(rows) == 60 and len(set(ids_of(rows))) == 60 and stats.complete
    assert throttled >= 1
    assert sb.throttled_count == throttled
    seen = events.of(Throttled)
    assert {e.status for e in seen} == {status}
    assert all(0 < e.wait_seconds <= 60 for e in seen)


def test_alone_within_our_budget_we_are_never_throttled(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=(5, 1.0), counts={"customer": 60})
    with client_for(sb, RateLimit(5, 1.0)) as client:
        rows, _ = collect(client, "customer", "CustomerList", params=ALL, page_size=5)
        assert client.stats.throttled == 0
        assert client.stats.calls == 12  # 60 records, 5 a page: Total reached on page 12
    assert len(rows) == 60
    assert sb.throttled_count == 0


def test_endless_throttling_becomes_rate_limited(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=(1, 60.0), throttle_status=429)
    with client_for(sb, max_throttle_seconds=1.0) as client:
        client.me()
        started = time.monotonic()
        with pytest.raises(RateLimitedError) as info:
            client.me()
    assert time.monotonic() - started < 5
    assert "API limit" in info.value.message


# ----------------------------------------------------------------------------- errors and secrets


def test_wrong_key_is_an_authentication_error_without_the_key(
    make_sandbox: Callable[..., Sandbox], caplog: pytest.LogCaptureFixture
) -> None:
    sb = make_sandbox(rate_limit=None)
    wrong = "wrong-key-0f3c9a1e-77d2-4b8e-a5a5-123456789abc"
    caplog.set_level(logging.DEBUG)
    conn = connect(sb, application_key=wrong)
    with DearClient(conn, governor=RateGovernor(FAST)) as client:
        with pytest.raises(AuthenticationError) as info:
            client.me()
        assert client.stats.calls == 1  # no retry
        assert repr(client) == "DearClient(connection='Test company')"
    error = info.value
    assert error.message == "DEAR did not accept this Account ID and key."
    assert "Integrations → API" in error.hint
    for text in (str(error), error.details, repr(error), caplog.text):
        assert wrong not in text
        assert sb.application_key not in text


# ----------------------------------------------------------------------------- cancellation


def test_cancel_while_waiting_for_the_limit(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None)
    with client_for(sb, RateLimit(1, 60.0)) as client:
        client.me()
        token = cancel_after(0.3)
        started = time.monotonic()
        with pytest.raises(Cancelled):
            client.me(cancel=token)
    assert time.monotonic() - started < 1.3


def test_cancel_during_a_back_off(make_sandbox: Callable[..., Sandbox], events: Events) -> None:
    sb = make_sandbox(rate_limit=None)
    token = CancelToken()

    def on_event(event: ApiEvent) -> None:
        events(event)
        if isinstance(event, Retrying) and event.attempt == 2:
            threading.Timer(0.1, token.cancel).start()

    with client_for(sb, on_event=on_event) as client:
        sb.inject("500", count=10)
        with pytest.raises(Cancelled):
            client.me(cancel=token)
        cancelled_at = time.monotonic()
    retry_two = events.of(Retrying)[1]
    assert retry_two.wait_seconds >= 0.5  # the back-off was longer than the cancel delay
    assert len(events.of(CallMade)) == 2  # no third attempt after the cancel
    assert time.monotonic() - cancelled_at < 1.0


def test_cancel_stops_a_listing(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None, counts={"customer": 200})
    with client_for(sb, RateLimit(3, 60.0)) as client:
        token = cancel_after(0.3)
        started = time.monotonic()
        with pytest.raises(Cancelled):
            collect(client, "customer", "CustomerList", params=ALL, page_size=10, cancel=token)
    assert time.monotonic() - started < 1.3


# ----------------------------------------------------------------------------- detail fan-out


def test_details_come_back_in_input_order(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None, latency_ms=5)
    with client_for(sb) as client:
        rows, _ = collect(client, "saleList", "SaleList", id_field="SaleID")
        ids = [r["SaleID"] for r in rows][:40]
        wanted = ids[::-1]
        got = list(client.fetch_details("sale", "ID", iter(wanted)))
    assert [i for i, _ in got] == wanted
    assert [str(doc["ID"]).lower() for _, doc in got] == [i.lower() for i in wanted]


def test_clients_on_one_key_share_one_governor(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None)
    first = DearClient(connect(sb, RateLimit(7, 1.0)))
    second = DearClient(connect(sb, RateLimit(7, 1.0), name="Same key"))
    try:
        assert first.governor is second.governor
    finally:
        first.close()
        second.close()


def test_rejected_filter_is_named_with_deards_words(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None)
    with client_for(sb) as client:
        with pytest.raises(RequestRejectedError) as info:
            collect(client, "saleList", "SaleList", params={"UpdatedSince": "last tuesday"})
        assert client.stats.calls == 1  # a rejected request is not retried
    error = info.value
    assert error.status == 400
    assert error.endpoint == "saleList"
    assert "UpdatedSince" in error.message
    assert "is not a valid value" in error.message  # DEAR's own text, quoted


def test_unknown_address_is_rejected_not_retried(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None)
    with client_for(sb) as client:
        with pytest.raises(RequestRejectedError) as info:
            client.get("noSuchList")
        assert client.stats.calls == 1
    assert info.value.message == "DEAR does not know the address noSuchList."


def test_events_and_stats_tell_the_story(make_sandbox: Callable[..., Sandbox], events: Events) -> None:
    sb = make_sandbox(rate_limit=None)
    with client_for(sb, RateLimit(2, 0.5), on_event=events) as client:
        for _ in range(3):
            client.me()
        stats = client.stats
    assert stats.calls == 3 == len(events.of(CallMade))
    assert all(e.status == 200 and e.path == "me" for e in events.of(CallMade))
    waits = events.of(Waiting)
    assert len(waits) == 1 and waits[0].reason == "limit" and 0 < waits[0].seconds <= 0.6
    assert 0.2 < stats.waited_seconds < 1.0


def test_another_program_on_the_same_key_costs_time_not_records(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=(5, 1.0), counts={"customer": 60})
    stop = threading.Event()

    def other_program() -> None:
        # Spends part of the same budget outside our governor, ignoring every refusal.
        with requests.Session() as session:
            while not stop.wait(0.3):
                session.get(sb.base_url + "me", headers=sb.headers, timeout=5)

    thread = threading.Thread(target=other_program)
    thread.start()
    try:
        with client_for(sb, RateLimit(5, 1.0)) as client:
            rows, stats = collect(client, "customer", "CustomerList", params=ALL, page_size=5)
            ours = client.stats
    finally:
        stop.set()
        thread.join()
    assert len(rows) == 60 and len(set(ids_of(rows))) == 60
    assert stats.complete and stats.unique == stats.total == 60
    assert ours.calls == 12 + ours.throttled  # every refused page was asked for again, nothing else


def test_creating_a_client_registers_the_key_for_redaction() -> None:
    key = "fresh-key-7d1e2c3b-aaaa-bbbb-cccc-0123456789ab"
    conn = Connection("Registered", "acc", key, base_url="http://127.0.0.1:9/v2/")
    with DearClient(conn, governor=RateGovernor(FAST)) as client:
        assert redact(f"header was {key}") == "header was ••••••••"
        assert key not in repr(client) and key not in repr(client.governor)
