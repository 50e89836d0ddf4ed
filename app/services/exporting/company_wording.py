"""Words for an export of several companies of which some could not be read.

The window's first line after such an export must say plainly which company is missing and why,
and that the others are in the file ("Written, without South: DEAR refused its Account ID and
key. The other 2 companies are in the file."); the full message and what to do follow in the log
and on the About sheet.
"""

from __future__ import annotations

from app.errors import (
    AppError,
    AuthenticationError,
    CertificateError,
    CredentialError,
    RateLimitedError,
    TransientApiError,
)
from app.models import ExportResult


def short_reason(error: AppError) -> str:
    """Say in a few words, after the company's name, why it could not be read."""
    if isinstance(error, AuthenticationError):
        return "DEAR refused its Account ID and key"
    if isinstance(error, CredentialError):
        return "its Application Key is not saved on this computer"
    if isinstance(error, RateLimitedError):
        return "DEAR kept asking to slow down until we gave up"
    if isinstance(error, CertificateError):
        return "DEAR's security certificate could not be checked"
    if isinstance(error, TransientApiError):
        return "DEAR could not be reached"
    return "DEAR answered with an error"


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def written_without(result: ExportResult) -> str:
    """Return the headline of an export that left companies out ("" when every company was written)."""
    if not result.failures:
        return ""
    if len(result.failures) == 1:
        (failure,) = result.failures
        missing = f"{failure.company}: {failure.reason or 'it could not be read'}."
    else:
        names = _names([failure.company for failure in result.failures])
        why = "; ".join(f"{f.company}: {f.reason or 'it could not be read'}" for f in result.failures)
        missing = f"{names} ({why})."
    # An export that read no company at all fails instead, so at least one is in the file.
    written = len(result.companies)
    others = "The other company is" if written == 1 else f"The other {written} companies are"
    return f"Written, without {missing} {others} in the file."
