"""The nested arrays a product row gets when ``/product`` is asked for them with Include* flags."""

from __future__ import annotations

from app.sandbox.account import Account, JsonDict
from app.sandbox.ids import business_date, num
from app.sandbox.movements import ledger_of
from app.sandbox.products import product_name, product_sku


def product_extras(ds: Account, i: int, which: set[str]) -> JsonDict:
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
        out["Movements"] = ledger_of(ds).movements(i)
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
