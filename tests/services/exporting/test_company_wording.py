"""The headline of an export that left companies out, and the short reasons it gives."""

from __future__ import annotations

from app.errors import AuthenticationError, CredentialError, RateLimitedError, TransientApiError
from app.models import CompanyFailure, ExportResult
from app.services.exporting.company_wording import short_reason, written_without


def result(*failures: CompanyFailure, written: tuple[str, ...]) -> ExportResult:
    return ExportResult((), (), 0, 1.0, complete=not failures, failures=failures, companies=written)


def test_every_company_written_says_nothing() -> None:
    assert written_without(result(written=("A", "B"))) == ""


def test_one_company_left_out_of_three() -> None:
    refused = CompanyFailure("Company B", "…", 3, short_reason(AuthenticationError("no")))
    assert written_without(result(refused, written=("A", "C"))) == (
        "Written, without Company B: DEAR refused its Account ID and key. "
        "The other 2 companies are in the file."
    )


def test_two_left_out_each_with_its_reason() -> None:
    missing = CompanyFailure("B", "…", 3, short_reason(CredentialError("gone")))
    down = CompanyFailure("C", "…", 4, short_reason(TransientApiError("down")))
    assert written_without(result(missing, down, written=("A",))) == (
        "Written, without B and C (B: its Application Key is not saved on this computer; "
        "C: DEAR could not be reached). The other company is in the file."
    )


def test_the_limit_never_lifting_is_said_in_words() -> None:
    assert "slow down" in short_reason(RateLimitedError("slow"))
