"""Planning one report: its checked filters, DEAR parameters, columns and child sheets.

Also the date-range rules applied to list rows (DEAR has no filter on business dates, and its
change filters are since-only, so the range is applied here, before any detail request).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from app import catalogue
from app.catalogue.flatten import value_at
from app.dates import parse_dear_datetime
from app.models import CancelToken, ChildTable, ColumnSpec, EndpointSpec, ReportRequest, ValueKind
from app.services.exporting.product_fields import chosen_product_fields
from app.services.report_options import check_filters, choose_columns

if TYPE_CHECKING:
    from app.api.client import DearClient
    from app.api.paging import ListPager

# Pages with Include* flags are heavy; DEAR's own integrations page them by 100.
HEAVY_PAGE_SIZE = 100
PARENT_ID = "\x00parent-id"
PARENT_NAME = "\x00parent-name"


@dataclass(frozen=True)
class Plan:
    """One report, checked and ready: DEAR parameters, columns and child sheets."""

    request: ReportRequest
    spec: EndpointSpec
    filters: dict[str, str]
    params: dict[str, str]
    columns: tuple[ColumnSpec, ...]
    children: tuple[ChildTable, ...]
    page_size: int | None
    until: datetime | None
    # The entry's product-list fields a chosen column shows (read once per export; () = none).
    product_fields: tuple[str, ...] = ()

    @property
    def dated(self) -> bool:
        """True when the export's date range applies to this report's business date."""
        report = self.request
        return self.spec.date_field is not None and (
            report.date_from is not None or report.date_to is not None
        )

    def date_range_text(self) -> str:
        """Describe the range in words, e.g. "Order date from 2026-10-01 to 2026-10-31"."""
        report, label = self.request, self.spec.date_label or "Date"
        if report.date_from and report.date_to:
            return f"{label} from {report.date_from:%Y-%m-%d} to {report.date_to:%Y-%m-%d}"
        if report.date_from:
            return f"{label} on or after {report.date_from:%Y-%m-%d}"
        return f"{label} on or before {report.date_to:%Y-%m-%d}"

    @property
    def noun(self) -> str:
        """What one record of this report's list is called, plural ("sales")."""
        return catalogue.record_noun(self.spec)

    @property
    def unique_by(self) -> str | tuple[str, ...]:
        """The field(s) that tell the list's records apart."""
        return self.spec.key_fields or self.spec.id_field

    def dropped(self, row: Mapping[str, Any]) -> bool:
        """Tell whether the date range (or the range's end on change times) leaves this row out."""
        if self.dated:
            return not in_range(value_at(row, self.spec.date_field or ""), self.request)
        if self.until is None or not self.spec.modified_field:
            return False
        value = value_at(row, self.spec.modified_field)
        moment = parse_dear_datetime(value) if isinstance(value, str) else None
        return moment is not None and moment >= self.until

    def record_name(self, row: Mapping[str, Any], record_id: str) -> str:
        """Name a record as the user knows it: the report's first column (an order number), else its ID."""
        name = value_at(row, self.spec.columns[0].field)
        return str(name) if name not in (None, "") else record_id

    def list_pager(self, client: DearClient, cancel: CancelToken | None) -> ListPager:
        """Start reading this report's list with its filters, paging and de-duplication."""
        spec = self.spec
        return client.list_pager(
            spec.path,
            spec.list_key,
            params=self.params,
            id_field=self.unique_by,
            page_size=self.page_size,
            alt_list_keys=spec.alt_list_keys,
            cancel=cancel,
        )

    def child_columns(self, child: ChildTable) -> tuple[ColumnSpec, ...]:
        """Return a child sheet's columns: the parent's ID and name (its first column), then its own."""
        spec = self.spec
        id_header = next((c.header for c in spec.columns if c.field == spec.id_field), f"{spec.label} ID")
        name_column = spec.columns[0]
        return (
            ColumnSpec(PARENT_ID, id_header, ValueKind.ID),
            ColumnSpec(PARENT_NAME, name_column.header, name_column.kind),
            *child.columns,
        )


def plan_report(report: ReportRequest) -> Plan:
    """Check one report request against the catalogue (raises ConfigurationError)."""
    spec = catalogue.get(report.key)
    filters = check_filters(spec, report.filters)
    columns = choose_columns(spec, report.columns)
    children = spec.children if report.include_children and not spec.is_line_report else ()
    params: dict[str, str] = {**spec.fixed_params, **filters}
    page_size: int | None = spec.page_size if spec.paginated else None
    for child in children:
        params.update(child.params)
        if child.params and page_size is not None:
            page_size = min(page_size, HEAVY_PAGE_SIZE)
    until = report.until
    if until is not None and until.tzinfo is not None:
        until = until.astimezone(UTC).replace(tzinfo=None)
    product_fields = chosen_product_fields(spec, columns)
    return Plan(report, spec, filters, params, columns, children, page_size, until, product_fields)


def in_range(value: Any, report: ReportRequest) -> bool:
    """Tell whether a DEAR date value falls inside the report's date range (days included).

    A row without that date (a sale never invoiced, say) is outside any range: it has no
    date to be in range with.
    """
    moment = parse_dear_datetime(value) if isinstance(value, str) else None
    if moment is None:
        return False
    day = moment.date()
    if report.date_from is not None and day < report.date_from:
        return False
    return report.date_to is None or day <= report.date_to
