"""The account's reference books: locations and bins, categories, taxes, accounts and the like.

Small and fixed in size whatever the dataset size, so they are built eagerly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.sandbox.ids import IdMaker, business_date

JsonDict = dict[str, Any]

COMPANY = "Demo Company (sample data)"

WAREHOUSES = (
    ("Main Warehouse", "12 Queen Street", "Auckland", "Auckland", "1010", "New Zealand"),
    ("Wellington Store", "5 Lambton Quay", "Wellington", "Wellington", "6011", "New Zealand"),
    ("Sydney Depot", "200 George St", "Sydney", "NSW", "2000", "Australia"),
    ("Ōtautahi Outlet", "8 Cashel St", "Christchurch", "Canterbury", "8011", "New Zealand"),
)
BINS_PER_WAREHOUSE = 3
CATEGORIES = (
    "Accessories",
    "Audio",
    "Bags",
    "Clothing",
    "Coffee",
    "Furniture",
    "Garden",
    "Kitchen",
    "Lighting",
    "Office",
    "Stationery",
    "Toys",
)
BRANDS = ("Acme", "Bellbird", "Café Noir", "Kōwhai", "Northwind", "O'Reilly & Sons", "Tūī", "Zenith")
UNITS = ("Item", "Box", "Kg", "Litre", "Metre", "Pack")
CARRIERS = ("NZ Post", "CourierPost", "DHL Express", "Mainfreight")
TAX_RULES = (
    ("GST on Income", 15.0, True, False),
    ("GST on Expenses", 15.0, False, True),
    ("Zero Rated", 0.0, True, True),
    ("Tax Exempt", 0.0, True, True),
)
PAYMENT_TERMS = (
    ("Net 30", 30, "number of days"),
    ("Net30", 30, "number of days"),
    ("20th of next month", 20, "day of next month"),
    ("COD", 0, "number of days"),
    ("Net 7", 7, "number of days"),
)
PRICE_TIER_NAMES = (
    "Retail",
    "Wholesale",
    "Distributor",
    "Staff",
    "VIP",
    "Tier 6",
    "Tier 7",
    "Tier 8",
    "Tier 9",
    "Tier 10",
)
ACCOUNTS = (
    ("090", "Business Bank Account", "BANK", "ASSET"),
    ("091", "Savings Account", "BANK", "ASSET"),
    ("200", "Sales", "REVENUE", "REVENUE"),
    ("260", "Other Revenue", "REVENUE", "REVENUE"),
    ("300", "Purchases", "DIRECTCOSTS", "EXPENSE"),
    ("310", "Cost of Goods Sold", "DIRECTCOSTS", "EXPENSE"),
    ("400", "Advertising", "EXPENSE", "EXPENSE"),
    ("404", "Bank Fees", "EXPENSE", "EXPENSE"),
    ("429", "General Expenses", "EXPENSE", "EXPENSE"),
    ("449", "Motor Vehicle Expenses", "EXPENSE", "EXPENSE"),
    ("610", "Accounts Receivable", "CURRENT", "ASSET"),
    ("630", "Inventory", "INVENTORY", "ASSET"),
    ("631", "Inventory in Transit", "INVENTORY", "ASSET"),
    ("640", "Work in Progress", "INVENTORY", "ASSET"),
    ("800", "Accounts Payable", "CURRLIAB", "LIABILITY"),
    ("820", "GST", "CURRLIAB", "LIABILITY"),
    ("960", "Retained Earnings", "EQUITY", "EQUITY"),
    ("970", "Owner's Equity", "EQUITY", "EQUITY"),
)
ATTRIBUTE_SETS = ("Clothing attributes", "Electrical attributes")


@dataclass
class RefBooks:
    """Every ``ref/*`` book and the company's own details, as DEAR rows."""

    ids: IdMaker
    locations: list[JsonDict] = field(default_factory=list)
    warehouses: list[JsonDict] = field(default_factory=list)
    categories: list[JsonDict] = field(default_factory=list)
    brands: list[JsonDict] = field(default_factory=list)
    units: list[JsonDict] = field(default_factory=list)
    carriers: list[JsonDict] = field(default_factory=list)
    taxes: list[JsonDict] = field(default_factory=list)
    payment_terms: list[JsonDict] = field(default_factory=list)
    price_tiers: list[JsonDict] = field(default_factory=list)
    accounts: list[JsonDict] = field(default_factory=list)
    bank_accounts: list[JsonDict] = field(default_factory=list)
    attribute_sets: list[JsonDict] = field(default_factory=list)
    me_addresses: list[JsonDict] = field(default_factory=list)
    me_contacts: list[JsonDict] = field(default_factory=list)

    @classmethod
    def build(cls, ids: IdMaker) -> RefBooks:
        """All books for one seed."""
        books = cls(ids)
        books._build_locations()
        books.categories = [{"ID": ids.make("category", i), "Name": n} for i, n in enumerate(CATEGORIES)]
        books.brands = [{"ID": ids.make("brand", i), "Name": n} for i, n in enumerate(BRANDS)]
        books.units = [{"ID": ids.make("unit", i), "Name": n} for i, n in enumerate(UNITS)]
        books.carriers = [
            {"CarrierID": ids.make("carrier", i), "Description": n} for i, n in enumerate(CARRIERS)
        ]
        books.taxes = [
            {
                "ID": ids.make("tax", i),
                "Name": name,
                "Account": "820",
                "IsActive": True,
                "TaxInclusive": False,
                "TaxPercent": int(rate) if rate.is_integer() else rate,
                "IsTaxForSale": sale,
                "IsTaxForPurchase": purchase,
                "Components": [
                    {"Name": name, "Percent": int(rate), "AccountCode": "820", "ComponentOrder": 1}
                ],
            }
            for i, (name, rate, sale, purchase) in enumerate(TAX_RULES)
        ]
        books.payment_terms = [
            {
                "ID": ids.make("paymentterm", i),
                "Name": n,
                "Duration": d,
                "Method": m,
                "IsActive": True,
                "IsDefault": i == 0,
            }
            for i, (n, d, m) in enumerate(PAYMENT_TERMS)
        ]
        books.price_tiers = [{"Code": i + 1, "Name": n} for i, n in enumerate(PRICE_TIER_NAMES)]
        books.accounts = [
            {
                "Code": code,
                "Name": name,
                "Type": kind,
                "Status": "ACTIVE",
                "Description": "" if i % 3 else f"{name} account",
                "Class": klass,
                "SystemAccount": None if i % 4 else f"SYS-{code}",
                "ForPayments": kind == "BANK",
                "DisplayName": f"{code} - {name}",
                "OldCode": None,
                "BankAccountNumber": f"12-3456-{7890000 + i}-00" if kind == "BANK" else None,
                "BankAccountId": ids.make("bank", i) if kind == "BANK" else None,
            }
            for i, (code, name, kind, klass) in enumerate(ACCOUNTS)
        ]
        books.bank_accounts = [
            {
                "AccountID": a["BankAccountId"],
                "AccountCode": a["Code"],
                "AccountName": a["Name"],
                "AccountNumber": a["BankAccountNumber"],
                "Bank": "ANZ" if i == 0 else "Kiwibank",
                "Currency": "NZD",
                "InitialBalance": 10000 if i == 0 else 2500.5,
                "StatementBalance": 48211.35 if i == 0 else 2500.5,
                "BalanceInDear": 47980.1 if i == 0 else 2500.5,
            }
            for i, a in enumerate(x for x in books.accounts if x["Type"] == "BANK")
        ]
        books._build_attribute_sets()
        books.me_addresses = [
            {
                "AddressID": ids.make("meaddress", i),
                "Line1": line1,
                "Line2": None if i == 0 else "Level 2",
                "CitySuburb": city,
                "StateProvince": state,
                "ZipPostCode": post,
                "Country": country,
                "Type": kind,
                "DefaultForType": True,
            }
            for i, (line1, city, state, post, country, kind) in enumerate(
                (
                    ("1 Demo Road", "Auckland", "Auckland", "1010", "New Zealand", "Business"),
                    ("2 Dock Street", "Auckland", "Auckland", "1010", "New Zealand", "Shipping"),
                )
            )
        ]
        books.me_contacts = [
            {
                "ContactID": ids.make("mecontact", i),
                "Name": name,
                "Type": kind,
                "DefaultForType": i < 2,
                "Phone": phone,
                "Fax": None,
                "Email": email,
                "Website": None if i else "https://demo.example",
                "Comment": None if i != 2 else "",
            }
            for i, (name, kind, phone, email) in enumerate(
                (
                    ("Aroha Ngata", "Sales Representative", "+64 9 555 0101", "aroha@demo.example"),
                    ("Sam O'Connor", "Purchasing", "+64 9 555 0102", "sam@demo.example"),
                    ("李 伟", "Sales Representative", "+64 9 555 0103", "wei@demo.example"),
                )
            )
        ]
        return books

    def _build_locations(self) -> None:
        for w, (name, line1, city, state, post, country) in enumerate(WAREHOUSES):
            wid = self.ids.make("location", w)
            bins: list[JsonDict] = []
            for n in range(BINS_PER_WAREHOUSE):
                bid = self.ids.make("bin", w * BINS_PER_WAREHOUSE + n).upper()
                bins.append(
                    {
                        "ID": bid,
                        "Name": f"{name}: Bin {chr(65 + n)}",
                        "IsDeprecated": False,
                        "IsStaging": n == 2,
                    }
                )
            row = self._location_row(wid, name, (line1, city, state, post, country), None, None, w == 0)
            row["Bins"] = [dict(item) for item in bins]
            self.warehouses.append(row)
            self.locations.append(row)
            for b in bins:
                bin_row = self._location_row(
                    b["ID"], b["Name"], (line1, city, state, post, country), wid, name, False
                )
                bin_row["IsStaging"] = b["IsStaging"]
                self.locations.append(bin_row)

    @staticmethod
    def _location_row(
        lid: str,
        name: str,
        address: tuple[str, ...],
        parent: str | None,
        parent_name: str | None,
        default: bool,
    ) -> JsonDict:
        line1, city, state, post, country = address
        return {
            "ID": lid,
            "Name": name,
            "IsDefault": default,
            "Deprecated": False,
            "Bins": None,
            "FixedAssetsLocation": False,
            "ParentID": parent,
            "ParentName": parent_name,
            "ReferenceCount": 0,
            "AddressLine1": line1,
            "AddressLine2": "",
            "AddressCitySuburb": city,
            "AddressStateProvince": state,
            "AddressZipPostCode": post,
            "AddressCountry": country,
            "PickZones": None if parent else "",
            "IsShopfloor": False,
            "IsCoMan": False,
            "IsStaging": False,
            "IsDeprecated": False,
        }

    def _build_attribute_sets(self) -> None:
        for i, name in enumerate(ATTRIBUTE_SETS):
            row: JsonDict = {"ID": self.ids.make("attributeset", i), "Name": name}
            attributes = []
            for n in range(1, 11):
                label = ("Size", "Colour", "Material", "Voltage", "Warranty")[n % 5] if n <= 5 else ""
                kind = "List" if n <= 2 else ("Checkbox" if n == 3 else "Text")
                values = "S,M,L" if n == 1 else ("Red,Blue" if n == 2 else "")
                row[f"Attribute{n}Name"] = label
                row[f"Attribute{n}Type"] = kind
                row[f"Attribute{n}Values"] = values
                if label:
                    attributes.append({"Name": label, "Type": kind, "Values": values, "Order": n})
            row["Attributes"] = attributes
            self.attribute_sets.append(row)

    def me(self, today_year: int) -> JsonDict:
        """Return the ``/me`` document."""
        return {
            "Company": COMPANY,
            "Currency": "NZD",
            "TimeZone": "New Zealand Standard Time",
            "DefaultWeightUnits": "kg",
            "DefaultDimensionsUnits": "cm",
            "LockDate": None,
            "OpeningBalanceDate": business_date(date(today_year - 3, 4, 1)),
            "TaxCalculationMethod": "Exclusive",
            "DefaultSaleTaxRuleId": self.taxes[0]["ID"],
            "DefaultSaleTaxRuleName": self.taxes[0]["Name"],
            "MaximumDecimalPlacesInQuantity": "N2",
            "DiscountRule": "Default",
            "AutomaticallyApplyDiscounts": False,
            "ApplyCustomerDiscountsAfterOtherDiscounts": False,
            "RoundingTable": [],
        }
