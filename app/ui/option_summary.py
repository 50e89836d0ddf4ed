"""One line that names every filter and column choice that is not the default, so nothing is set unseen.

The Export tab keeps filters and columns behind "More options"; this line stays on the page
("Order status: Authorised · 3 columns hidden"). The same words explain an empty result: the
filters an export really ran with (:func:`request_summary`) are named after "Done: 0 rows".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from app.models import ColumnSpec, EndpointSpec, ExportRequest, ReportRequest
from app.ui.column_picker import ColumnPicker
from app.ui.filter_form import DateField, FilterForm

NOTHING_SET = "No filters; the usual columns."
"""The summary when every report shows its defaults."""

LONG_SUMMARY = 160
"""Characters past which the summary counts each report's filters instead of listing them."""

ValueWords = Callable[[str, str, str], str]
"""``words(report key, filter name, value)``: how a filter value reads on screen."""


def shown_value(widget: QWidget, value: str) -> str:
    """Return a filter value as its input shows it ("Authorised", "1 Oct 2026"), else the value.

    An input of another kind (a picker by name, say) can say it itself with ``display_text()``.
    """
    display_text = getattr(widget, "display_text", None)
    if callable(display_text):
        return str(display_text())
    if isinstance(widget, QComboBox):
        index = widget.findData(value)
        return widget.itemText(index).strip() if index >= 0 else value
    if isinstance(widget, DateField):
        return widget.edit.text()
    if isinstance(widget, QLineEdit):
        return widget.text().strip() or value
    return value


def form_words(form: FilterForm) -> list[str]:
    """Return "Label: value" for each filter set in a form (date-range filters are not in it)."""
    labels = {f.name: f.label for f in form.spec.filters}
    return [
        f"{labels.get(name, name)}: {shown_value(form.input_for(name), value)}"
        for name, value in form.values().items()
    ]


def column_words(defaults: Sequence[ColumnSpec], chosen: Sequence[str]) -> list[str]:
    """Say how the chosen columns differ from the report's defaults ("3 columns hidden", ...)."""
    usual = [c.field for c in defaults if c.default]
    if list(chosen) == usual:
        return []
    parts = []
    hidden = len([f for f in usual if f not in chosen])
    added = len([f for f in chosen if f not in usual])
    if hidden:
        parts.append(f"{hidden} column{'s' if hidden != 1 else ''} hidden")
    if added:
        parts.append(f"{added} column{'s' if added != 1 else ''} added")
    if not hidden and not added:
        parts.append("columns reordered")
    return parts


def picker_words(picker: ColumnPicker) -> list[str]:
    """Say how a column picker's choice differs from its report's defaults."""
    return column_words(picker.spec.columns, picker.columns())


def join_reports(per_report: Sequence[tuple[str, list[str]]]) -> str:
    """Join each report's parts; the report's name leads only when several reports are ticked."""
    named = len(per_report) > 1
    chunks = []
    for label, parts in per_report:
        if parts:
            text = " · ".join(parts)
            chunks.append(f"{label}: {text}" if named else text)
    return "; ".join(chunks)


def page_summary(
    reports: Sequence[tuple[EndpointSpec, FilterForm, ColumnPicker]], limit: int | None = LONG_SUMMARY
) -> str:
    """Return the line under the dates: every non-default filter and column choice, or ``NOTHING_SET``.

    Past ``limit`` characters each report's filters are counted instead of listed ("3 filters"),
    so the line stays short enough for a small screen (the tooltip lists them: ``limit=None``).
    """
    parts = [(spec, form_words(form), picker_words(picker)) for spec, form, picker in reports]
    text = join_reports([(spec.label, filters + columns) for spec, filters, columns in parts])
    if limit is not None and len(text) > limit:
        text = join_reports([(spec.label, _counted(filters) + columns) for spec, filters, columns in parts])
    return text or NOTHING_SET


def _counted(filters: list[str]) -> list[str]:
    return filters if len(filters) <= 1 else [f"{len(filters)} filters"]


def request_summary(
    request: ExportRequest, specs: Mapping[str, EndpointSpec], words: ValueWords | None = None
) -> str:
    """Name the dates and filters an export ran with ("" when it ran with none): for an empty result."""
    per_report: list[tuple[str, list[str]]] = []
    for report in request.reports:
        spec = specs.get(report.key)
        label = spec.label if spec else report.key
        per_report.append((label, _report_words(report, spec, words)))
    return join_reports(per_report)


def _report_words(report: ReportRequest, spec: EndpointSpec | None, words: ValueWords | None) -> list[str]:
    parts = []
    if report.date_from or report.date_to:
        what = (spec.date_label if spec and spec.date_label else "Date").capitalize()
        start = f"{report.date_from:%d %b %Y}" if report.date_from else "the start"
        end = f"{report.date_to:%d %b %Y}" if report.date_to else "today"
        parts.append(f"{what}: {start} to {end}")
    labels = {f.name: f.label for f in spec.filters} if spec else {}
    for name, value in report.filters.items():
        shown = words(report.key, name, value) if words else value
        parts.append(f"{labels.get(name, name)}: {shown}")
    return parts
