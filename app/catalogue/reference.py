"""Reference books: taxes, terms, tiers, units, categories, brands, carriers, locations and more.

Also the company's own addresses and contacts (``me/addresses``, ``me/contacts``).
"""

from __future__ import annotations

from app.catalogue.vocabulary import (
    BOOL,
    GUID,
    INTEGER,
    NUMBER,
    col,
    exact,
    extra,
    guid,
    starts_with,
    yes_no,
)
from app.models import ChildTable, ColumnSpec, EndpointSpec, FilterSpec, Group


def _name_book(key: str, label: str, what: str, path: str, list_key: str) -> EndpointSpec:
    """Build a plain reference book of names (units, categories, brands)."""
    return EndpointSpec(
        key=key,
        label=label,
        description=f"Every {what} defined in DEAR.",
        group=Group.REFERENCE,
        path=path,
        list_key=list_key,
        id_field="ID",
        filters=(starts_with("Name", "Name"),),
        columns=(col("Name", "Name"), extra("ID", "ID", GUID)),
        order_by=("Name",),
    )


TAX_RULES = EndpointSpec(
    key="tax-rules",
    label="Tax rules",
    description="Tax rules with their rate, account and whether they apply to sales or purchases.",
    group=Group.REFERENCE,
    path="ref/tax",
    list_key="TaxRuleList",
    id_field="ID",
    filters=(
        exact("Name", "Name", help="the tax rule's name"),
        yes_no("IsActive", "Active"),
        yes_no("IsTaxForSale", "Used for sales"),
        yes_no("IsTaxForPurchase", "Used for purchases"),
        exact("Account", "Account code", help="the tax account's code"),
        guid("ID", "Tax rule ID"),
    ),
    columns=(
        col("Name", "Name"),
        col("TaxPercent", "Rate %", NUMBER),
        col("Account", "Account"),
        col("IsActive", "Active", BOOL),
        col("TaxInclusive", "Tax inclusive", BOOL),
        col("IsTaxForSale", "Used for sales", BOOL),
        col("IsTaxForPurchase", "Used for purchases", BOOL),
        extra("ID", "Tax rule ID", GUID),
    ),
    children=(
        ChildTable(
            field="Components",
            label="Tax components",
            columns=(
                col("Name", "Component"),
                col("Percent", "Rate %", NUMBER),
                col("AccountCode", "Account"),
                col("ComponentOrder", "Order", INTEGER),
            ),
        ),
    ),
    order_by=("Name",),
)

PAYMENT_TERMS = EndpointSpec(
    key="payment-terms",
    label="Payment terms",
    description="Payment terms with their method and number of days.",
    group=Group.REFERENCE,
    path="ref/paymentterm",
    list_key="PaymentTermList",
    id_field="ID",
    filters=(
        exact("Name", "Name", help="the payment term's name"),
        exact("Method", "Method", help="for example: number of days"),
        yes_no("IsActive", "Active"),
        yes_no("IsDefault", "Default"),
        guid("ID", "Payment term ID"),
    ),
    columns=(
        col("Name", "Name"),
        col("Duration", "Days", INTEGER),
        col("Method", "Method"),
        col("IsActive", "Active", BOOL),
        col("IsDefault", "Default", BOOL),
        extra("ID", "Payment term ID", GUID),
    ),
    order_by=("Name",),
)

PRICE_TIERS = EndpointSpec(
    key="price-tiers",
    label="Price tiers",
    description="The names of the ten price tiers (Price tier 1 to 10 on products).",
    group=Group.REFERENCE,
    path="ref/priceTier",
    list_key="PriceTiers",
    id_field="Code",
    # Always exactly ten tiers and no paging (docs/dear-api.md §2).
    paginated=False,
    columns=(col("Code", "Tier", INTEGER), col("Name", "Name")),
    order_by=("Code",),
)

UNITS = _name_book("units", "Units of measure", "unit of measure", "ref/unit", "UnitList")
CATEGORIES = _name_book(
    "categories", "Product categories", "product category", "ref/category", "CategoryList"
)
BRANDS = _name_book("brands", "Brands", "brand", "ref/brand", "BrandList")

CARRIERS = EndpointSpec(
    key="carriers",
    label="Carriers",
    description="Every shipping carrier defined in DEAR.",
    group=Group.REFERENCE,
    path="ref/carrier",
    list_key="CarrierList",
    id_field="CarrierID",
    filters=(
        exact("Description", "Carrier", help="the carrier's name"),
        guid("CarrierID", "Carrier ID"),
    ),
    columns=(col("Description", "Carrier"), extra("CarrierID", "Carrier ID", GUID)),
    order_by=("Description",),
)

