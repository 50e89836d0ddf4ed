"""The estimate of several companies: the slowest counts; a company without its key is named, never asked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.errors import CredentialError
from app.models import Connection, ExportRequest, RateLimit, ReportRequest
from app.sandbox import Sandbox
from app.services.exporting.company_keys import KeylessConnection
from app.wiring import Services


def test_a_company_without_its_key_is_named_and_the_others_estimated(
    make_sandbox: Callable[..., Sandbox], services: Services, tmp_path: Path
) -> None:
    sb = make_sandbox(rate_limit=None, seed=71, counts={"sale": 8})
    here = Connection(
        "Here", sb.account_id, sb.application_key, sb.base_url, RateLimit(1000, 1)
    )  # budget to spare: both estimates alike
    gone = KeylessConnection("Gone", account_id="", application_key="", problem="The key is missing.")
    request = ExportRequest.for_companies(
        (gone, here), reports=(ReportRequest("sale-order-lines"),), output=tmp_path / "x.xlsx"
    )
    estimate = services.exporter.estimate(request)
    alone = services.exporter.estimate(
        ExportRequest(here, (ReportRequest("sale-order-lines"),), tmp_path / "y.xlsx")
    )
    assert estimate.calls == alone.calls and estimate.seconds == alone.seconds
    assert estimate.explanation.startswith("Gone will be left out: The key is missing. Here: ")

    with pytest.raises(CredentialError, match="The key is missing"):
        services.exporter.estimate(
            ExportRequest.for_companies(
                (gone, replace_name(gone, "Also gone")),
                reports=(ReportRequest("sale-order-lines"),),
                output=tmp_path / "z.xlsx",
            )
        )


def replace_name(connection: KeylessConnection, name: str) -> KeylessConnection:
    from dataclasses import replace

    return replace(connection, name=name)
