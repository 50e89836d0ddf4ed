"""The API surface: which handler answers each ``/ExternalApi/v2/`` path (lower-cased)."""

from __future__ import annotations

from app.sandbox.document_endpoints import (
    detail,
    purchase_credit_list,
    purchase_list,
    sale_credit_list,
    sale_list,
    simple_purchase,
)
from app.sandbox.master_endpoints import availability_list, family_list, party_list, product_list
from app.sandbox.paging import Handler
from app.sandbox.task_endpoints import book, me, price_tiers, task_list

ROUTES: dict[str, Handler] = {
    "me": me,
    "me/addresses": book("me_addresses", "MeAddressesList", id_field="AddressID", name_param=""),
    "me/contacts": book("me_contacts", "MeContactsList", id_field="ContactID"),
    "product": product_list,
    "ref/productavailability": availability_list,
    "productfamily": family_list,
    "customer": party_list("customer", "CustomerList"),
    "supplier": party_list("supplier", "SupplierList"),
    "salelist": sale_list,
    "salecreditnotelist": sale_credit_list,
    "sale": detail("sale", "id"),
    "purchaselist": purchase_list,
    "purchasecreditnotelist": purchase_credit_list,
    "advanced-purchase": detail("purchase", "id"),
    "purchase": simple_purchase,
    "stockadjustmentlist": task_list("stockadjustment", "StockAdjustmentList"),
    "stockadjustment": detail("stockadjustment", "taskid"),
    "stocktakelist": task_list("stocktake", "StockAdjustmentList"),
    "stocktake": detail("stocktake", "taskid"),
    "stocktransferlist": task_list(
        "stocktransfer", "StockTransferList", ("FromLocation", "ToLocation", "Status", "Reference", "Number")
    ),
    "stocktransfer": detail("stocktransfer", "taskid"),
    "inventorywriteofflist": task_list(
        "inventorywriteoff", "InventoryWriteOffs", ("InventoryWriteOffNumber", "Location", "Notes", "Status")
    ),
    "inventorywriteoff": detail("inventorywriteoff", "taskid"),
    "finishedgoodslist": task_list(
        "finishedgoods", "FinishedGoods", ("AssemblyNumber", "ProductCode", "ProductName", "Status")
    ),
    "finishedgoods": detail("finishedgoods", "taskid"),
    "disassemblylist": task_list(
        "disassembly", "Disassemblies", ("DisassemblyNumber", "ProductCode", "ProductName", "Status")
    ),
    "disassembly": detail("disassembly", "taskid"),
    "journal": task_list("journal", "Journals", ("JournalNumber", "Narration", "Status")),
    "transactions": task_list("transaction", "Transactions"),
    "moneytasklist": task_list("moneytask", "MoneyTasks", ("Reference", "SupplierCustomerName", "Status")),
    "ref/account": book("accounts", "AccountsList"),
    "ref/account/bank": book("bank_accounts", "BankAccountsList", "AccountName", "AccountID"),
    "ref/tax": book("taxes", "TaxRuleList"),
    "ref/paymentterm": book("payment_terms", "PaymentTermList"),
    "ref/pricetier": price_tiers,
    "ref/unit": book("units", "UnitList"),
    "ref/category": book("categories", "CategoryList"),
    "ref/brand": book("brands", "BrandList"),
    "ref/carrier": book("carriers", "CarrierList", "Description", "CarrierID", "description"),
    "ref/location": book("locations", "LocationList"),
    "ref/attributeset": book("attribute_sets", "AttributeSetList"),
}
