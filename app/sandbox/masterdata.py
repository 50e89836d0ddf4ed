"""Products, customers, suppliers, product families and stock availability rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.sandbox import awkward
from app.sandbox.ids import business_date, num, timestamp

if TYPE_CHECKING:
    from app.sandbox.dataset import Dataset

JsonDict = dict[str, Any]

PRODUCT_ARRAYS = (
    "Suppliers",
    "ReorderLevels",
    "BillOfMaterialsProducts",
    "BillOfMaterialsServices",
    "Movements",
    "Attachments",
    "CustomPrices",
)


def product_is_service(i: int) -> bool:
    """Every 40th product is a service (no stock)."""
    return i % 40 == 39


def base_deprecated(kind: str, i: int) -> bool:
    """Which records start out deprecated (before any ``deprecate`` call)."""
    return {"product": i % 23 == 22, "customer": i % 17 == 16, "supplier": i % 11 == 10}.get(kind, False)


def product_name(i: int) -> str:
    """Return a product's name (awkward ones spread through the list)."""
    if i % 11 == 3:
        return awkward.PRODUCT_NAMES[(i // 11) % len(awkward.PRODUCT_NAMES)]
    return f"{awkward.WORDS_ADJ[i % 10]} {awkward.WORDS_NOUN[(i // 10) % 15]} {i + 1}"


def product_sku(i: int) -> str:
    """SKUs follow the index, so DEAR's default order (ascending SKU) is index order."""
    return f"SKU-{i + 1:06d}"


def product(ds: Dataset, i: int) -> JsonDict:
    """Return the ``Products[]`` row of product ``i`` (nested arrays empty)."""
    rng = ds.rng("product", i)
    refs = ds.refs
    service = product_is_service(i)
    base = round(rng.uniform(2, 400), rng.choice((0, 2, 4)))
    tiers = [num(base * (1 - 0.05 * t)) for t in range(10)]
    if i == 7:
        description: str | None = ("Extremely long description. " * 1200)[: awkward.LONG_DESCRIPTION_LENGTH]
    elif i == 11:
        description = awkward.CONTROL_TEXT
    else:
        description = ("", f"A well made {product_name(i).lower()}.")[i % 2]
    modified = ds.past_moment(rng, 20, 420)
    warehouse = refs.warehouses[i % len(refs.warehouses)]
    row: JsonDict = {
        "ID": ds.ids.make("product", i),
        "SKU": product_sku(i),
        "Name": product_name(i),
        "Category": refs.categories[rng.randrange(len(refs.categories))]["Name"],
        "Brand": None if i % 5 == 0 else refs.brands[rng.randrange(len(refs.brands))]["Name"],
        "Type": "Service" if service else "Stock",
        "CostingMethod": "FIFO" if i % 6 else "FIFO - Batch",
        "DropShipMode": "No Drop Ship",
        "DefaultLocation": warehouse["Name"],
        "Length": num(rng.uniform(1, 90), 2),
        "Width": num(rng.uniform(1, 60), 2),
        "Height": rng.randrange(1, 50),
        "Weight": num(rng.uniform(0.05, 20), 4),
        "CartonLength": 0,
        "CartonWidth": 0,
        "CartonHeight": 0,
        "CartonQuantity": 0,
        "CartonInnerQuantity": 0,
        "UOM": refs.units[i % 3]["Name"],
        "WeightUnits": "kg",
        "DimensionsUnits": None if i % 4 == 0 else "cm",
        "Barcode": "" if i % 7 == 0 else f"94{i:011d}",
        "MinimumBeforeReorder": 0 if service else rng.randrange(0, 20),
        "ReorderQuantity": 0 if service else rng.randrange(0, 100),
        **{f"PriceTier{t + 1}": tiers[t] for t in range(10)},
        "PriceTiers": {refs.price_tiers[t]["Name"]: tiers[t] for t in range(10)},
        "AverageCost": 0 if service else num(base * 0.55),
        "ShortDescription": "" if i % 2 else f"{product_name(i)} short",
        "Description": description,
        "InternalNote": "" if i % 5 else "Check stock before promising dates",
        **{f"AdditionalAttribute{n}": "" for n in range(1, 11)},
        "AttributeSet": None,
        "DiscountRule": None,
        "Tags": "" if i % 3 else "featured,summer",
        "Status": "Deprecated" if ds.is_deprecated("product", i) else "Active",
        "StockLocator": "",
        "COGSAccount": None if i % 2 else "310",
        "RevenueAccount": None if i % 2 else "200",
        "ExpenseAccount": None,
        "InventoryAccount": None if i % 2 else "630",
        "PurchaseTaxRule": None if i % 2 else "GST on Expenses",
        "SaleTaxRule": None if i % 2 else "GST on Income",
        "LastModifiedOn": timestamp(modified, 2 if i % 4 == 0 else 3),
        "Sellable": True,
        "PickZones": "",
        "BillOfMaterial": i % 25 == 4,
        "AutoAssembly": False,
        "AutoDisassembly": False,
        "QuantityToProduce": 1 if i % 25 == 4 else 0,
        "AssemblyInstructionURL": "",
        "AssemblyCostEstimationMethod": "Average Cost",
        "BOMType": "Assembly" if i % 25 == 4 else "",
        "HSCode": "" if i % 3 else "6109.10",
        "CountryOfOrigin": "New Zealand" if i % 2 else "China",
        "CountryOfOriginCode": "NZ" if i % 2 else "CN",
        **{name: [] for name in PRODUCT_ARRAYS},
    }
    if i % 9 == 2:
        row["AdditionalAttribute1"] = "true"
        row["AdditionalAttribute2"] = "Blue"
    return row


def product_extras(ds: Dataset, i: int, which: set[str]) -> JsonDict:
    """Return the nested arrays of product ``i`` that the Include* flags asked for."""
    rng = ds.rng("product-extra", i)
    refs = ds.refs
    pid = ds.ids.make("product", i)
    sku = product_sku(i)
    out: JsonDict = {}
    if "Suppliers" in which:
        suppliers = []
        for k in range(1 + i % 2):
            s = (i * 7 + k) % max(1, ds.counts["supplier"])
            sup = ds.row("supplier", s)
            cost = num(rng.uniform(1, 200))
            suppliers.append(
                {
                    "ProductSupplierID": ds.ids.sub("product-supplier", i, k),
                    "SupplierID": sup["ID"],
                    "SupplierName": sup["Name"],
                    "ProductID": pid,
                    "ProductSKU": sku,
                    "SupplierInventoryCode": f"SUP-{s}-{i}",
                    "SupplierProductName": product_name(i),
                    "Cost": cost,
                    "FixedCost": 0,
                    "PurchaseCost": 0,
                    "Currency": sup["Currency"],
                    "DropShip": False,
                    "SupplierProductURL": "",
                    "LastSupplied": business_date(ds.past_day(rng, 10, 300)),
                    "ProductSupplierOptions": [
                        {
                            "ID": ds.ids.sub("pso", i, k),
                            "LocationID": refs.warehouses[0]["ID"],
                            "LocationName": refs.warehouses[0]["Name"],
                            "ReorderQuantity": 10,
                            "Lead": 7,
                            "Safety": 2,
                            "MinimumToReorder": 5,
                            "SupplyIntervals": [],
                        }
                    ],
                }
            )
        out["Suppliers"] = suppliers
    if "ReorderLevels" in which:
        out["ReorderLevels"] = [
            {
                "LocationID": w["ID"],
                "LocationName": w["Name"],
                "MinimumBeforeReorder": 5 + k,
                "ReorderQuantity": 20,
                "StockLocator": "",
                "PickZones": "",
            }
            for k, w in enumerate(refs.warehouses[: 1 + i % 3])
        ]
    if "BillOfMaterialsProducts" in which:
        components = [(i + 1 + k) % ds.counts["product"] for k in range(2)] if i % 25 == 4 else []
        out["BillOfMaterialsProducts"] = [
            {
                "ComponentProductID": ds.ids.make("product", c),
                "ProductCode": product_sku(c),
                "Name": product_name(c),
                "Quantity": 2,
                "WastagePercent": 0,
                "WastageQuantity": 0,
                "CostPercentage": 50,
            }
            for c in components
        ]
        out["BillOfMaterialsServices"] = (
            [
                {
                    "ComponentProductID": ds.ids.sub("bom-service", i),
                    "Name": "Assembly labour",
                    "Quantity": 0.25,
                    "ExpenseAccount": "429",
                    "PriceTier": 1,
                }
            ]
            if i % 25 == 4
            else []
        )
    if "Movements" in which:
        out["Movements"] = [
            {
                "TaskID": ds.ids.sub("movement", i, k),
                "Type": ("Purchase", "Sale", "Adjustment")[k % 3],
                "Date": business_date(ds.past_day(rng, 1, 400)),
                "Number": f"M-{i}-{k}",
                "Status": 1,
                "Quantity": (-1 if k % 3 == 1 else 1) * rng.randrange(1, 20),
                "Amount": num(rng.uniform(5, 500)),
                "Location": refs.warehouses[k % len(refs.warehouses)]["Name"],
                "BatchSN": None,
                "ExpiryDate": None,
                "FromTo": "",
            }
            for k in range(rng.randrange(0, 6))
        ]
    if "Attachments" in which:
        out["Attachments"] = (
            [
                {
                    "ID": ds.ids.sub("attachment", i),
                    "ContentType": "image/png",
                    "IsDefault": "true",
                    "FileName": f"{sku}.png",
                    "DownloadUrl": f"https://files.example/{sku}.png",
                }
            ]
            if i % 4 == 0
            else []
        )
    if "CustomPrices" in which:
        out["CustomPrices"] = []
        if i % 6 == 0 and ds.counts["customer"]:
            c = i % ds.counts["customer"]
            cust = ds.row("customer", c)
            out["CustomPrices"].append(
                {
                    "ProductID": pid,
                    "CustomerID": cust["ID"],
                    "CustomerName": cust["Name"],
                    "ProductSKU": sku,
                    "ProductName": product_name(i),
                    "Price": 9.9,
                }
            )
    return out


def _addresses(ds: Dataset, kind: str, i: int, rng: Any) -> list[JsonDict]:
    out = []
    for k, kind_name in enumerate(("Billing", "Business", "Shipping")[: 1 + i % 3]):
        city, state, post, country = awkward.CITIES[(i + k) % len(awkward.CITIES)]
        out.append(
            {
                "ID": ds.ids.sub(kind, "address", i, k),
                "Line1": f"{rng.randrange(1, 400)} Main Road",
                "Line2": "" if k else None,
                "City": city,
                "State": state,
                "Postcode": post,
                "Country": country,
                "Type": kind_name,
                "DefaultForType": True,
            }
        )
    return out


def _contacts(ds: Dataset, kind: str, i: int) -> list[JsonDict]:
    out = []
    for k in range(1 + i % 2):
        person = awkward.PEOPLE[(i + k) % len(awkward.PEOPLE)]
        out.append(
            {
                "ID": ds.ids.sub(kind, "contact", i, k),
                "Name": person,
                "Phone": f"+64 9 555 {1000 + i:04d}",
                "MobilePhone": "" if k else None,
                "Fax": None,
                "Email": f"contact{i}.{k}@example.com",
                "Website": "",
                "Comment": None if k else "",
                "Default": k == 0,
                "IncludeInEmail": True,
            }
        )
    return out


def party_name(kind: str, i: int) -> str:
    """Return a customer's or supplier's name; awkward ones spread through the list."""
    if kind == "customer":
        if i == 5 or i % 5 == 4:
            if i == 5:
                return awkward.CUSTOMER_NAMES[0]
            return f"{awkward.CUSTOMER_NAMES[1 + (i // 5) % (len(awkward.CUSTOMER_NAMES) - 1)]} {i}"
    elif i % 6 == 3:
        return f"{awkward.SUPPLIER_NAMES[(i // 6) % len(awkward.SUPPLIER_NAMES)]} {i}"
    first = awkward.COMPANY_FIRST[i % len(awkward.COMPANY_FIRST)]
    last = awkward.COMPANY_LAST[(i // len(awkward.COMPANY_FIRST)) % len(awkward.COMPANY_LAST)]
    return f"{first} {last} {i + 1}"


def customer(ds: Dataset, i: int) -> JsonDict:
    """Return the ``CustomerList[]`` row of customer ``i``."""
    rng = ds.rng("customer", i)
    refs = ds.refs
    return {
        "ID": ds.ids.make("customer", i),
        "Name": party_name("customer", i),
        "Status": "Deprecated" if ds.is_deprecated("customer", i) else "Active",
        "Currency": "NZD" if i % 4 else "AUD",
        "PaymentTerm": refs.payment_terms[i % len(refs.payment_terms)]["Name"],
        "AccountReceivable": "610",
        "RevenueAccount": "200",
        "TaxRule": refs.taxes[0]["Name"],
        "PriceTier": refs.price_tiers[i % 3]["Name"],
        "Carrier": None if i % 3 == 0 else refs.carriers[i % len(refs.carriers)]["Description"],
        "SalesRepresentative": None if i % 2 else refs.me_contacts[0]["Name"],
        "Location": refs.warehouses[i % len(refs.warehouses)]["Name"],
        "Discount": (0, 5, 12.5)[i % 3],
        "Comments": (None, "", "Prefers morning deliveries")[i % 3],
        "TaxNumber": None if i % 2 else f"{100000000 + i}",
        "CreditLimit": (0, 5000, 2500.5)[i % 3],
        "Tags": None if i % 4 else "",
        "AttributeSet": None,
        **{f"AdditionalAttribute{n}": (None if i % 2 else "") for n in range(1, 11)},
        "LastModifiedOn": timestamp(ds.past_moment(rng, 30, 440), 2 + i % 2),
        "IsOnCreditHold": i % 29 == 3,
        "ProductPrices": [],
        "Addresses": _addresses(ds, "customer", i, rng),
        "Contacts": _contacts(ds, "customer", i),
    }


def supplier(ds: Dataset, i: int) -> JsonDict:
    """Return the ``SupplierList[]`` row of supplier ``i``."""
    rng = ds.rng("supplier", i)
    return {
        "ID": ds.ids.make("supplier", i),
        "Name": party_name("supplier", i),
        "Currency": ("NZD", "USD", "AUD", "CNY")[i % 4],
        "PaymentTerm": ds.refs.payment_terms[(i + 1) % len(ds.refs.payment_terms)]["Name"],
        "AccountPayable": "800",
        "TaxRule": ds.refs.taxes[1]["Name"],
        "Status": "Deprecated" if ds.is_deprecated("supplier", i) else "Active",
        "Discount": (0, 2.5, 10)[i % 3],
        "Comments": (None, "", "Ships on Tuesdays")[i % 3],
        "TaxNumber": None if i % 3 else f"GST-{i:05d}",
        "AttributeSet": None,
        **{f"AdditionalAttribute{n}": (None if i % 2 else "") for n in range(1, 11)},
        "LastModifiedOn": timestamp(ds.past_moment(rng, 30, 440), 3 - i % 2),
        "Addresses": _addresses(ds, "supplier", i, rng),
        "Contacts": _contacts(ds, "supplier", i),
    }


FAMILY_SIZE = 5


def product_family(ds: Dataset, i: int) -> JsonDict:
    """Return the ``ProductFamilies[]`` row of family ``i``; its members are real products."""
    rng = ds.rng("productfamily", i)
    n_products = ds.counts["product"]
    members = sorted({(i * FAMILY_SIZE + k) % n_products for k in range(FAMILY_SIZE)}) if n_products else []
    name = f"{awkward.WORDS_NOUN[i % 15]} family {i + 1}"
    return {
        "ID": ds.ids.make("productfamily", i),
        "SKU": f"FAM-{i + 1:05d}",
        "Name": name,
        "Category": ds.refs.categories[i % len(ds.refs.categories)]["Name"],
        "Brand": None if i % 2 else ds.refs.brands[i % len(ds.refs.brands)]["Name"],
        "CostingMethod": "FIFO",
        "DropShipMode": "No Drop Ship",
        "DefaultLocation": ds.refs.warehouses[0]["Name"],
        "UOM": "Item",
        "MinimumBeforeReorder": 0,
        "ReorderQuantity": 0,
        **{f"PriceTier{t}": num(50 - t * 1.25) for t in range(1, 11)},
        "ShortDescription": None,
        "Description": None if i % 2 else f"The {name}",
        "Tags": "",
        "AttributeSet": None,
        "DiscountRule": None,
        "COGSAccount": None,
        "RevenueAccount": None,
        "InventoryAccount": None,
        "PurchaseTaxRule": None,
        "SaleTaxRule": None,
        "Option1Name": "Size",
        "Option1Values": "S,M,L",
        "Option2Name": "Colour",
        "Option2Values": "Red,Blue",
        "Option3Name": "",
        "Option3Values": "",
        "HSCode": "",
        "CountryOfOrigin": "New Zealand",
        "CountryOfOriginCode": "NZ",
        "LastModifiedOn": timestamp(ds.past_moment(rng, 30, 400), 3),
        "Products": [
            {
                "ID": ds.ids.make("product", m),
                "SKU": product_sku(m),
                "Name": product_name(m),
                "Option1": ("S", "M", "L")[k % 3],
                "Option2": ("Red", "Blue")[k % 2],
                "Option3": "",
            }
            for k, m in enumerate(members)
        ],
        "Attachments": [],
    }


AVAILABILITY_SLOTS = 2


def availability(ds: Dataset, product_index: int, slot: int) -> JsonDict:
    """One ``ProductAvailabilityList[]`` row: product × location (× bin)."""
    rng = ds.rng("availability", product_index * AVAILABILITY_SLOTS + slot)
    refs = ds.refs
    head = ds.row("product", product_index)
    warehouse = refs.warehouses[(product_index + slot) % len(refs.warehouses)]
    zero = rng.random() < 0.3
    on_hand = 0 if zero else num(rng.randrange(1, 500) + (0.5 if rng.random() < 0.1 else 0))
    allocated = 0 if zero else min(on_hand, rng.randrange(0, 20))
    return {
        "ID": head["ID"],
        "SKU": head["SKU"],
        "Name": head["Name"],
        "Barcode": head["Barcode"] or None,
        "Location": warehouse["Name"],
        "Bin": warehouse["Bins"][product_index % len(warehouse["Bins"])]["Name"]
        if slot == 1 and not zero
        else None,
        "Batch": f"B{product_index:05d}" if head["CostingMethod"].endswith("Batch") and not zero else None,
        "ExpiryDate": None,
        "OnHand": on_hand,
        "Allocated": allocated,
        "Available": num(on_hand - allocated),
        "OnOrder": 0 if rng.random() < 0.7 else rng.randrange(1, 50),
        "StockOnHand": num(on_hand * float(head["AverageCost"] or 0)),
        "InTransit": 0,
    }
