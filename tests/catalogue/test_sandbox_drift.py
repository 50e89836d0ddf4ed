"""Every catalogue column is produced by the sandbox's data: catches drift between the two.

The sandbox serves DEAR-shaped data over real HTTP; for each report we read a page (and, for
line reports, some details through the report's hook) and check that each column's dotted
path resolves in at least some rows. A column nobody's data ever fills is a typo or drift.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from app.catalogue import ENDPOINTS
from app.catalogue.flatten import child_elements, has_path
from app.models import EndpointSpec
from app.sandbox import Sandbox, SandboxConfig

# How many summaries a line report reads before giving up on finding a column's field.
DETAILS_PER_REPORT = 120


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    with Sandbox(SandboxConfig(size="small", seed=3, rate_limit=None)) as sandbox:
        yield sandbox


def _get(sb: Sandbox, path: str, params: dict[str, Any]) -> Any:
    response = requests.get(sb.base_url + path, params=params, headers=sb.headers, timeout=30)
    assert response.status_code == 200, (path, response.status_code, response.text[:200])
    return response.json()


def _list_rows(sb: Sandbox, spec: EndpointSpec, extra: dict[str, str] | None = None) -> list[dict[str, Any]]:
    params: dict[str, Any] = {**spec.fixed_params, **(extra or {})}
    if spec.paginated:
        params.update({"Page": 1, "Limit": 1000})
    body = _get(sb, spec.path, params)
    for key in (spec.list_key, *spec.alt_list_keys):
        if key and isinstance(body.get(key), list):
            return list(body[key])
    raise AssertionError(f"{spec.key}: no list under {spec.list_key} in {sorted(body)}")


def _unresolved(rows: list[Any], fields: list[str]) -> list[str]:
    return [f for f in fields if not any(has_path(row, f) for row in rows)]


# Computed reports (stock history) have their own drift test: tests/services/stock_history.
PLAIN = [spec for spec in ENDPOINTS if not spec.is_line_report and not spec.computed]
LINES = [spec for spec in ENDPOINTS if spec.is_line_report]


@pytest.mark.parametrize("spec", PLAIN, ids=lambda s: s.key)
def test_plain_report_columns_resolve(sb: Sandbox, spec: EndpointSpec) -> None:
    child_params = {k: v for child in spec.children for k, v in child.params.items()}
    rows = _list_rows(sb, spec, child_params)
    assert rows, f"{spec.key}: the sandbox returned no rows"
    assert _unresolved(rows, [c.field for c in spec.columns]) == []
    for name in (spec.id_field, *spec.key_fields, *spec.order_by):
        assert any(has_path(row, name) for row in rows), name
    for child in spec.children:
        elements = [e for row in rows for e in child_elements(row, child)]
        assert elements, f"{spec.key}: no {child.field} in any row"
        assert _unresolved(elements, [c.field for c in child.columns]) == [], child.field


@pytest.mark.parametrize("spec", LINES, ids=lambda s: s.key)
def test_line_report_columns_resolve_through_the_hook(sb: Sandbox, spec: EndpointSpec) -> None:
    assert spec.detail is not None and spec.rows_hook is not None
    summaries = _list_rows(sb, spec)[:DETAILS_PER_REPORT]
    assert summaries
    rows: list[dict[str, Any]] = []
    # Product fields (a category) come from the product list, not the hook: checked there below.
    wanted = [c.field for c in spec.columns if c.field not in spec.product_fields]
    for summary in summaries:
        detail = _get(sb, spec.detail.path, {spec.detail.param: summary[spec.detail.id_field]})
        rows.extend(spec.rows_hook(summary, detail))
        if rows and not _unresolved(rows, wanted):
            break
    assert rows, f"{spec.key}: no line in {len(summaries)} records"
    assert _unresolved(rows, wanted) == []
    if spec.product_fields:
        products = _get(sb, "product", {"Page": 1, "Limit": 1000, "IncludeDeprecated": "true"})["Products"]
        assert _unresolved(products, list(spec.product_fields)) == []
        assert _unresolved(rows, ["ProductID"]) == []  # what the export fills them in by
    for name in spec.order_by:
        assert all(name in s for s in summaries)
