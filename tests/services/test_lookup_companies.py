"""A look-up in several companies at once: one table with a Company column, a refused company named."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from app.errors import AuthenticationError
from app.models import ColumnSpec, Connection, RateLimit
from app.sandbox import Sandbox
from app.services.exporting.company_keys import KeylessConnection
from app.services.lookup import LookupKind, LookupResult, LookupService
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


def test_a_company_with_more_columns_pads_the_others(make_sandbox: Callable[..., Sandbox]) -> None:
    # One company's products get extra columns after the stock (as the latest movements do when
    # few products are found); the other's rows get empty cells there, so the table stays square.
    north, south = make_sandbox(rate_limit=None, seed=44), make_sandbox(rate_limit=None, seed=44)
    extra = ColumnSpec("Extra", "Extra")

    def widen(connection: Connection, result: LookupResult, cancel: object) -> LookupResult:
        if connection.name != "North":
            return result
        return replace(
            result, columns=(*result.columns, extra), rows=tuple((*row, "x") for row in result.rows)
        )

    sku = north.dataset.row("product", 0)["SKU"]
    lookup = LookupService()
    alone = lookup.search(connection(south, "South"), LookupKind.PRODUCTS, sku)
    both = search_companies(
        lookup, [connection(south, "South"), connection(north, "North")], LookupKind.PRODUCTS, sku, then=widen
    )
    assert both.headers == ("Company", *alone.headers, "Extra")
    assert both.rows == tuple(("South", *row, None) for row in alone.rows) + tuple(
        ("North", *row, "x") for row in alone.rows
    )


def test_a_company_whose_key_is_missing_is_named_and_never_asked(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sb = make_sandbox(rate_limit=None, seed=45)
    gone = KeylessConnection("Gone", account_id="", application_key="", problem="The key is missing.")
    sku = sb.dataset.row("product", 0)["SKU"]
    result = search_companies(LookupService(), [gone, connection(sb, "Here")], LookupKind.PRODUCTS, sku)
    assert {row[0] for row in result.rows} == {"Here"}
    assert result.note.startswith("Gone could not be searched: The key is missing.")


def test_companies_with_the_same_note_share_it(make_sandbox: Callable[..., Sandbox]) -> None:
    north, south = make_sandbox(rate_limit=None, seed=46), make_sandbox(rate_limit=None, seed=46)
    sku = north.dataset.row("product", 0)["SKU"]
    lookup = LookupService()
    alone = lookup.search(connection(north, "North"), LookupKind.PRODUCTS, sku)
    both = search_companies(
        lookup, [connection(north, "North"), connection(south, "South")], LookupKind.PRODUCTS, sku
    )
    assert alone.note and both.note == f"North and South: {alone.note}"
