"""Manufacturing: assembly (finished goods) component lines, assemblies and disassemblies."""

from __future__ import annotations

from app.catalogue import hooks
from app.catalogue.vocabulary import (
    ASSEMBLY_STATUS,
    DATE,
    DISASSEMBLY_STATUS,
    GUID,
    INTEGER,
    MONEY,
    NUMBER,
    QUANTITY,
    choice,
    col,
    extra,
    guid,
    search,
)
from app.models import DetailSpec, EndpointSpec, Group

_ASSEMBLY_FILTERS = (
    choice("Status", "Status", ASSEMBLY_STATUS),
    search("assembly number, product and status"),
    guid("SaleID", "Sale ID"),
)

FINISHED_GOODS_LINES = EndpointSpec(
    key="finished-goods-lines",
    label="Assembly component lines",
    description="One row per component planned and picked for each assembly (finished goods).",
    group=Group.MANUFACTURING,
    path="finishedGoodsList",
    list_key="FinishedGoods",
    id_field="TaskID",
    date_field="Date",
    date_label="Date",
    filters=_ASSEMBLY_FILTERS,
    columns=(
        col("AssemblyNumber", "Assembly number"),
        col("AssemblyDate", "Assembly date", DATE),
        col("AssemblyStatus", "Status"),
        col("AssemblyLocation", "Location"),
        col("AssembledSKU", "Assembled SKU"),
        col("AssembledProduct", "Assembled product"),
        col("AssembledQuantity", "Assembled quantity", QUANTITY),
        col("Stage", "Stage"),
        col("LineNumber", "Line", INTEGER),
        col("ProductCode", "Component SKU"),
        col("Name", "Component"),
        col("Quantity", "Quantity", QUANTITY),
        col("Unit", "Unit"),
        col("TotalQuantity", "Total quantity", QUANTITY),
        col("TotalCost", "Total cost", MONEY),
        col("Cost", "Picked cost", MONEY),
        extra("WastagePercent", "Wastage %", NUMBER),
        extra("WastageQuantity", "Wastage quantity", QUANTITY),
        extra("Bin", "Bin"),
        extra("BatchSN", "Batch or serial number"),
        extra("ExpiryDate", "Expiry date", DATE),
        extra("ExpenseAccount", "Expense account"),
        extra("ProductID", "Component ID", GUID),
        extra("TaskID", "Assembly ID", GUID),
    ),
    detail=DetailSpec(path="finishedGoods", param="TaskID", id_field="TaskID"),
    rows_hook=hooks.finished_goods_lines,
    order_by=("AssemblyNumber",),
)

FINISHED_GOODS = EndpointSpec(
    key="finished-goods",
    label="Assemblies (finished goods)",
    description="One row per assembly: the product made, quantity, cost, location and status.",
    group=Group.MANUFACTURING,
    path="finishedGoodsList",
    list_key="FinishedGoods",
    id_field="TaskID",
    date_field="Date",
    date_label="Date",
    filters=_ASSEMBLY_FILTERS,
    columns=(
        col("AssemblyNumber", "Assembly number"),
        col("Date", "Date", DATE),
        col("Status", "Status"),
        col("ProductCode", "SKU"),
        col("ProductName", "Product"),
        col("Quantity", "Quantity", QUANTITY),
        col("UnitCost", "Unit cost", MONEY),
        col("Location", "Location"),
        col("BatchSN", "Batch or serial number"),
        extra("ExpiryDate", "Expiry date", DATE),
        extra("Notes", "Notes"),
        *(extra(f"CustomField{n}", f"Custom field {n}") for n in range(1, 11)),
        extra("ProductID", "Product ID", GUID),
        extra("LocationID", "Location ID", GUID),
        extra("TaskID", "Assembly ID", GUID),
    ),
    order_by=("AssemblyNumber",),
)

DISASSEMBLIES = EndpointSpec(
    key="disassemblies",
    label="Disassemblies",
    description="One row per disassembly: the product taken apart, quantity, location and status.",
    group=Group.MANUFACTURING,
    path="disassemblyList",
    list_key="Disassemblies",
    id_field="TaskID",
    date_field="Date",
    date_label="Date",
    filters=(
        choice("Status", "Status", DISASSEMBLY_STATUS),
        search("disassembly number, product and status"),
    ),
    columns=(
        col("DisassemblyNumber", "Disassembly number"),
        col("Date", "Date", DATE),
        col("Status", "Status"),
        col("ProductCode", "SKU"),
        col("ProductName", "Product"),
        col("Quantity", "Quantity", QUANTITY),
        col("Location", "Location"),
        extra("ProductID", "Product ID", GUID),
        extra("LocationID", "Location ID", GUID),
        extra("TaskID", "Disassembly ID", GUID),
    ),
    order_by=("DisassemblyNumber",),
)

ENTRIES = (FINISHED_GOODS_LINES, FINISHED_GOODS, DISASSEMBLIES)
"""This group's reports, in display order (line reports first)."""
