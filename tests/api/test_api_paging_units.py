"""Finding the record array in DEAR's list answers and keying records for de-duplication."""

from __future__ import annotations

import pytest

from app.api.client import estimate_seconds
from app.api.paging import extract_records, read_total, record_key
from app.errors import BadResponseError
from app.models import RateLimit


def test_documented_key_alternative_and_fallback() -> None:
    body = {"Total": 1, "Page": 1, "SaleList": [{"SaleID": "a"}]}
    assert extract_records(body, "SaleList") == [{"SaleID": "a"}]
    assert extract_records(
        {"Total": 1, "StockAdjustmentList": [1]}, "StockTakeList", ("StockAdjustmentList",)
    ) == [1]
    assert extract_records({"Total": 1, "opportunityList": [2]}, "OpportunityList") == [2]
    assert extract_records({"Page": 1, "Total": 1, "Whatever": [3]}, "SaleList") == [3]
    assert extract_records([{"a": 1}], None) == [{"a": 1}]
    assert extract_records({"Total": 0, "Page": 1, "SaleList": None}, "SaleList") == []
    assert read_total({"Page": 1, "total": "12"}) == 12
    assert read_total({"Page": 1}) is None


def test_unexpected_shape_is_a_bad_response() -> None:
    with pytest.raises(BadResponseError) as info:
        extract_records({"ID": "x", "Name": "not a list"}, "SaleList", path="saleList")
    assert "saleList" in info.value.message


def test_record_key_is_case_insensitive_and_never_merges_distinct_records() -> None:
    guid = "5F8EE220-1111-2222-3333-444455556666"
    assert record_key({"ID": guid}, "ID") == record_key({"ID": guid.lower()}, "ID")
    assert record_key({"ID": "a", "Location": "X"}, ("ID", "Location")) != record_key(
        {"ID": "a", "Location": "Y"}, ("ID", "Location")
    )
    # Without an ID only an identical record is the same record.
    assert record_key({"Name": "a"}, "ID") != record_key({"Name": "b"}, "ID")
    assert record_key({"Name": "a", "X": 1}, "ID") == record_key({"X": 1, "Name": "a"}, "ID")


def test_estimate_seconds() -> None:
    minutes = estimate_seconds(5000, RateLimit(60, 60.0)) / 60
    assert 83 <= minutes <= 85
    assert estimate_seconds(0, RateLimit(60, 60.0)) == 0.0
    # What fits in a fresh window goes at once (four at a time); the rest waits for slots.
    assert estimate_seconds(20, RateLimit(60, 60.0)) == pytest.approx(2.5)
    assert estimate_seconds(30, RateLimit(30, 3.0), latency=0) == 0.0
    assert estimate_seconds(60, RateLimit(30, 3.0), latency=0) == pytest.approx(3.0)
    # Mid-export the window may be full: then every call waits its turn.
    assert estimate_seconds(30, RateLimit(30, 3.0), latency=0, available_now=0) == pytest.approx(3.0)
