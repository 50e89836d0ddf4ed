"""Finding reports by everyday words: synonyms, any order, plurals, small typos, date words ignored."""

from __future__ import annotations

import pytest

from app import catalogue
from app.catalogue.synonyms import SYNONYMS, matches, query_words, suggestions


def found(query: str) -> set[str]:
    return {spec.key for spec in catalogue.ENDPOINTS if matches(query, spec)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sold", "sale-order-lines"),
        ("sales by product", "sale-order-lines"),
        ("line items", "sale-order-lines"),
        ("line items", "purchase-order-lines"),
        ("sales lines last month", "sale-order-lines"),
        ("lines sales", "sale-order-lines"),
        ("stock", "product-availability"),
        ("inventory", "product-availability"),
        ("customers", "customers"),
        ("clients", "customers"),
        ("vendors", "suppliers"),
        ("custmers", "customers"),  # a letter missing
        ("supplers", "suppliers"),
        ("warehouses", "locations"),
        ("gst", "tax-rules"),
    ],
)
def test_everyday_words_find_the_report(query: str, expected: str) -> None:
    assert expected in found(query)


def test_words_narrow_the_search() -> None:
    assert found("sale lines") < found("sale")
    assert "customers" not in found("sales lines")
    assert found("zebra crossing") == set()


def test_date_words_and_numbers_do_not_narrow() -> None:
    assert query_words("Sales lines last month 2024") == ["sales", "lines"]
    assert found("sales lines this year") == found("sales lines")
    assert found("last month") == {spec.key for spec in catalogue.ENDPOINTS}


def test_every_synonym_key_is_a_report_or_one_announced_by_another_part() -> None:
    announced = {"stock-movements", "stock-at-date", "stock-movement-summary", "sale-profit-lines"}
    assert set(SYNONYMS) - set(catalogue.keys()) <= announced
    assert set(catalogue.keys()) <= set(SYNONYMS)  # every report has words of its own


def test_suggestions_find_something() -> None:
    tries = suggestions(catalogue.ENDPOINTS)
    assert tries and all(found(text) for text in tries)
