"""DEAR's refusals and failures worded for the report the user chose, never by endpoint name.
Real HTTP against the sandbox (a wrong key, injected server errors)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import catalogue
from app.errors import AuthenticationError, RequestRejectedError, TransientApiError
from app.models import CancelToken, ExportRequest, ReportRequest
from app.sandbox import Sandbox
from app.services.exporting import ExportService
from app.services.exporting.wording import ACCESS_HINT, for_report, in_report_words
from tests.services.exporting.test_run import connect


def _request(sb: Sandbox, tmp_path: Path, key: str | None = None) -> ExportRequest:
    return ExportRequest(
        connection=connect(sb, key=key),
        reports=(ReportRequest("sale-order-lines"),),
        output=tmp_path / "out.xlsx",
    )


def test_wrong_key_names_the_report_in_a_full_sentence(sandbox: Sandbox, tmp_path: Path) -> None:
    service = ExportService(cache=None)
    with pytest.raises(AuthenticationError) as caught:
        service.estimate(_request(sandbox, tmp_path, key="wrong-key-0000"))
    error = caught.value
    assert error.message == (
        "DEAR refused access to Sale order lines: this Account ID and Application Key are not "
        "allowed to read sales."
    )
    assert error.hint == ACCESS_HINT
    assert "saleList" not in error.user_text()
    assert "saleList" in error.details  # support still sees what was called
    assert error.endpoint == "saleList"


def test_wrong_key_in_an_export_is_a_sentence_too(sandbox: Sandbox, tmp_path: Path) -> None:
    service = ExportService(cache=None)
    with pytest.raises(AuthenticationError) as caught:
        service.run(_request(sandbox, tmp_path, key="wrong-key-0000"), CancelToken())
    text = caught.value.user_text()
    assert text.startswith("DEAR did not accept this Account ID and key.")
    assert text.endswith(".")
    assert not (tmp_path / "out.xlsx").exists()


def test_a_server_failure_names_the_report(make_sandbox, tmp_path: Path) -> None:
    sb = make_sandbox(rate_limit=None, counts={"sale": 5})
    sb.inject("500", count=50, path="salelist")
    service = ExportService(cache=None)
    with pytest.raises(TransientApiError) as caught:
        service.run(_request(sb, tmp_path), CancelToken())
    message = caught.value.message
    assert message == "DEAR had a problem answering “Sale order lines” (error 500)."
    assert "saleList" not in caught.value.user_text()


def test_a_rejected_filter_is_named_by_its_label() -> None:
    error = RequestRejectedError(
        'DEAR rejected the filter OrderStatus for saleList: "Invalid OrderStatus"',
        endpoint="saleList",
        status=400,
    )
    reworded = for_report(error, catalogue.get("sale-order-lines"))
    assert (
        reworded.message
        == 'DEAR rejected the filter “Order status” for “Sale order lines”: "Invalid OrderStatus"'
    )
    assert reworded.__cause__ is error
    assert isinstance(reworded, RequestRejectedError) and reworded.status == 400


def test_an_unknown_address_and_a_record_noun_are_left_readable() -> None:
    missing = RequestRejectedError(
        "DEAR does not know the address ref/carrier.", endpoint="ref/carrier", status=404
    )
    assert in_report_words(missing, "Carriers", "reference lists").message == (
        "DEAR did not offer “Carriers” at this connection's address."
    )
    # "sale" the record noun is not the endpoint in "DEAR has no sale with ID ...": kept as it is.
    from app.errors import RecordNotFoundError

    gone = RecordNotFoundError("DEAR has no sale with ID 42.", record_id="42", endpoint="sale", status=404)
    assert for_report(gone, catalogue.get("sale-order-lines")) is gone
