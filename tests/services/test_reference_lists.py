"""DEAR's reference lists for picking by name: real HTTP against the sandbox, checked against it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from app import catalogue
from app.catalogue.name_lists import LISTS, picker_for
from app.errors import AuthenticationError
from app.models import Connection, RateLimit
from app.sandbox import Sandbox
from app.services import reference_lists
from app.services.reference_lists import ReferenceLists


def _connection(sb: Sandbox, key: str | None = None, name: str = "Test company") -> Connection:
    return Connection(name, sb.account_id, key or sb.application_key, sb.base_url, RateLimit(1000, 1))


def _raw(sb: Sandbox, path: str, list_key: str, **params: Any) -> list[dict[str, Any]]:
    response = requests.get(sb.base_url + path, params=params, headers=sb.headers, timeout=30)
    assert response.status_code == 200
    return response.json()[list_key]


def test_locations_are_read_by_name_with_their_ids(sandbox: Sandbox) -> None:
    result = ReferenceLists().fetch(_connection(sandbox), "locations")
    raw = _raw(sandbox, "ref/location", "LocationList", Page=1, Limit=1000)
    expected = sorted(((r["Name"], r["ID"]) for r in raw), key=lambda pair: pair[0].casefold())
    assert [(c.label, c.value("ID")) for c in result.choices] == expected
    assert result.complete and len(result.choices) > 1


def test_accounts_show_code_and_name_and_send_the_code(sandbox: Sandbox) -> None:
    result = ReferenceLists().fetch(_connection(sandbox), "accounts")
    raw = _raw(sandbox, "ref/account", "AccountsList", Page=1, Limit=1000)
    first = next(c for c in result.choices)
    match = next(r for r in raw if r["Code"] == first.value("Code"))
    assert first.label == f"{match['Code']} · {match['Name']}"


def test_a_long_list_is_read_page_by_page(make_sandbox: Callable[..., Sandbox], monkeypatch) -> None:
    sb = make_sandbox(rate_limit=None, counts={"customer": 130})
    monkeypatch.setattr(reference_lists, "PAGE", 50)
    result = ReferenceLists().fetch(_connection(sb), "customers")
    assert sb.stats()["counts"]["customer"] == 3
    names = {r["Name"] for r in _raw(sb, "customer", "CustomerList", Page=1, Limit=1000)}
    assert {c.label for c in result.choices} == names
    monkeypatch.setattr(reference_lists, "MAX_PAGES", 2)
    capped = ReferenceLists().fetch(_connection(sb), "customers")
    assert not capped.complete and len(capped.choices) == 100


def test_lists_are_kept_per_connection(sandbox: Sandbox) -> None:
    lists = ReferenceLists()
    acme = _connection(sandbox)
    first = lists.fetch(acme, "carriers")
    before = sandbox.stats()["counts"].get("ref/carrier", 0)
    assert lists.fetch(acme, "carriers") is first  # kept: no request
    assert sandbox.stats()["counts"].get("ref/carrier", 0) == before
    other = _connection(sandbox, name="Other company")
    assert lists.cached(other, "carriers") is None
    lists.fetch(other, "carriers")
    assert sandbox.stats()["counts"]["ref/carrier"] == before + 1
    lists.forget(acme)
    assert lists.cached(acme, "carriers") is None and lists.cached(other, "carriers") is not None


def test_a_refused_key_names_the_list_in_a_sentence(sandbox: Sandbox) -> None:
    with pytest.raises(AuthenticationError) as caught:
        ReferenceLists().fetch(_connection(sandbox, key="wrong-key"), "locations")
    assert caught.value.message == (
        "DEAR refused access to the list of locations: this Account ID and Application Key are not "
        "allowed to read reference lists."
    )


def test_every_picker_names_a_list_and_a_field_it_keeps() -> None:
    for spec in catalogue.ENDPOINTS:
        for filter_spec in spec.filters:
            picker = picker_for(spec, filter_spec.name)
            if picker is None:
                continue
            item = LISTS[picker.list_key]
            assert picker.value_field in item.fields, (spec.key, filter_spec.name)
            catalogue.get(item.report)  # the list is read through a real catalogue entry
    assert picker_for(catalogue.get("sale-order-lines"), "OrderLocationID") is not None


def test_a_kept_list_is_read_again_after_a_while(sandbox: Sandbox) -> None:
    now = [1000.0]
    lists = ReferenceLists(keep_seconds=60, clock=lambda: now[0])
    acme = _connection(sandbox)
    lists.fetch(acme, "carriers")
    now[0] += 59
    assert lists.cached(acme, "carriers") is not None
    now[0] += 2
    assert lists.cached(acme, "carriers") is None
    before = sandbox.stats()["counts"]["ref/carrier"]
    lists.fetch(acme, "carriers")
    assert sandbox.stats()["counts"]["ref/carrier"] == before + 1
