"""Filter and column checks: DEAR ignores what it does not know, so we must not."""

from __future__ import annotations

import pytest

from app import catalogue
from app.errors import ConfigurationError
from app.services.report_options import check_filters, choose_columns, distribute_filters, filter_labels

SALES = catalogue.get("sale-order-lines")


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("2024-01-31", "2024-01-31T00:00:00"),
        ("2024-01-31T10:15:00", "2024-01-31T10:15:00"),
        ("2024-01-31T10:15:00.123Z", "2024-01-31T10:15:00"),
        ("2024-01-31T10:00:00+13:00", "2024-01-30T21:00:00"),
        (" 2024-01-31 10:15 ", "2024-01-31T10:15:00"),
    ],
)
def test_dates_are_sent_without_zone(given: str, sent: str) -> None:
    assert check_filters(SALES, {"UpdatedSince": given}) == {"UpdatedSince": sent}


def test_names_and_choices_take_dear_spelling_and_empty_values_mean_no_filter() -> None:
    checked = check_filters(
        SALES, {"status": " completed ", "combinedpickstatus": "not  picked", "Search": ""}
    )
    assert checked == {"Status": "COMPLETED", "CombinedPickStatus": "NOT PICKED"}
    assert check_filters(SALES, {"ReadyForShipping": "Yes"}) == {"ReadyForShipping": "true"}
    assert filter_labels(SALES, checked) == {"Sale status": "COMPLETED", "Pick status": "NOT PICKED"}


@pytest.mark.parametrize(
    ("filters", "message", "hint"),
    [
        (
            {"CombinedPickingStatus": "PICKED"},
            "no filter called 'CombinedPickingStatus'",
            "CombinedPickStatus",
        ),
        ({"Status": "FINISHED"}, "'FINISHED'", "BACKORDERED"),
        ({"ReadyForShipping": "maybe"}, "yes/no", "true or false"),
        ({"CreatedSince": "last week"}, "not a date", "2024-01-31"),
        ({"OrderLocationID": "Main Warehouse"}, "not a record ID", "3fa85f64"),
    ],
)
def test_bad_filters_say_what_is_wrong_and_what_to_do(
    filters: dict[str, str], message: str, hint: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        check_filters(SALES, filters)
    assert message in caught.value.message and hint in caught.value.hint


def test_filters_are_shared_out_to_the_reports_that_have_them() -> None:
    specs = [catalogue.get("sales"), catalogue.get("customers")]
    assert distribute_filters(specs, {"Status": "VOIDED", "Name": "A", "ModifiedSince": "2024-01-01"}) == [
        {"Status": "VOIDED"},
        {"Name": "A", "ModifiedSince": "2024-01-01"},
    ]
    with pytest.raises(ConfigurationError) as caught:
        distribute_filters(specs, {"Sku": "X"})
    assert "Sales, Customers" in caught.value.message and "UpdatedSince" in caught.value.hint


def test_columns_by_field_or_header_in_the_order_given() -> None:
    chosen = choose_columns(SALES, ["sku", "Order number", "SKU", "SaleID"])
    assert [c.field for c in chosen] == ["SKU", "OrderNumber", "SaleID"]
    assert [c.field for c in choose_columns(SALES, None)] == [c.field for c in SALES.columns if c.default]
    with pytest.raises(ConfigurationError) as caught:
        choose_columns(SALES, ["Colour"])
    assert "Colour" in caught.value.message and "BackorderQuantity" in caught.value.hint
    with pytest.raises(ConfigurationError):
        choose_columns(SALES, [])
