"""Inventory operations: adjustment and transfer lines, adjustments, transfers, stocktakes, write-offs."""

from __future__ import annotations

from app.catalogue import hooks
from app.catalogue.vocabulary import (
    DATE,
    DATETIME,
    GUID,
    INTEGER,
    NUMBER,
    SIMPLE_TASK_STATUS,
    TRANSFER_STATUS,
    choice,
    col,
    extra,
    search,
)
from app.models import DetailSpec, EndpointSpec, Group

_ADJUSTMENT_STATUS = choice("Status", "Status", SIMPLE_TASK_STATUS)
_TRANSFER_FILTERS = (
    choice("Status", "Status", TRANSFER_STATUS),
    search("from and to location, status, reference and transfer number"),
)

STOCK_ADJUSTMENT_LINES = EndpointSpec(
    key="stock-adjustment-lines",
    label="Stock adjustment lines",
    description="One row per adjusted product on each stock adjustment, existing and new stock.",
    group=Group.INVENTORY,
    path="stockadjustmentList",
    list_key="StockAdjustmentList",
    id_field="TaskID",
    filters=(_ADJUSTMENT_STATUS,),
    columns=(
        col("StocktakeNumber", "Adjustment number"),
        col("EffectiveDate", "Effective date", DATE),
        col("AdjustmentStatus", "Status"),
        col("Reference", "Reference"),
        col("LineType", "Line type"),
        col("LineNumber", "Line", INTEGER),
        col("SKU", "SKU"),
        col("ProductName", "Product"),
        col("Location", "Location"),
        col("BatchSN", "Batch or serial number"),
        col("ExpiryDate", "Expiry date", DATE),
        col("QuantityOnHand", "On hand before", NUMBER),
        col("Available", "Available before", NUMBER),
        col("Adjustment", "Adjusted quantity", NUMBER),
        col("Quantity", "New stock quantity", NUMBER),
        col("UnitCost", "New stock unit cost", NUMBER),
        extra("ReceivedDate", "Received date", DATE),
        extra("Comments", "Comments"),
        extra("Account", "Account"),
        extra("ProductID", "Product ID", GUID),
        extra("TaskID", "Adjustment ID", GUID),
    ),
    detail=DetailSpec(path="stockadjustment", param="TaskID", id_field="TaskID"),
    rows_hook=hooks.stock_adjustment_lines,
    order_by=("StocktakeNumber",),
)

STOCK_TRANSFER_LINES = EndpointSpec(
    key="stock-transfer-lines",
    label="Stock transfer lines",
    description="One row per product moved on each stock transfer, with the from and to locations.",
    group=Group.INVENTORY,
    path="stockTransferList",
    list_key="StockTransferList",
    id_field="TaskID",
    filters=_TRANSFER_FILTERS,
    columns=(
        col("Number", "Transfer number"),
        col("TransferStatus", "Status"),
        col("FromLocation", "From location"),
        col("ToLocation", "To location"),
        col("DepartureDate", "Departure date", DATE),
        col("CompletionDate", "Completion date", DATE),
        col("LineNumber", "Line", INTEGER),
        col("SKU", "SKU"),
        col("ProductName", "Product"),
        col("TransferQuantity", "Quantity transferred", NUMBER),
        col("BatchSN", "Batch or serial number"),
        col("ExpiryDate", "Expiry date", DATE),
        extra("QuantityOnHand", "On hand at source", NUMBER),
        extra("QuantityAvailable", "Available at source", NUMBER),
        extra("Comments", "Comments"),
        extra("Reference", "Reference"),
        extra("ProductID", "Product ID", GUID),
        extra("TaskID", "Transfer ID", GUID),
    ),
    detail=DetailSpec(path="stockTransfer", param="TaskID", id_field="TaskID"),
    rows_hook=hooks.stock_transfer_lines,
    order_by=("Number",),
)

