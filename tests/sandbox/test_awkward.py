"""The demo company shows a business; the test sandbox keeps its awkward strings (real HTTP)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import requests

from app.sandbox import Sandbox, awkward
from app.services.demo import DemoSession

# Every list a visitor is likely to export, and a few documents with product names in their lines.
LISTS = (
    ("customer", "CustomerList"),
    ("supplier", "SupplierList"),
    ("product", "Products"),
    ("saleList", "SaleList"),
)


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def answers(base_url: str, headers: dict[str, str]) -> list[Any]:
    got: list[Any] = []
    with requests.Session() as session:
        for path, key in LISTS:
            body = session.get(f"{base_url}{path}", params={"Page": 1, "Limit": 1000}, headers=headers).json()
            got.append(body)
            if path == "saleList":
                for row in body[key][:20]:
                    got.append(
                        session.get(f"{base_url}sale", params={"ID": row["SaleID"]}, headers=headers).json()
                    )
    return got


def odd_strings(bodies: list[Any]) -> list[str]:
    return sorted(
        {text[:40] for body in bodies for text in strings(body) if awkward.looks_like_test_data(text)}
    )


@contextmanager
def demo_company() -> Iterator[tuple[str, dict[str, str]]]:
    """The demo's sandbox, running for the block: its address and the headers that sign in to it."""
    with DemoSession(rate_limit=None, latency_ms=0) as demo:
        connection = demo.connection
        assert connection is not None
        headers = {
            "api-auth-accountid": connection.account_id,
            "api-auth-applicationkey": connection.application_key,
        }
        yield connection.base_url, headers


def test_the_demo_company_has_no_test_strings() -> None:
    with demo_company() as (base_url, headers):
        bodies = answers(base_url, headers)
    assert odd_strings(bodies) == []
    names = [row["Name"] for row in bodies[0]["CustomerList"]]
    assert "Greenlane Garden Centre" in names
    assert any(name.startswith("Parnell Retail ") for name in names)
    # names in other scripts stay: real companies have them
    assert any(name.startswith("شركة الأمل للتجارة") for name in names)


def test_the_test_sandbox_keeps_them(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None)
    found = odd_strings(answers(sb.base_url, sb.headers))
    assert '=HYPERLINK("http://x","click")' in found
    assert "=SUM(A1:A9)" in found and any(text.startswith("+Plus Retail ") for text in found)
    assert any("\x00" in text for text in found)  # the control characters of a product description
    assert any(len(text) == 40 and text.startswith("Extremely long") for text in found)


def test_tidy_keeps_ordinary_values_and_replaces_inside_descriptions() -> None:
    assert awkward.tidy({"a": [1, None, "Zoë's Café 9"]}) == {"a": [1, None, "Zoë's Café 9"]}
    assert awkward.tidy("A well made =sum(a1:a9).") == "A well made walnut serving board."
    assert not awkward.looks_like_test_data(awkward.tidy(awkward.CONTROL_TEXT))


def test_the_demo_filters_by_the_names_it_shows() -> None:
    with demo_company() as (base_url, headers):
        found = requests.get(
            f"{base_url}customer", params={"Name": "Greenlane"}, headers=headers, timeout=10
        ).json()
    assert [row["Name"] for row in found["CustomerList"]] == ["Greenlane Garden Centre"]
