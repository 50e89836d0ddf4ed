"""The command line asks before a long export, and not before a repeat the local cache serves."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from pathlib import Path

import pytest

from app.cli import export_cmd
from app.models import CancelToken, Connection, ExportRequest, RateLimit, ReportRequest
from app.sandbox import Sandbox
from app.services.cache import CacheService
from app.services.exporting import ExportService

FAST = RateLimit(1000, 1)


def test_a_cached_repeat_is_not_announced_as_long(
    make_sandbox: Callable[..., Sandbox],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sb = make_sandbox(rate_limit=None, counts={"sale": 120, "customer": 10, "product": 20})
    connection = Connection("Sandbox", sb.account_id, sb.application_key, sb.base_url, rate_limit=FAST)
    request = ExportRequest(connection, (ReportRequest("sale-order-lines"),), tmp_path / "x.xlsx")
    service = ExportService(cache=CacheService(tmp_path / "data"))
    # Scaled down with the limit: 121 requests at 1,000 a second take about 15 s by the estimate.
    monkeypatch.setattr(export_cmd, "CONFIRM_ABOVE_SECONDS", 5.0)
    asked: list[str] = []

    def answer(prompt: str = "") -> str:
        asked.append(prompt)
        return "y"

    monkeypatch.setattr(builtins, "input", answer)

    assert export_cmd._confirm(service, request, CancelToken())
    assert asked == ["Go ahead? [y/N] "]
    assert "120 sales need one request each" in capsys.readouterr().err

    service.run(request, CancelToken())
    asked.clear()
    assert export_cmd._confirm(service, request, CancelToken())
    assert asked == []  # all 120 from this computer: nothing to ask
    assert capsys.readouterr().err == ""
