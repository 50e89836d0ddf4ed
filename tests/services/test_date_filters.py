"""Date filters: what a date range sets for each report, from the catalogue's own data."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app import catalogue
from app.dates import DateRange
from app.dates import resolve as resolve_range
from app.models import (
    ColumnSpec,
    EndpointSpec,
    FilterKind,
    FilterSpec,
    Group,
    RangeFilters,
    ReportRequest,
)
from app.services.date_filters import apply_date_range, filters_set_by_range

FRIDAY = date(2026, 11, 27)
AUCKLAND = timezone(timedelta(hours=13))


def test_resolve_uses_both_ends_of_a_from_to_filter_pair() -> None:
    report = apply_date_range(
        ReportRequest("transactions", {"Account": "200"}),
        resolve_range("last-month", FRIDAY),
        UTC,
    )
    # DEAR's wording is "greater than"/"less than": bound the range inside its first and last second.
    assert report.filters == {
        "Account": "200",
        "FromDate": "2026-09-30T23:59:59",
        "ToDate": "2026-10-31T23:59:59",
    }
    assert report.until is None


def test_the_end_goes_to_until_only_where_the_export_can_apply_it() -> None:
    created_only = EndpointSpec(
        key="made-up",
        label="Made-up list",
        description="",
        group=Group.SALES,
        path="madeUpList",
        list_key="Rows",
        columns=(ColumnSpec("ID", "ID"),),
        filters=(FilterSpec("CreatedSince", "Created since", FilterKind.DATE),),
        modified_field="Updated",
        range_filters=RangeFilters("CreatedSince"),
    )
    window = resolve_range("last-month", FRIDAY)
    report = apply_date_range(ReportRequest("made-up"), window, UTC, spec=created_only)
    assert report.filters == {"CreatedSince": "2026-10-01T00:00:00"}  # a calendar date: no time zone shift
    assert report.until is None  # CreatedSince is not what modified_field measures
    with_since = replace(created_only, since_filter="CreatedSince")
    assert apply_date_range(ReportRequest("made-up"), window, UTC, spec=with_since).until == datetime(
        2026, 11, 1, tzinfo=UTC
    )
    no_field = replace(with_since, modified_field=None)
    assert apply_date_range(ReportRequest("made-up"), window, UTC, spec=no_field).until is None


def test_a_since_filter_gets_the_local_midnight_in_utc_and_the_end_goes_to_until() -> None:
    window = resolve_range("last-month", FRIDAY)
    report = apply_date_range(ReportRequest("products"), window, AUCKLAND)
    assert report.filters == {"ModifiedSince": "2026-09-30T11:00:00"}  # 1 Oct, 00:00 in Auckland
    assert report.until == datetime(2026, 10, 31, 11, tzinfo=UTC)


def test_reports_with_a_business_date_get_calendar_days_and_no_filter() -> None:
    window = DateRange(date(2026, 10, 1), date(2026, 10, 31))
    report = apply_date_range(ReportRequest("sales", {"Status": "ORDERED"}), window)
    assert report.filters == {"Status": "ORDERED"}
    assert (report.date_from, report.date_to, report.until) == (window.start, window.end, None)


def _made_up(**fields: object) -> EndpointSpec:
    spec = EndpointSpec(
        key="made-up",
        label="Made-up list",
        description="",
        group=Group.SALES,
        path="madeUpList",
        list_key="Rows",
        columns=(ColumnSpec("ID", "ID"),),
        filters=(
            FilterSpec("OpenedAfter", "Opened after", FilterKind.DATETIME),
            FilterSpec("OpenedBefore", "Opened before", FilterKind.DATETIME),
        ),
    )
    return replace(spec, **fields)  # type: ignore[arg-type]


def test_the_catalogue_says_which_filters_a_range_sets_not_their_names() -> None:
    window = DateRange(date(2026, 10, 1), date(2026, 10, 31))
    # Names without "From"/"Since" in them: the old guess would have found no pair here.
    paired = _made_up(range_filters=RangeFilters("OpenedAfter", "OpenedBefore"))
    report = apply_date_range(ReportRequest("made-up"), window, UTC, spec=paired)
    assert report.filters == {"OpenedAfter": "2026-09-30T23:59:59", "OpenedBefore": "2026-10-31T23:59:59"}
    assert filters_set_by_range(paired) == ("OpenedAfter", "OpenedBefore")
    # Date filters the catalogue does not name for the range are left for the user to fill in.
    unnamed = _made_up()
    assert apply_date_range(ReportRequest("made-up"), window, UTC, spec=unnamed) == ReportRequest("made-up")
    assert filters_set_by_range(unnamed) == ()


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("transactions", ("FromDate", "ToDate")),
        ("products", ("ModifiedSince",)),
        ("customers", ("ModifiedSince",)),
        ("sale-credit-notes", ("UpdatedSince",)),
        ("purchase-credit-note-lines", ("UpdatedSince",)),
        ("sales", ()),  # by order date, which the export applies to the rows
        ("units", ()),  # no date at all
    ],
)
def test_filters_a_range_sets_for_known_reports(key: str, expected: tuple[str, ...]) -> None:
    assert filters_set_by_range(catalogue.get(key)) == expected
