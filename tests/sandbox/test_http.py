"""The HTTP behaviour: auth, unknown paths and methods, case-insensitivity, throttling, faults, counters."""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable

import pytest
import requests

from app.sandbox import Sandbox
from tests.sandbox.conftest import Get, call


def test_wrong_or_missing_credentials_get_403(sandbox: Sandbox) -> None:
    for headers in (
        {},
        {"api-auth-accountid": sandbox.account_id},
        {"api-auth-accountid": sandbox.account_id, "api-auth-applicationkey": "0" * 36},
        {"api-auth-applicationkey": sandbox.application_key},
    ):
        response = call(sandbox, "me", headers=headers)
        assert response.status_code == 403
        assert response.text == "Incorrect credentials!"


def test_credentials_are_fixed_per_seed_and_guid_shaped(make_sandbox: Callable[..., Sandbox]) -> None:
    a, b, c = make_sandbox(seed=1), make_sandbox(seed=1), make_sandbox(seed=2)
    assert (a.account_id, a.application_key) == (b.account_id, b.application_key)
    assert a.application_key != c.application_key
    assert len(a.application_key) == 36 and a.application_key.count("-") == 4
    assert a.application_key not in repr(a)


def test_unknown_path_is_an_html_404_and_writes_are_405(sandbox: Sandbox) -> None:
    response = call(sandbox, "noSuchThing")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html") and "Page not found" in response.text
    assert requests.get(sandbox.base_url.replace("/v2/", "/v9/") + "me", timeout=10).status_code == 404
    for method in ("post", "put", "delete"):
        answer = requests.request(
            method, sandbox.base_url + "sale", headers=sandbox.headers, json={}, timeout=10
        )
        assert answer.status_code == 405


def test_paths_and_parameter_names_are_case_insensitive(sandbox: Sandbox) -> None:
    url = sandbox.base_url.replace("ExternalApi", "externalapi")
    expected = call(sandbox, "saleList", {"Page": 2, "Limit": 3}).json()
    for path, params in (("salelist", {"page": 2, "limit": 3}), ("SALELIST", {"PAGE": 2, "LiMiT": 3})):
        answer = requests.get(url + path, params=params, headers=sandbox.headers, timeout=10)
        assert answer.json() == expected
    assert call(sandbox, "REF/Location", {"name": "sydney"}).json()["Total"] == 4


def test_keep_alive_serves_many_requests_on_one_connection(sandbox: Sandbox) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=10)
    for _ in range(3):
        connection.request("GET", "/ExternalApi/v2/me", headers=sandbox.headers)
        response = connection.getresponse()
        assert response.status == 200 and b"Demo Company" in response.read()
    sock = connection.sock
    connection.request("GET", "/ExternalApi/v2/ref/unit", headers=sandbox.headers)
    connection.getresponse().read()
    assert connection.sock is sock  # the same socket, not a new connection
    connection.close()


# --------------------------------------------------------------------------- the API limit


