"""A look-up in several companies at once: one table with a Company column, a refused company named."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.errors import AuthenticationError
from app.models import Connection, RateLimit
from app.sandbox import Sandbox
from app.services.lookup import LookupKind, LookupService
from app.services.lookup_companies import search_companies


def connection(sb: Sandbox, name: str, key: str = "") -> Connection:
    return Connection(name, sb.account_id, key or sb.application_key, sb.base_url, RateLimit(1000, 1))


def test_a_sku_is_found_in_every_company_with_the_company_first(make_sandbox: Callable[..., Sandbox]) -> None:
    # The same seed: the same SKUs in both companies, as a group selling one range in two countries.
    north, south = make_sandbox(rate_limit=None, seed=41), make_sandbox(rate_limit=None, seed=41)
    lookup = LookupService()
    sku = north.dataset.row("product", 0)["SKU"]
    alone = lookup.search(connection(north, "North"), LookupKind.PRODUCTS, sku)
    assert alone.rows

    both = search_companies(
        lookup, [connection(north, "North"), connection(south, "South")], LookupKind.PRODUCTS, sku
    )

    assert both.headers == ("Company", *alone.headers)
    assert both.rows == tuple(("North", *row) for row in alone.rows) + tuple(
        ("South", *row) for row in alone.rows
    )
    assert both.calls == 2 * alone.calls


def test_a_refused_company_is_named_and_the_others_shown(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None, seed=42)
    sku = sb.dataset.row("product", 0)["SKU"]
    result = search_companies(
        LookupService(),
        [connection(sb, "Good"), connection(sb, "Refused", key="wrong-key-xyz")],
        LookupKind.PRODUCTS,
        sku,
    )
    assert result.rows and {row[0] for row in result.rows} == {"Good"}
    assert "Refused could not be searched" in result.note


def test_every_company_refused_raises_the_first_error(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None, seed=43)
    wrong = [connection(sb, "A", key="wrong-1"), connection(sb, "B", key="wrong-2")]
    with pytest.raises(AuthenticationError):
        search_companies(LookupService(), wrong, LookupKind.PRODUCTS, "anything")
