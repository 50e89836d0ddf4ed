"""Helpers for the sandbox tests: real HTTP calls with the sandbox's own credentials."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from app.sandbox import Sandbox

Get = Callable[..., Any]


def call(
    sb: Sandbox,
    path: str,
    params: dict[str, Any] | None = None,
    *,
    headers: dict[str, str] | None = None,
    session: requests.Session | None = None,
) -> requests.Response:
    """GET ``base_url + path`` with the sandbox's auth headers (or the given ones)."""
    getter = session.get if session else requests.get
    return getter(
        sb.base_url + path, params=params, headers=sb.headers if headers is None else headers, timeout=30
    )


@pytest.fixture
def api(sandbox: Sandbox) -> Get:
    """``api("saleList", Limit=5)`` -> parsed JSON from the function-scoped sandbox (asserts 200)."""
    session = requests.Session()

    def get(path: str, **params: Any) -> Any:
        response = call(sandbox, path, params, session=session)
        assert response.status_code == 200, response.text[:300]
        return response.json()

    return get
