"""Which DEAR filters a date range fills in for a report, and with what values.

The catalogue says it (``EndpointSpec.date_field`` or ``EndpointSpec.range_filters``); this
module only turns a :class:`~app.dates.DateRange` into those filters' values. DEAR's list
filters are since-only (or, for a from/to pair, strict), so:

* a report with a ``date_field`` gets ``date_from``/``date_to`` and the export picks the rows;
* a since-only filter gets the range's first instant, and the range's end goes to
  ``ReportRequest.until`` when the export can apply it (the filter is the report's
  ``since_filter`` and the rows carry its ``modified_field``);
* a from/to pair gets the second before the range and its last second, because DEAR's wording
  is "greater than" / "less than".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta, tzinfo

from app import catalogue
from app.dates import DateRange, format_day_for_dear, format_for_dear
from app.models import EndpointSpec, FilterKind, ReportRequest

_ONE_SECOND = timedelta(seconds=1)


def filters_set_by_range(spec: EndpointSpec) -> tuple[str, ...]:
    """Return the names of the DEAR filters a date range fills in for this report (may be empty)."""
    if spec.date_field is not None or spec.range_filters is None:
        return ()
    ends = (spec.range_filters.start, spec.range_filters.end)
    return tuple(name for name in ends if name)


def apply_date_range(
    report: ReportRequest,
    window: DateRange | None,
    zone: tzinfo | None = None,
    *,
    spec: EndpointSpec | None = None,
) -> ReportRequest:
    """Return the report with ``window`` applied: to its business date, or to its range filters.

    DATE filters get calendar dates; DATETIME filters get the local day boundaries (in ``zone``,
    default this computer's) in UTC. Reports the range does not apply to come back unchanged.
    ``spec`` defaults to the report's catalogue entry.
    """
    if window is None:
        return report
    spec = spec if spec is not None else catalogue.get(report.key)
    if spec.date_field is not None:
        # The range means the report's business date (a sale's order date, say), which DEAR
        # cannot filter on: the export applies it to the list rows itself.
        return replace(report, date_from=window.start, date_to=window.end, until=None)
    if spec.range_filters is None:
        return report
    kinds = {item.name: item.kind for item in spec.filters}
    start_name, end_name = spec.range_filters.start, spec.range_filters.end
    filters = dict(report.filters)
    start = window.start_instant(zone)
    end = window.end_instant(zone)
    dated = kinds[start_name] == FilterKind.DATE
    if end_name is None:
        filters[start_name] = format_day_for_dear(window.start) if dated else format_for_dear(start)
        # The export drops rows past the end by the report's last-changed field, which is what its
        # since filter compares; any other since-only filter has no row field to check the end with.
        applies = start_name == spec.since_filter and bool(spec.modified_field)
        return replace(report, filters=filters, until=end if applies else None)
    # A pair's wording may be strict ("greater than"), so bound both ends inside the range's
    # first and last second; business dates (T00:00:00) then fall in whatever DEAR's rule is.
    filters[start_name] = (
        format_day_for_dear(window.start - timedelta(days=1), last_second=True)
        if dated
        else format_for_dear(start - _ONE_SECOND)
    )
    if window.end is not None and end is not None:
        filters[end_name] = (
            format_day_for_dear(window.end, last_second=True)
            if kinds[end_name] == FilterKind.DATE
            else format_for_dear(end - _ONE_SECOND)
        )
    return replace(report, filters=filters, until=None)
