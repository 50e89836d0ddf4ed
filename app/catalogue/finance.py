"""Finance: journals, transactions, money tasks, the chart of accounts and bank accounts."""

from __future__ import annotations

from app.catalogue.vocabulary import (
    BOOL,
    DATE,
    GUID,
    MONEY,
    MONEY_TASK_TYPES,
    NUMBER,
    SIMPLE_TASK_STATUS,
    choice,
    col,
    exact,
    extra,
    guid,
    on_date,
    search,
    starts_with,
)
from app.models import ChildTable, EndpointSpec, Group, RangeFilters

JOURNALS = EndpointSpec(
    key="journals",
    label="Manual journals",
    description="One row per manual journal; its debit and credit lines on request.",
    group=Group.FINANCE,
    path="journal",
    list_key="Journals",
    id_field="TaskID",
    date_field="EffectiveDate",
    date_label="Effective date",
    filters=(
        choice("Status", "Status", SIMPLE_TASK_STATUS),
        search("journal number, narration and status"),
        guid("TaskID", "Journal ID"),
    ),
    columns=(
        col("JournalNumber", "Journal number"),
        col("EffectiveDate", "Effective date", DATE),
        col("Status", "Status"),
        col("Narration", "Narration"),
        col("Currency", "Currency"),
        extra("CurrencyConversionRate", "Currency rate", NUMBER),
        extra("Notes", "Notes"),
        extra("TaskID", "Journal ID", GUID),
    ),
    children=(
        ChildTable(
            field="Lines",
            label="Journal lines",
            columns=(
                col("Debit", "Debit account"),
                col("Credit", "Credit account"),
                col("Amount", "Amount", MONEY),
                col("BaseAmount", "Amount in base currency", MONEY),
                col("Reference", "Reference"),
            ),
        ),
    ),
    order_by=("JournalNumber",),
)

TRANSACTIONS = EndpointSpec(
    key="transactions",
    label="Accounting transactions",
    description="Every debit/credit posting DEAR made (sales, purchases, stock, money), by effective date.",
    group=Group.FINANCE,
    path="transactions",
    list_key="Transactions",
    id_field="TaskID",
    # One task posts several transactions and the rows carry no ID of their own.
    key_fields=(
        "TaskID",
        "Transaction",
        "EffectiveDate",
        "DebitAccountCode",
        "CreditAccountCode",
        "Amount",
        "Reference",
        "Type",
    ),
    filters=(
        on_date("FromDate", "From date", "effective date after this date"),
        on_date("ToDate", "To date", "effective date before this date"),
        exact("Account", "Account code", help="the account's code, on the debit or credit side"),
    ),
    # DEAR's wording is strict ("after", "before"): the range is bounded inside its first and last second.
    range_filters=RangeFilters("FromDate", "ToDate"),
    columns=(
        col("EffectiveDate", "Effective date", DATE),
        col("Type", "Type"),
        col("Reference", "Reference"),
        col("DebitAccountCode", "Debit account"),
        col("CreditAccountCode", "Credit account"),
        col("Amount", "Amount", MONEY),
        col("Transaction", "Transaction"),
        extra("TaskID", "Task ID", GUID),
    ),
    order_by=("EffectiveDate", "Reference"),
)

MONEY_TASKS = EndpointSpec(
    key="money-tasks",
    label="Money tasks (spend, receive, transfer)",
    description="One row per spend money, receive money and bank transfer task.",
    group=Group.FINANCE,
    path="moneyTaskList",
    list_key="MoneyTasks",
    id_field="TaskID",
    date_field="Date",
    date_label="Date",
    sheet_name="Money tasks",
    filters=(
        choice("TaskType", "Type", MONEY_TASK_TYPES),
        choice("Status", "Status", SIMPLE_TASK_STATUS),
        search("reference, customer or supplier and status"),
    ),
    columns=(
        col("Date", "Date", DATE),
        col("TaskType", "Type"),
        col("Reference", "Reference"),
        col("SupplierCustomerName", "Customer or supplier"),
        col("TotalAmount", "Total", MONEY),
        col("Status", "Status"),
        extra("CustomerID", "Customer ID", GUID),
        extra("SupplierID", "Supplier ID", GUID),
        extra("TaskID", "Task ID", GUID),
    ),
    order_by=("Date", "Reference"),
)

ACCOUNTS = EndpointSpec(
    key="accounts",
    label="Chart of accounts",
    description="Every account in the chart of accounts with its code, type, class and status.",
    group=Group.FINANCE,
    path="ref/account",
    # Plural, unlike the other reference books (docs/dear-api.md §8.1).
    list_key="AccountsList",
    id_field="Code",
    filters=(
        exact("Code", "Account code", help="the account's code"),
        starts_with("Name", "Account name"),
        exact("Type", "Type", help="the account type, for example BANK or EXPENSE"),
        exact("Status", "Status", help="for example ACTIVE"),
        exact("Class", "Class", help="for example ASSET or REVENUE"),
    ),
    columns=(
        col("Code", "Code"),
        col("Name", "Name"),
        col("Type", "Type"),
        col("Class", "Class"),
        col("Status", "Status"),
        col("Description", "Description"),
        extra("DisplayName", "Display name"),
        extra("SystemAccount", "System account"),
        extra("ForPayments", "Used for payments", BOOL),
        extra("BankAccountNumber", "Bank account number"),
        extra("OldCode", "Old code"),
        extra("BankAccountId", "Bank account ID", GUID),
    ),
    order_by=("Code",),
)

BANK_ACCOUNTS = EndpointSpec(
    key="bank-accounts",
    label="Bank accounts",
    description="Bank accounts with their account codes, currency and balances.",
    group=Group.FINANCE,
    path="ref/account/bank",
    list_key="BankAccountsList",
    id_field="AccountID",
    filters=(
        starts_with("Name", "Account name"),
        exact("Bank", "Bank", help="the bank's name"),
        guid("ID", "Bank account ID"),
    ),
    columns=(
        col("AccountName", "Account name"),
        col("AccountCode", "Account code"),
        col("Bank", "Bank"),
        col("AccountNumber", "Account number"),
        col("Currency", "Currency"),
        col("StatementBalance", "Statement balance", MONEY),
        col("BalanceInDear", "Balance in DEAR", MONEY),
        extra("InitialBalance", "Opening balance", MONEY),
        extra("AccountID", "Bank account ID", GUID),
    ),
    order_by=("AccountCode",),
)

ENTRIES = (JOURNALS, TRANSACTIONS, MONEY_TASKS, ACCOUNTS, BANK_ACCOUNTS)
"""This group's reports, in display order."""
