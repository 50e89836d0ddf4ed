"""Awkward values real DEAR accounts contain, so every consumer meets them in tests and the demo."""

from __future__ import annotations

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