LOCATIONS = EndpointSpec(
    key="locations",
    label="Locations and bins",
    description="Warehouses and their bins, with addresses (bins name their warehouse).",
    group=Group.REFERENCE,
    path="ref/location",
    list_key="LocationList",
    id_field="ID",
    filters=(
        starts_with("Name", "Name"),
        yes_no("Deprecated", "Deprecated", "only locations no longer in use (or only those in use)"),
        guid("ID", "Location ID"),
    ),
    columns=(
        col("Name", "Name"),
        col("ParentName", "Warehouse (for bins)"),
        col("IsDefault", "Default", BOOL),
        col("AddressLine1", "Address line 1"),
        col("AddressLine2", "Address line 2"),
        col("AddressCitySuburb", "City or suburb"),
        col("AddressStateProvince", "State or region"),
        col("AddressZipPostCode", "Postcode"),
        col("AddressCountry", "Country"),
        col("IsDeprecated", "Deprecated", BOOL),
        extra("PickZones", "Pick zones"),
        extra("IsStaging", "Staging", BOOL),
        extra("IsShopfloor", "Shop floor", BOOL),
        extra("IsCoMan", "Contract manufacturer", BOOL),
        extra("FixedAssetsLocation", "Fixed assets location", BOOL),
        extra("ReferenceCount", "Times used", INTEGER),
        extra("ParentID", "Warehouse ID", GUID),
        extra("ID", "Location ID", GUID),
    ),
    children=(
        ChildTable(
            field="Bins",
            label="Location bins",
            columns=(
                col("Name", "Bin"),
                col("IsDeprecated", "Deprecated", BOOL),
                col("IsStaging", "Staging", BOOL),
                extra("ID", "Bin ID", GUID),
            ),
        ),
    ),
    order_by=("Name",),
)

_ATTRIBUTE_COLUMNS: tuple[ColumnSpec, ...] = tuple(
    spec
    for n in range(1, 11)
    for spec in (
        col(f"Attribute{n}Name", f"Attribute {n}", default=n <= 5),
        extra(f"Attribute{n}Type", f"Attribute {n} type"),
        extra(f"Attribute{n}Values", f"Attribute {n} values"),
    )
)

ATTRIBUTE_SETS = EndpointSpec(
    key="attribute-sets",
    label="Attribute sets",
    description="Attribute sets and the names, types and values of their additional attributes.",
    group=Group.REFERENCE,
    path="ref/attributeset",
    list_key="AttributeSetList",
    id_field="ID",
    filters=(exact("Name", "Name", help="the attribute set's name"), guid("ID", "Attribute set ID")),
    columns=(col("Name", "Name"), *_ATTRIBUTE_COLUMNS, extra("ID", "Attribute set ID", GUID)),
    children=(
        ChildTable(
            field="Attributes",
            label="Attribute set attributes",
            columns=(
                col("Name", "Attribute"),
                col("Type", "Type"),
                col("Values", "Values"),
                col("Order", "Order", INTEGER),
            ),
        ),
    ),
    order_by=("Name",),
)

_ME_FILTERS_TYPE: tuple[FilterSpec, ...] = (
    exact("Type", "Type", help="for example Business, Shipping or Sales Representative"),
    yes_no("DefaultForType", "Default for its type"),
)

COMPANY_ADDRESSES = EndpointSpec(
    key="company-addresses",
    label="Company addresses",
    description="Your own company's business, billing and shipping addresses.",
    group=Group.REFERENCE,
    path="me/addresses",
    list_key="MeAddressesList",
    id_field="AddressID",
    filters=(
        *_ME_FILTERS_TYPE,
        exact("Country", "Country"),
        exact("StateProvince", "State or region"),
        exact("CitySuburb", "City or suburb"),
        guid("ID", "Address ID"),
    ),
    columns=(
        col("Type", "Type"),
        col("Line1", "Address line 1"),
        col("Line2", "Address line 2"),
        col("CitySuburb", "City or suburb"),
        col("StateProvince", "State or region"),
        col("ZipPostCode", "Postcode"),
        col("Country", "Country"),
        col("DefaultForType", "Default for its type", BOOL),
        extra("AddressID", "Address ID", GUID),
    ),
    order_by=("Type", "Line1"),
)

COMPANY_CONTACTS = EndpointSpec(
    key="company-contacts",
    label="Company contacts and sales reps",
    description="Your own company's contacts, including the sales representatives used on sales.",
    group=Group.REFERENCE,
    path="me/contacts",
    list_key="MeContactsList",
    id_field="ContactID",
    sheet_name="Company contacts",
    filters=(
        exact("Name", "Name"),
        *_ME_FILTERS_TYPE,
        exact("Email", "Email"),
        exact("Phone", "Phone"),
        exact("Fax", "Fax"),
        guid("ID", "Contact ID"),
    ),
    columns=(
        col("Name", "Name"),
        col("Type", "Type"),
        col("Email", "Email"),
        col("Phone", "Phone"),
        col("DefaultForType", "Default for its type", BOOL),
        extra("Fax", "Fax"),
        extra("Website", "Website"),
        extra("Comment", "Comment"),
        extra("ContactID", "Contact ID", GUID),
    ),
    order_by=("Name",),
)

ENTRIES = (
    TAX_RULES,
    PAYMENT_TERMS,
    PRICE_TIERS,
    UNITS,
    CATEGORIES,
    BRANDS,
    CARRIERS,
    LOCATIONS,
    ATTRIBUTE_SETS,
    COMPANY_ADDRESSES,
    COMPANY_CONTACTS,
)
"""This group's reports, in display order."""