def test_the_61st_call_inside_60_seconds_is_throttled_with_503(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox()
    session = requests.Session()
    statuses = [call(sb, "ref/unit", session=session).status_code for _ in range(60)]
    assert statuses == [200] * 60
    throttled = call(sb, "ref/unit", session=session)
    assert throttled.status_code == 503
    assert throttled.json() == [
        {"ErrorCode": 503, "Exception": "You have reached 60 calls per 60 seconds API limit."}
    ]
    assert sb.throttled_count == 1
    assert sb.call_counts()["ref/unit"] == 61


def test_429_variant_has_dear_headers_and_200s_have_none(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=(2, 60.0), throttle_status=429)
    ok = call(sb, "me")
    assert not {h.lower() for h in ok.headers} & {"retry-after", "x-ratelimit-limit", "x-ratelimit-remaining"}
    call(sb, "me")
    throttled = call(sb, "me")
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "60 Seconds"
    assert throttled.headers["x-ratelimit-limit"] == "2"
    assert throttled.headers["x-ratelimit-remaining"] == "0"
    assert 1 <= int(throttled.headers["x-ratelimit-reset"]) <= 60
    assert throttled.json()[0]["Exception"] == "You have reached 2 calls per 60 seconds API limit."


def test_400_variant_and_the_limit_is_per_key(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=(1, 60.0), throttle_status=400)
    assert call(sb, "me").status_code == 200
    answer = call(sb, "me")
    assert answer.status_code == 400
    assert answer.json() == [
        {"ErrorCode": 400, "Exception": "You have reached 1 calls per 60 seconds API limit."}
    ]
    # a request with the wrong key is refused for its credentials, not counted against the real key's window
    assert call(sb, "me", headers={**sb.headers, "api-auth-applicationkey": "x"}).status_code == 403


def test_compressed_window_recovers_after_it_slides(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=(5, 1.0))
    assert [call(sb, "me").status_code for _ in range(5)] == [200] * 5
    blocked_at = time.monotonic()
    blocked = call(sb, "me")
    assert blocked.status_code == 503
    assert blocked.json()[0]["Exception"] == "You have reached 5 calls per 1 seconds API limit."
    # the window is time itself: wait until the sixth (throttled) call has slid out too
    time.sleep(max(0.0, blocked_at + 1.05 - time.monotonic()))
    assert call(sb, "me").status_code == 200


def test_configure_changes_the_limit_at_run_time(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None)
    assert all(call(sb, "me").status_code == 200 for _ in range(5))
    sb.configure(rate_limit=(1, 60), throttle_status=429)
    assert call(sb, "me").status_code == 200
    assert call(sb, "me").status_code == 429
    with pytest.raises(ValueError, match="cannot change"):
        sb.configure(seed=3)


# --------------------------------------------------------------------------- faults


def test_injected_500_has_a_json_error_body(sandbox: Sandbox) -> None:
    sandbox.inject("500")
    answer = call(sandbox, "me")
    assert answer.status_code == 500 and answer.json()[0]["ErrorCode"] == 500
    assert call(sandbox, "me").status_code == 200  # count=1: only the next request


def test_injected_drop_closes_without_an_answer(sandbox: Sandbox) -> None:
    sandbox.inject("drop")
    with pytest.raises(requests.ConnectionError):
        call(sandbox, "me")
    assert call(sandbox, "me").status_code == 200


@pytest.mark.parametrize(("kind", "status"), [("html502", 502), ("html200", 200)])
def test_injected_html_pages(sandbox: Sandbox, kind: str, status: int) -> None:
    sandbox.inject(kind)
    answer = call(sandbox, "me")
    assert answer.status_code == status and answer.headers["Content-Type"].startswith("text/html")
    assert answer.text.lstrip().startswith("<!DOCTYPE html>")


def test_injected_truncated_json_is_a_200_that_does_not_parse(sandbox: Sandbox) -> None:
    full = call(sandbox, "saleList", {"Limit": 3}).content
    sandbox.inject("truncated")
    cut = call(sandbox, "saleList", {"Limit": 3})
    assert cut.status_code == 200 and 0 < len(cut.content) < len(full)
    assert full.startswith(cut.content)
    with pytest.raises(ValueError):
        cut.json()


def test_injection_can_target_one_path_and_count(sandbox: Sandbox) -> None:
    sandbox.inject("500", count=2, path="saleList")
    assert call(sandbox, "me").status_code == 200
    assert [call(sandbox, "saleList").status_code for _ in range(3)] == [500, 500, 200]
    assert sandbox.fault_count == 2
    with pytest.raises(ValueError, match="Unknown fault"):
        sandbox.inject("meteor")


def test_fault_rate_mixes_every_kind_of_fault(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None, fault_rate=1.0)
    outcomes = set()
    for _ in range(40):
        try:
            answer = call(sb, "me")
        except requests.ConnectionError:
            outcomes.add("drop")
            continue
        kind = answer.headers["Content-Type"].split(";")[0]
        outcomes.add(f"{answer.status_code} {kind}")
    assert outcomes == {
        "drop",
        "500 application/json",
        "502 text/html",
        "200 text/html",
        "200 application/json",
    }
    assert sb.fault_count == 40
    sb.configure(fault_rate=0.0)
    assert call(sb, "me").json()["Company"] == "Demo Company (sample data)"


def test_latency_is_added_to_each_answer(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None, latency_ms=150)
    started = time.monotonic()
    call(sb, "me")
    assert time.monotonic() - started >= 0.15


# --------------------------------------------------------------------------- shuffle and counters


def test_shuffle_pages_changes_the_order_between_requests(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None, shuffle_pages=True)
    first = [r["SaleID"] for r in call(sb, "saleList", {"Limit": 300}).json()["SaleList"]]
    second = [r["SaleID"] for r in call(sb, "saleList", {"Limit": 300}).json()["SaleList"]]
    assert sorted(first) == sorted(second) and first != second
    naive = []
    for number in range(1, 7):
        naive += [r["SaleID"] for r in call(sb, "saleList", {"Page": number, "Limit": 50}).json()["SaleList"]]
    assert len(naive) == 300 and len(set(naive)) < 300  # naive paging duplicates and misses rows


def test_call_counts_per_path_and_reset(api: Get, sandbox: Sandbox) -> None:
    api("saleList")
    api("SaleList")
    api("ref/location")
    sandbox.inject("500")
    call(sandbox, "me")
    call(sandbox, "me", headers={})
    counts = sandbox.call_counts()
    assert counts == {"salelist": 2, "ref/location": 1, "me": 2, "_throttled": 0, "_faults": 1, "_total": 5}
    sandbox.reset_counts()
    assert sandbox.call_counts() == {"_throttled": 0, "_faults": 0, "_total": 0}


def test_stats_and_control_over_http(sandbox: Sandbox) -> None:
    root = sandbox.base_url.split("/ExternalApi")[0]
    call(sandbox, "saleList")
    stats = requests.get(root + "/_sandbox/stats", timeout=10).json()
    assert stats == {"counts": {"salelist": 1}, "throttled": 0, "faults": 0, "total": 1}
    sale = sandbox.dataset.sales[10]
    changed = requests.post(
        root + "/_sandbox/touch", json={"kind": "sale", "ids": [sale["SaleID"]]}, timeout=10
    )
    assert changed.json() == {"ids": [sale["SaleID"]]}
    assert sandbox.dataset.sales[10]["Updated"] > sale["Updated"]
    assert requests.post(root + "/_sandbox/touch", json={"kind": "nope"}, timeout=10).status_code == 400
    requests.post(root + "/_sandbox/reset", timeout=10)
    assert requests.get(root + "/_sandbox/stats", timeout=10).json()["total"] == 0
