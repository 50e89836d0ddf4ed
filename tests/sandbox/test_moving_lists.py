"""Lists that move while they are read (``drift_rows``): rows cross page boundaries between requests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from app.sandbox import Sandbox, SandboxConfig
from tests.sandbox.conftest import call

LISTS = (
    ("saleList", "SaleList", "SaleID"),
    ("product", "Products", "ID"),
    ("customer", "CustomerList", "ID"),
)


def _ids(sb: Sandbox, path: str, key: str, field: str, **params: Any) -> list[str]:
    answer = call(sb, path, params)
    assert answer.status_code == 200, answer.text[:300]
    return [row[field] for row in answer.json()[key]]


def _walk(sb: Sandbox, path: str, key: str, field: str, limit: int, **params: Any) -> tuple[list[str], int]:
    """Walk the pages naively (Page 1, 2, ... until Page*Limit >= Total); return IDs seen and Total."""
    seen: list[str] = []
    number, total = 1, 1
    while (number - 1) * limit < total:
        body = call(sb, path, {**params, "Page": number, "Limit": limit}).json()
        assert body["Page"] == number
        total = body["Total"]
        seen += [row[field] for row in body[key]]
        number += 1
    return seen, total


@pytest.mark.parametrize(("path", "key", "field"), LISTS)
def test_without_drift_a_naive_walk_sees_every_record_once(
    make_sandbox: Callable[..., Sandbox], path: str, key: str, field: str
) -> None:
    sb = make_sandbox(rate_limit=None)
    everything = _ids(sb, path, key, field, Limit=1000)
    for limit in (7, 25, 100):
        seen, total = _walk(sb, path, key, field, limit)
        assert seen == everything and total == len(everything)


@pytest.mark.parametrize(("path", "key", "field"), LISTS)
def test_with_drift_a_naive_walk_misses_and_repeats_records(
    make_sandbox: Callable[..., Sandbox], path: str, key: str, field: str
) -> None:
    sb = make_sandbox(rate_limit=None, drift_rows=4)
    everything = set(_ids(sb, path, key, field, Limit=1000))
    seen, total = _walk(sb, path, key, field, 10)
    assert total == len(everything)  # the Total stays right on every page
    missed = everything - set(seen)
    repeated = {i for i in seen if seen.count(i) > 1}
    assert missed and repeated
    assert set(seen) <= everything  # nothing invented


def test_every_answer_lists_each_record_once_with_the_right_total(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sb = make_sandbox(rate_limit=None, drift_rows=25)
    expected = sorted(r["SaleID"] for r in sb.dataset.sales)
    for _ in range(5):
        body = call(sb, "saleList", {"Limit": 1000}).json()
        assert body["Total"] == 300
        assert sorted(r["SaleID"] for r in body["SaleList"]) == expected
    # filters still choose the same records, in the drifted order
    completed = sorted(r["SaleID"] for r in sb.dataset.sales if r["Status"] == "COMPLETED")
    body = call(sb, "saleList", {"Status": "COMPLETED", "Limit": 1000}).json()
    assert body["Total"] == len(completed) and sorted(r["SaleID"] for r in body["SaleList"]) == completed


def test_each_request_moves_exactly_the_set_number_of_rows(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None, drift_rows=1)
    before = _ids(sb, "saleList", "SaleList", "SaleID", Limit=1000)
    changed = 0
    for _ in range(6):
        after = _ids(sb, "saleList", "SaleList", "SaleID", Limit=1000)
        # one row moved (or stayed where it was): without it, both orders are the same
        assert any([i for i in before if i != moved] == [i for i in after if i != moved] for moved in before)
        changed += before != after
        before = after
    assert changed >= 4  # the order drifts; it is not a fresh shuffle, and not frozen


def test_drift_can_be_set_at_run_time_and_over_http(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None)
    first = _ids(sb, "product", "Products", "ID", Limit=1000)
    assert _ids(sb, "product", "Products", "ID", Limit=1000) == first
    sb.configure(drift_rows=3)
    assert _ids(sb, "product", "Products", "ID", Limit=1000) != first
    root = sb.base_url.split("/ExternalApi")[0]
    answer = requests.post(root + "/_sandbox/configure", json={"drift_rows": 0}, timeout=10)
    assert answer.json() == {"ok": True} and sb.config.drift_rows == 0
    settled = _ids(sb, "product", "Products", "ID", Limit=1000)
    assert _ids(sb, "product", "Products", "ID", Limit=1000) == settled  # the moved order stays, still
    bad = requests.post(root + "/_sandbox/configure", json={"drift_rows": -1}, timeout=10)
    assert bad.status_code == 400 and "negative" in bad.json()[0]["Exception"]


def test_pages_cached_before_the_list_moved_are_not_served_after(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sb = make_sandbox(rate_limit=None)
    for number in (1, 2, 3):  # these answers are cached
        call(sb, "saleList", {"Page": number, "Limit": 25})
    sb.configure(drift_rows=20)
    for _ in range(5):
        call(sb, "saleList", {"Limit": 1000})
    sb.configure(drift_rows=0)
    seen, _ = _walk(sb, "saleList", "SaleList", "SaleID", 25)
    assert len(seen) == len(set(seen)) == 300


def test_negative_drift_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        SandboxConfig(drift_rows=-1)
