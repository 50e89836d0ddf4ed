"""Products: names and SKUs, the ``Products[]`` row, product families and stock availability rows."""

from __future__ import annotations

from app.sandbox import awkward
from app.sandbox.account import Account, JsonDict
from app.sandbox.ids import num, timestamp
from app.sandbox.movements import batch_of, ledger_of

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


def product(ds: Account, i: int) -> JsonDict:
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


def dimension_fields(ds: Account, product: int) -> JsonDict:
    """Return the product dimensions and custom fields DEAR repeats on every document line."""
    head = ds.row("product", product)
    return {
        "ProductLength": head["Length"],
        "ProductWidth": head["Width"],
        "ProductHeight": head["Height"],
        "ProductWeight": head["Weight"],
        "WeightUnits": head["WeightUnits"],
        "DimensionsUnits": head["DimensionsUnits"],
        **{f"ProductCustomField{n}": "" for n in range(1, 11)},
    }


FAMILY_SIZE = 5


def product_family(ds: Account, i: int) -> JsonDict:
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


def availability(ds: Account, product_index: int, location: int) -> JsonDict:
    """One ``ProductAvailabilityList[]`` row: product × location, read from the stock ledger.

    docs/dear-api.md §11.3: ``StockOnHand`` is the stock's value (the sum of the movements'
    ``Amount``), ``OnHand`` the quantity; ``InTransit`` repeats ``OnOrder``.
    """
    ledger = ledger_of(ds)
    place = (product_index, location)
    head = ds.row("product", product_index)
    warehouse = ds.refs.warehouses[location]
    on_hand = num(ledger.on_hand.get(place, 0.0))
    allocated = num(max(0.0, min(float(on_hand), ledger.allocated.get(place, 0.0))))
    on_order = num(ledger.on_order.get(place, 0.0))
    batch, expiry = batch_of(ds, product_index)
    bins = warehouse["Bins"]
    return {
        "ID": head["ID"],
        "SKU": head["SKU"],
        "Name": head["Name"],
        "Barcode": head["Barcode"] or None,
        "Location": warehouse["Name"],
        "Bin": bins[product_index % len(bins)]["Name"]
        if on_hand and (product_index + location) % 2
        else None,
        "Batch": batch,
        "ExpiryDate": expiry,
        "OnHand": on_hand,
        "Allocated": allocated,
        "Available": num(on_hand - allocated),
        "OnOrder": on_order,
        "StockOnHand": num(ledger.value.get(place, 0.0), 2) if on_hand else 0,
        "InTransit": on_order,
    }
