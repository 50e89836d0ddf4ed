"""Awkward values real DEAR accounts contain, so every consumer meets them in tests.

The demo company (``SandboxConfig(awkward=False)``) shows a business, not a test bench: its
answers pass through :func:`tidy`, which swaps the test strings (formula-like names, control
characters, a description longer than a cell) for ordinary ones. Names in other scripts and
with accents stay: real companies have them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Names that break naive code: non-ASCII, right-to-left, CJK, emoji, quotes, formula-like starts.
PRODUCT_NAMES = (
    "Kākahu Wāhine – Māori Design Tee",
    "مصباح مكتب LED",
    "כיסא משרדי ארגונומי",
    "保温杯 500ml 不锈钢",
    "Coffee Mug ☕ Party Edition 🎉",
    "O'Brien's \"Best\" Breakfast Tea",
    "=SUM(A1:A9)",
    "+61 Travel Adapter",
    "-20% Clearance Bundle",
    "@home Desk Lamp",
    "Crème Brûlée Torch",
    "Ølkasse 24 × 0,33 l",
)
CUSTOMER_NAMES = (
    '=HYPERLINK("http://x","click")',
    "Ngāti Whātua Trading Ltd",
    "شركة الأمل للتجارة",
    'חברת השחר בע"מ',
    "株式会社 さくら商事",
    "Smiley Supplies 😀 Ltd",
    "O'Connor & Sons",
    "+Plus Retail",
    "-Minus Wholesale",
    "@Online Store",
    "Zoë's Café",
)
SUPPLIER_NAMES = (
    "Ōtautahi Imports",
    "مورد الشرق",
    "深圳电子有限公司",
    "=1+1 Trading",
    'O\'Hare "Quality" Goods',
    "🚚 FastFreight Co",
)
CONTROL_TEXT = "Line one\x00NUL\x01SOH\x07BEL\x08BS\tTAB\x0bVT\x0cFF\x1bESC\x1fUS end."
LONG_DESCRIPTION_LENGTH = 33_000  # longer than Excel's 32,767-character cell limit
WORDS_ADJ = (
    "Classic",
    "Deluxe",
    "Eco",
    "Compact",
    "Premium",
    "Rustic",
    "Modern",
    "Vintage",
    "Smart",
    "Heavy-Duty",
)
WORDS_NOUN = (
    "Chair",
    "Lamp",
    "Mug",
    "Kettle",
    "Backpack",
    "Notebook",
    "Speaker",
    "Blanket",
    "Planter",
    "Jacket",
    "Tumbler",
    "Shelf",
    "Headphones",
    "Candle",
    "Teapot",
)
COMPANY_FIRST = (
    "Harbour",
    "Summit",
    "Kauri",
    "Pacific",
    "Silver Fern",
    "Coastal",
    "Pōhutukawa",
    "Southern",
    "Riverside",
    "Totara",
    "Highland",
    "Bayview",
)
COMPANY_LAST = ("Traders", "Retail", "Supplies", "Wholesale", "Stores", "Distributors", "Group", "Co")
PEOPLE = (
    "Aroha Te Rangi",
    "James Smith",
    "Mere Parata",
    "Li Wei",
    "Fatima Hassan",
    "Noa Levi",
    "Sione Tupou",
    "Emily O'Brien",
    "Rāwiri Walker",
    "Yuki Tanaka",
)
CITIES = (
    ("Auckland", "Auckland", "1010", "New Zealand"),
    ("Hamilton", "Waikato", "3204", "New Zealand"),
    ("Sydney", "NSW", "2000", "Australia"),
    ("Melbourne", "VIC", "3000", "Australia"),
    ("Wellington", "Wellington", "6011", "New Zealand"),
)

# The test strings and what the demo shows instead (names carry a suffix such as " 14": kept).
PLAIN_INSTEAD = (
    ('=HYPERLINK("http://x","click")', "Greenlane Garden Centre"),
    ("=SUM(A1:A9)", "Walnut Serving Board"),
    ("=1+1 Trading", "Onehunga Trading"),
    ("+Plus Retail", "Parnell Retail"),
    ("-Minus Wholesale", "Mangere Wholesale"),
    ("@Online Store", "Ponsonby Online Store"),
    (CONTROL_TEXT, "Soft cotton, machine washable."),
)
PLAIN_LONG_DESCRIPTION = "A well made product with a long description, kept short in the demo."
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TEST_STARTS = ("=",)  # formula-like starts that only a test would put in a name


def tidy(value: Any) -> Any:
    """Return ``value`` (a DEAR answer or part of one) with the test strings replaced (a new object)."""
    if isinstance(value, str):
        return _tidy_text(value)
    if isinstance(value, Mapping):
        return {key: tidy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [tidy(item) for item in value]
    return value


def _tidy_text(text: str) -> str:
    if len(text) > 1000 and text.startswith("Extremely long description."):
        return PLAIN_LONG_DESCRIPTION
    for odd, plain in PLAIN_INSTEAD:
        if odd in text:
            text = text.replace(odd, plain)
        elif odd.lower() in text:  # descriptions use the name in lower case
            text = text.replace(odd.lower(), plain.lower())
    return text


def looks_like_test_data(text: str) -> bool:
    """Tell whether a visitor would take a value for a bug (a formula, a control character, too long)."""
    return (
        text.startswith(_TEST_STARTS)
        or _CONTROL.search(text) is not None
        or len(text) > 32_767
        or any(odd in text for odd, _ in PLAIN_INSTEAD)
    )
