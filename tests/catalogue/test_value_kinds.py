"""Money columns are marked as money and quantities as quantities, in every report and child sheet."""

from __future__ import annotations

import re

from app import catalogue
from app.models import ColumnSpec, ValueKind

MONEY_WORDS = re.compile(r"\b(price|cost|amount|total|tax|balance|credit limit)\b", re.IGNORECASE)
QUANTITY_WORDS = re.compile(
    r"\b(quantity|on hand|available|allocated|on order|in transit|backordered|minimum before reorder)\b",
    re.IGNORECASE,
)
NOT_MONEY = re.compile(r"%|\brate\b|\bID\b", re.IGNORECASE)  # percentages, currency rates, tax rule IDs


def numeric_columns() -> list[tuple[str, ColumnSpec]]:
    found: list[tuple[str, ColumnSpec]] = []
    for spec in catalogue.ENDPOINTS:
        found += [(spec.key, column) for column in spec.columns]
        for child in spec.children:
            found += [(f"{spec.key}/{child.label}", column) for column in child.columns]
    numeric = {ValueKind.NUMBER, ValueKind.MONEY, ValueKind.QUANTITY, ValueKind.INTEGER}
    return [(where, column) for where, column in found if column.kind in numeric]


def test_every_money_column_has_the_money_kind() -> None:
    wrong = [
        f"{where}: {column.header}"
        for where, column in numeric_columns()
        if MONEY_WORDS.search(column.header)
        and not NOT_MONEY.search(column.header)
        and not QUANTITY_WORDS.search(column.header)
        and column.kind is not ValueKind.MONEY
    ]
    assert wrong == []


def test_every_quantity_column_has_the_quantity_kind() -> None:
    wrong = [
        f"{where}: {column.header}"
        for where, column in numeric_columns()
        if QUANTITY_WORDS.search(column.header) and column.kind is not ValueKind.QUANTITY
    ]
    assert wrong == []


def test_the_rules_above_find_columns_at_all() -> None:
    kinds = [column.kind for _, column in numeric_columns()]
    assert kinds.count(ValueKind.MONEY) >= 30 and kinds.count(ValueKind.QUANTITY) >= 20