STOCK_ADJUSTMENTS = EndpointSpec(
    key="stock-adjustments",
    label="Stock adjustments",
    description="One row per stock adjustment with its number, date, status and account.",
    group=Group.INVENTORY,
    path="stockadjustmentList",
    list_key="StockAdjustmentList",
    id_field="TaskID",
    filters=(_ADJUSTMENT_STATUS,),
    columns=(
        col("StocktakeNumber", "Adjustment number"),
        col("EffectiveDate", "Effective date", DATE),
        col("Status", "Status"),
        col("Reference", "Reference"),
        col("Account", "Account"),
        extra("TaskID", "Adjustment ID", GUID),
    ),
    order_by=("StocktakeNumber",),
)

STOCK_TRANSFERS = EndpointSpec(
    key="stock-transfers",
    label="Stock transfers",
    description="One row per stock transfer between locations, with its status and dates.",
    group=Group.INVENTORY,
    path="stockTransferList",
    list_key="StockTransferList",
    id_field="TaskID",
    filters=_TRANSFER_FILTERS,
    columns=(
        col("Number", "Transfer number"),
        col("Status", "Status"),
        col("FromLocation", "From location"),
        col("ToLocation", "To location"),
        col("DepartureDate", "Departure date", DATE),
        col("CompletionDate", "Completion date", DATE),
        col("Reference", "Reference"),
        extra("CostDistributionType", "Cost distribution"),
        extra("InTransitAccount", "In-transit account"),
        extra("LastModifiedOn", "Last changed", DATETIME),
        extra("From", "From location ID", GUID),
        extra("To", "To location ID", GUID),
        extra("TaskID", "Transfer ID", GUID),
    ),
    order_by=("Number",),
)

STOCKTAKES = EndpointSpec(
    key="stocktakes",
    label="Stocktakes",
    description="One row per stocktake with its number, location, date, status and what it covered.",
    group=Group.INVENTORY,
    path="stockTakeList",
    # The doc's example wraps stocktakes in StockAdjustmentList (sic); accept both (REFERENCE §8.1).
    list_key="StockAdjustmentList",
    alt_list_keys=("StockTakeList",),
    id_field="TaskID",
    filters=(choice("Status", "Status", SIMPLE_TASK_STATUS),),
    columns=(
        col("StocktakeNumber", "Stocktake number"),
        col("EffectiveDate", "Effective date", DATE),
        col("Status", "Status"),
        col("Location", "Location"),
        col("Reference", "Reference"),
        col("Categories", "Categories"),
        col("Brands", "Brands"),
        extra("Tags", "Tags"),
        extra("PickZones", "Pick zones"),
        extra("StockLocators", "Stock locators"),
        extra("Bins", "Bins"),
        extra("Account", "Account"),
        extra("CreatedDate", "Created", DATETIME),
        extra("LastUpdatedDate", "Last changed", DATETIME),
        extra("LastUpdatedBy", "Last changed by"),
        extra("LocationID", "Location ID", GUID),
        extra("TaskID", "Stocktake ID", GUID),
    ),
    order_by=("StocktakeNumber",),
)

INVENTORY_WRITE_OFFS = EndpointSpec(
    key="inventory-write-offs",
    label="Inventory write-offs",
    description="One row per inventory write-off with its number, date, location and status.",
    group=Group.INVENTORY,
    path="inventoryWriteOffList",
    list_key="InventoryWriteOffs",
    id_field="TaskID",
    filters=(
        choice("Status", "Status", SIMPLE_TASK_STATUS),
        search("write-off number, location, status and notes"),
    ),
    columns=(
        col("InventoryWriteOffNumber", "Write-off number"),
        col("Date", "Date", DATE),
        col("Location", "Location"),
        col("Status", "Status"),
        col("Notes", "Notes"),
        extra("LocationID", "Location ID", GUID),
        extra("TaskID", "Write-off ID", GUID),
    ),
    order_by=("InventoryWriteOffNumber",),
)

ENTRIES = (
    STOCK_ADJUSTMENT_LINES,
    STOCK_TRANSFER_LINES,
    STOCK_ADJUSTMENTS,
    STOCK_TRANSFERS,
    STOCKTAKES,
    INVENTORY_WRITE_OFFS,
)
"""This group's reports, in display order (line reports first)."""
