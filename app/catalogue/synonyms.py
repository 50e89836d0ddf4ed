"""Finding reports by the words office staff use: synonyms per report, and a forgiving word match.

``SYNONYMS`` is catalogue data: extra words for each report key, beyond its label and description
("sold", "margin", "inventory"...). Keys of reports that other parts of the catalogue add later are
listed too; a key with no entry in the catalogue is simply never asked for.

:func:`matches` takes any words in any order. A word matches when it starts a word of the report's
text, when it equals one after dropping a plural ending, or (for words of five letters or more)
when one letter is wrong, missing or extra. Date words ("last", "month", "2024") are ignored: the
date range is chosen separately, so "sales lines last month" finds the sale lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from app.models import EndpointSpec

SYNONYMS: dict[str, tuple[str, ...]] = {
    "product-availability": ("stock", "inventory", "on hand", "soh", "quantity", "warehouse", "levels"),
    "products": ("items", "sku", "catalogue", "catalog", "price list", "inventory", "stock items"),
    "product-families": ("variants", "options", "sizes", "colours", "colors", "items"),
    "sale-order-lines": (
        "sold",
        "sales by product",
        "line items",
        "order lines",
        "sales lines",
        "what sold",
        "orders",
        "revenue",
        "quantity sold",
    ),
    "sale-invoice-lines": ("sold", "invoiced", "line items", "sales lines", "revenue", "billing"),
    "sale-credit-note-lines": ("refunds", "returns", "line items", "credits"),
    "sale-fulfilment-lines": ("shipped", "shipping", "dispatch", "picking", "packing", "fulfillment"),
    "sales": ("orders", "sold", "revenue", "invoices", "sales orders", "totals"),
    "sale-credit-notes": ("refunds", "returns", "credits"),
    "customers": ("clients", "buyers", "accounts", "contacts", "debtors", "email", "phone", "address"),
    "purchase-order-lines": ("bought", "purchases by product", "line items", "purchase lines", "po"),
    "purchase-invoice-lines": ("bought", "bills", "supplier invoices", "line items", "costs"),
    "purchase-credit-note-lines": ("supplier returns", "line items", "credits"),
    "purchases": ("purchase orders", "po", "bought", "bills", "buying"),
    "purchase-credit-notes": ("supplier returns", "credits"),
    "suppliers": ("vendors", "creditors", "contacts", "email", "phone", "address"),
    "stock-adjustment-lines": ("stock", "inventory", "corrections", "line items"),
    "stock-transfer-lines": ("stock", "inventory", "moves", "movements", "line items"),
    "inventory-write-off-lines": ("stock", "damaged", "losses", "shrinkage", "line items"),
    "stock-adjustments": ("stock", "inventory", "corrections"),
    "stock-transfers": ("stock", "inventory", "moves", "movements"),
    "stocktakes": ("stock count", "counts", "inventory count", "cycle count"),
    "inventory-write-offs": ("stock", "damaged", "losses", "shrinkage"),
    "finished-goods-lines": ("manufacturing", "production", "components", "bill of materials", "bom"),
    "finished-goods": ("manufacturing", "production", "assembly", "made"),
    "disassemblies": ("manufacturing", "taken apart", "breakdown"),
    "journals": ("accounting", "ledger", "debits", "credits", "gl"),
    "transactions": ("accounting", "ledger", "general ledger", "postings", "gl", "debits", "credits"),
    "money-tasks": ("payments", "receipts", "bank", "cash", "expenses"),
    "accounts": ("accounting", "ledger", "gl", "codes", "chart"),
    "bank-accounts": ("bank", "cash", "balances"),
    "tax-rules": ("gst", "vat", "sales tax", "taxes"),
    "payment-terms": ("terms", "due dates", "credit terms"),
    "price-tiers": ("prices", "price levels", "pricing"),
    "units": ("uom", "measures"),
    "categories": ("product groups", "types"),
    "brands": ("makes", "labels"),
    "carriers": ("shipping", "couriers", "freight", "delivery"),
    "locations": ("warehouses", "bins", "stores", "sites"),
    "attribute-sets": ("custom fields", "attributes"),
    "company-addresses": ("our address", "billing", "shipping"),
    "company-contacts": ("sales reps", "representatives", "staff", "salespeople"),
    # Reports the stock-history and profit parts add (docs: issues 14 and 15).
    "stock-movements": (
        "stock",
        "inventory",
        "movements",
        "moves",
        "history",
        "ledger",
        "in and out",
        "flow",
    ),
    "stock-at-date": (
        "stock",
        "inventory",
        "on hand",
        "historical",
        "snapshot",
        "as at",
        "valuation",
        "levels",
    ),
    "stock-movement-summary": ("stock", "inventory", "movements", "summary", "opening", "closing", "totals"),
    "sale-profit-lines": (
        "profit",
        "margin",
        "gross profit",
        "cogs",
        "cost of goods sold",
        "sold",
        "sales by product",
        "line items",
        "sales lines",
    ),
}

# Words about *when*, which the date range answers; they never narrow the search.
DATE_WORDS = frozenset(
    {
        "last",
        "this",
        "next",
        "previous",
        "past",
        "current",
        "today",
        "yesterday",
        "day",
        "days",
        "daily",
        "week",
        "weeks",
        "weekly",
        "month",
        "months",
        "monthly",
        "quarter",
        "quarterly",
        "year",
        "years",
        "yearly",
        "annual",
        "ytd",
        "mtd",
        "since",
        "from",
        "until",
        "to",
        "for",
        "of",
        "the",
        "a",
        "an",
        "all",
        "my",
        "by",
        "per",
        "in",
        "and",
        "with",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    }
)

_WORD = re.compile(r"[a-z0-9]+")
_YEAR_OR_NUMBER = re.compile(r"^\d+$")


def synonyms_for(key: str) -> tuple[str, ...]:
    """Return the extra search words of a report key (none for a key without any)."""
    return SYNONYMS.get(key, ())


def words(text: str) -> list[str]:
    """Split text into lower-case words (punctuation, hyphens and slashes separate words)."""
    return _WORD.findall(text.lower())


def query_words(query: str) -> list[str]:
    """Return the words of a search that narrow it (date words and numbers dropped)."""
    return [w for w in words(query) if w not in DATE_WORDS and not _YEAR_OR_NUMBER.match(w)]


def search_words(spec: EndpointSpec) -> frozenset[str]:
    """Return every word a report can be found by: label, description, group, key and synonyms."""
    text = " ".join((spec.label, spec.description, spec.group.value, spec.key, *synonyms_for(spec.key)))
    return frozenset(words(text))


def _stem(word: str) -> str:
    """Drop a plural or verb ending so "lines"/"line" and "sales"/"sale" compare equal."""
    for ending, keep in (("ies", "y"), ("sses", "ss"), ("es", ""), ("s", "")):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)] + keep
    return word


def _one_edit_apart(a: str, b: str) -> bool:
    """Tell whether one letter changed, dropped, added or two neighbours swapped turns a into b."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def word_matches(word: str, candidates: Iterable[str]) -> bool:
    """Tell whether a search word matches any of a report's words (prefix, plural or small typo)."""
    stem = _stem(word)
    for candidate in candidates:
        if candidate.startswith(word) or _stem(candidate) == stem:
            return True
        if len(word) >= 5 and len(candidate) >= 4 and _one_edit_apart(stem, _stem(candidate)):
            return True
    return False


def matches(query: str, spec: EndpointSpec) -> bool:
    """Tell whether a report matches every narrowing word of ``query``, in any order."""
    wanted = query_words(query)
    if not wanted:
        return True
    have = search_words(spec)
    return all(word_matches(word, have) for word in wanted)


def suggestions(specs: Sequence[EndpointSpec], count: int = 3) -> list[str]:
    """Return a few searches worth trying when nothing matched ("sale lines", "stock"...)."""
    tried = ["sale lines", "stock", "customers", "purchases", "products", "invoices", "margin"]
    useful = [text for text in tried if any(matches(text, spec) for spec in specs)]
    return useful[:count]
