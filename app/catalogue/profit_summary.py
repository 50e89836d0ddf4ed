"""The "Profit summary" sheet of sale-profit-lines: profit and margin by month, customer and product.

A :class:`~app.models.RowDigest`: it sees every row the report writes, as it is written, and
keeps running totals only (a few per month, customer and product), never the rows, which may
be far more than fit in memory. Totals are in the base currency. Revenue, cost and profit count
the lines that have a cost of goods; a line whose goods have not left yet adds its revenue to
"Revenue not yet costed" instead, so profit is never its revenue by mistake.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.catalogue.vocabulary import MONEY, NUMBER, col
from app.models import ColumnSpec, ExtraChart, ExtraSheet, ExtraTable

__all__ = ["SHEET_NAME", "TOP", "ProfitSummary"]

SHEET_NAME = "Profit summary"
TOP = 20
"""Customers and products listed one by one (by revenue); the rest share one "All others" row."""
OTHERS = "All others"
_PERCENT = Decimal("0.01")
_ZERO = Decimal(0)


@dataclass
class _Totals:
    revenue: Decimal = _ZERO  # base currency, lines with a cost of goods
    cost: Decimal = _ZERO
    uncosted: Decimal = _ZERO  # base-currency revenue of lines without a cost yet

    def add(self, other: _Totals) -> None:
        self.revenue += other.revenue
        self.cost += other.cost
        self.uncosted += other.uncosted

    def values(self, label: str) -> tuple[Any, ...]:
        profit = self.revenue - self.cost
        margin = (profit / self.revenue * 100).quantize(_PERCENT) if self.revenue else None
        return (label, self.revenue, self.cost, profit, margin, self.uncosted)


def _columns(first: str) -> tuple[ColumnSpec, ...]:
    return (
        col("Label", first),
        col("Revenue", "Revenue", MONEY),
        col("Cost", "Cost of goods", MONEY),
        col("Profit", "Profit", MONEY),
        col("Margin", "Margin %", NUMBER),  # already in percent (12.5 is 12.5 %): a plain number
        col("Uncosted", "Revenue not yet costed", MONEY),
    )


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    return None


class ProfitSummary:
    """Running totals of sale-profit-lines rows; :meth:`sheets` lays them out with a chart by month."""

    def __init__(self) -> None:
        self._total = _Totals()
        self._months: dict[str, _Totals] = {}
        self._customers: dict[str, _Totals] = {}
        self._products: dict[str, _Totals] = {}
        self._categories: dict[str, str] = {}  # product -> its category, when the rows carry one

    def add(self, row: Mapping[str, Any]) -> None:
        """Add one report row (the hook's dict: RevenueBase, Cost, Date, Customer, SKU, Name)."""
        revenue = _decimal(row.get("RevenueBase"))
        if revenue is None:
            return
        cost = _decimal(row.get("Cost"))
        line = _Totals(revenue, cost) if cost is not None else _Totals(uncosted=revenue)
        month = str(row.get("Date") or "")[:7] or "No date"
        customer = str(row.get("Customer") or "") or "No customer"
        sku, name = str(row.get("SKU") or ""), str(row.get("Name") or "")
        product = f"{sku} {name}".strip() if sku else (name or "No product")
        category = row.get("Category")
        if category not in (None, ""):
            self._categories.setdefault(product, str(category))
        self._total.add(line)
        for bucket, key in ((self._months, month), (self._customers, customer), (self._products, product)):
            bucket.setdefault(key, _Totals()).add(line)

    def sheets(self) -> tuple[ExtraSheet, ...]:
        """Return the "Profit summary" sheet: whole period, by month (with a chart), customer, product."""
        months = tuple(self._months[key].values(key) for key in sorted(self._months))
        return (
            ExtraSheet(
                SHEET_NAME,
                (
                    ExtraTable("Whole period", _columns("Period"), (self._total.values("All lines"),)),
                    ExtraTable(
                        "By month",
                        _columns("Month"),
                        months,
                        ExtraChart(
                            "Revenue, cost and profit by month", ("Revenue", "Cost of goods", "Profit")
                        ),
                    ),
                    ExtraTable(
                        f"By customer (top {TOP} by revenue)", _columns("Customer"), _top(self._customers)
                    ),
                    self._product_table(),
                ),
                notes=(
                    "Amounts in the base currency, from the rows of the sheet after this one.",
                    "Revenue, cost and profit count the lines with a cost of goods; lines whose goods "
                    "have not left yet are under 'Revenue not yet costed'.",
                ),
            ),
        )

    def _product_table(self) -> ExtraTable:
        """Return the products table, with a Category column when the rows had categories."""
        title, columns, rows = f"By product (top {TOP} by revenue)", _columns("Product"), _top(self._products)
        if not self._categories:
            return ExtraTable(title, columns, rows)
        named = tuple((row[0], self._categories.get(row[0]), *row[1:]) for row in rows)
        return ExtraTable(title, (columns[0], col("Category", "Category"), *columns[1:]), named)


def _top(totals: Mapping[str, _Totals]) -> tuple[tuple[Any, ...], ...]:
    """Return the TOP biggest by revenue (costed and not), then one row for all the others."""
    ranked = sorted(totals.items(), key=lambda item: (-(item[1].revenue + item[1].uncosted), item[0]))
    rows = [totals_.values(label) for label, totals_ in ranked[:TOP]]
    if len(ranked) > TOP:
        others = _Totals()
        for _, totals_ in ranked[TOP:]:
            others.add(totals_)
        rows.append(others.values(OTHERS))
    return tuple(rows)
