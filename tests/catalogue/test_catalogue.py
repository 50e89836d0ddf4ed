"""Catalogue integrity: keys, names, filters and list keys agree with the documented API."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from app import catalogue
from app.catalogue import ENDPOINTS, sheet_title
from app.catalogue.stock_history import LOCAL_FILTERS
from app.errors import ConfigurationError
from app.models import EndpointSpec, FilterKind, Group

DATA = Path(__file__).resolve().parent.parent / "data" / "endpoints.json"
REQUIRED_KEYS = {
    "products",
    "product-availability",
    "customers",
    "suppliers",
    "sales",
    "sale-order-lines",
    "sale-invoice-lines",
    "sale-profit-lines",
    "purchases",
    "purchase-order-lines",
    "stock-adjustments",
    "stock-transfers",
}
LINE_REPORTS = {
    "sale-order-lines",
    "sale-invoice-lines",
    "sale-profit-lines",
    "sale-credit-note-lines",
    "sale-fulfilment-lines",
    "purchase-order-lines",
    "purchase-invoice-lines",
    "purchase-credit-note-lines",
    "stock-adjustment-lines",
    "stock-transfer-lines",
    "inventory-write-off-lines",
    "finished-goods-lines",
}
# Seen in production rows but missing from the documentation (docs/dear-api.md §4, StockTransferList).
UNDOCUMENTED_BUT_OBSERVED = {("stockTransferList", "LastModifiedOn")}
ILLEGAL_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _norm(path: str) -> str:
    return path.strip("/").lower()


@pytest.fixture(scope="module")
def documented() -> dict[str, dict[str, Any]]:
    entries = json.loads(DATA.read_text(encoding="utf-8"))
    return {_norm(entry["path"]): entry for entry in entries}


def _doc_filters(entry: dict[str, Any]) -> set[str]:
    return {f["name"].lower() for f in entry["filters"]} - {"page", "limit"}


def _doc_fields(entry: dict[str, Any]) -> set[str]:
    return set(entry.get("row_fields_from_doc_example", {})) | set(entry.get("documented_fields", {}))


def test_keys_are_unique_kebab_case_and_required_ones_present() -> None:
    keys = [spec.key for spec in ENDPOINTS]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", key) for key in keys), keys
    assert set(keys) >= REQUIRED_KEYS
    assert set(keys) >= LINE_REPORTS
    assert catalogue.keys() == tuple(keys)


def test_line_reports_have_detail_and_hook_and_come_first_in_their_group() -> None:
    for spec in ENDPOINTS:
        assert (spec.key in LINE_REPORTS) == spec.is_line_report, spec.key
        assert spec.is_line_report == spec.needs_detail, spec.key
    for group, members in catalogue.by_group().items():
        flags = [spec.is_line_report for spec in members]
        assert flags == sorted(flags, reverse=True), group


def test_by_group_covers_every_entry_in_display_order() -> None:
    groups = catalogue.by_group()
    assert list(groups) == [g for g in Group if g in groups]
    assert [spec for members in groups.values() for spec in members] == list(ENDPOINTS)
    assert set(groups) == set(Group)


def test_get_returns_the_entry_and_rejects_unknown_keys_with_the_list() -> None:
    assert catalogue.get("sale-order-lines").label == "Sale order lines"
    assert catalogue.get(" Products ") is catalogue.get("products")
    with pytest.raises(ConfigurationError) as caught:
        catalogue.get("sale-lines")
    assert "sale-lines" in caught.value.message
    assert "sale-order-lines" in caught.value.hint and "stock-transfers" in caught.value.hint


def _legal_sheet_name(name: str) -> bool:
    return 0 < len(name) <= 31 and not ILLEGAL_SHEET_CHARS.search(name) and name.strip("'") == name


def test_sheet_names_are_legal_and_unique() -> None:
    names = [sheet_title(spec) for spec in ENDPOINTS]
    names += [child.label for spec in ENDPOINTS for child in spec.children]
    assert all(_legal_sheet_name(name) for name in names), [n for n in names if not _legal_sheet_name(n)]
    lowered = [name.lower() for name in names]
    assert len(lowered) == len(set(lowered))
    assert "about this export" not in lowered


@pytest.mark.parametrize("spec", ENDPOINTS, ids=lambda s: s.key)
def test_entry_is_complete(spec: EndpointSpec) -> None:
    assert spec.label and spec.description and spec.description.endswith(".")
    assert not spec.path.startswith("/")
    assert spec.columns and any(column.default for column in spec.columns)
    fields = [column.field for column in spec.columns]
    assert len(fields) == len(set(fields)), "a field appears twice"
    headers = [column.header.lower() for column in spec.columns]
    assert len(headers) == len(set(headers)), "a header appears twice"
    names = [f.name.lower() for f in spec.filters]
    assert len(names) == len(set(names))
    for f in spec.filters:
        assert f.label
        if f.kind is FilterKind.CHOICE:
            assert f.choices and len(set(f.choices)) == len(f.choices)
        if f.kind is FilterKind.TEXT:
            assert f.help, f.name
    assert 1 <= spec.page_size <= 1000
    if spec.since_filter:
        assert spec.since_filter in {f.name for f in spec.filters}
        assert spec.modified_field
    for child in spec.children:
        assert child.columns
        child_fields = [c.field for c in child.columns]
        assert len(child_fields) == len(set(child_fields))


@pytest.mark.parametrize("spec", ENDPOINTS, ids=lambda s: s.key)
def test_entry_matches_the_documented_endpoint(
    spec: EndpointSpec, documented: dict[str, dict[str, Any]]
) -> None:
    entry = documented[_norm(spec.path)]
    documented_keys = {entry["list_key"]} | set(spec.alt_list_keys)
    assert spec.list_key in documented_keys
    assert spec.paginated == bool(entry["paginated"])
    params = _doc_filters(entry)
    for f in spec.filters:
        if spec.computed and f.name in LOCAL_FILTERS:
            continue  # applied after reading, never sent to DEAR (app.catalogue.stock_history)
        assert f.name.lower() in params, f"{spec.key}: filter {f.name} is not documented"
    for child in spec.children:
        assert child.field in entry["nested_arrays"], child.field
        for name in child.params:
            assert name.lower() in params
    if spec.detail is not None:
        detail = documented[_norm(spec.detail.path)]
        assert spec.detail.param.lower() in _doc_filters(detail)
        assert spec.detail.id_field in _doc_fields(entry)
    row_fields = _doc_fields(entry)
    allowed = row_fields | {f for (path, f) in UNDOCUMENTED_BUT_OBSERVED if _norm(path) == _norm(spec.path)}
    for name in (spec.id_field, *spec.key_fields, *spec.order_by, spec.modified_field or spec.id_field):
        assert name in allowed, f"{spec.key}: {name} is not a documented row field"
    if not spec.is_line_report and not spec.computed:
        for column in spec.columns:
            top = column.field.split(".")[0].split("[")[0]  # Contacts[Default=true].Email: Contacts
            assert top in allowed, f"{spec.key}: {column.field} is not documented"


def test_heavy_lists_use_small_pages() -> None:
    assert catalogue.get("product-availability").page_size == 100
    assert catalogue.get("sales").page_size == 1000


def test_every_report_has_a_plain_record_noun() -> None:
    for spec in ENDPOINTS:
        assert catalogue.record_noun(spec) != "records", spec.key
    assert catalogue.record_noun(catalogue.get("sale-order-lines")) == "sales"


@pytest.mark.parametrize("spec", ENDPOINTS, ids=lambda spec: spec.key)
def test_every_catalogue_entry_names_usable_range_filters(spec: EndpointSpec) -> None:
    kinds = {item.name: item.kind for item in spec.filters}
    dated = (FilterKind.DATE, FilterKind.DATETIME)
    if spec.range_filters is None:
        # A report DEAR can pick by "changed since" must say so, or its date range would do nothing.
        assert spec.since_filter is None or spec.date_field is not None
        return
    assert spec.date_field is None, "a business date and range filters would both claim the range"
    assert kinds.get(spec.range_filters.start) in dated
    if spec.range_filters.end is not None:
        assert kinds.get(spec.range_filters.end) == kinds[spec.range_filters.start]
