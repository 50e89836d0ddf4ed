"""Reading DEAR's answers: decoding JSON, and turning failures into errors worded for office staff.

Everything here is a pure function of one request and its answer (or its network failure),
so the client's request loop stays about pacing and retrying.
"""

from __future__ import annotations

import json
import re
import ssl
from collections.abc import Mapping
from typing import Any

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from app.api import retry
from app.errors import (
    ApiError,
    AuthenticationError,
    BadResponseError,
    CertificateError,
    ConfigurationError,
    RateLimitedError,
    RecordNotFoundError,
    RequestRejectedError,
    TransientApiError,
)
from app.redact import redact

# DEAR's wording for a record that does not exist is undocumented (docs/dear-api, "Errors":
# UNVERIFIED); production has been seen answering 400 "Sale not found", and other readers report
# "... was not found" / "does not exist". Anything else in a 400 stays a rejected request.
_NOT_FOUND_TEXT = re.compile(
    r"\bnot\s+(?:be\s+)?found\b|\bdoes\s+not\s+exist\b|\bno\s+longer\s+exists\b", re.I
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def response_text(response: requests.Response) -> str:
    """Return the answer's body as text (undecodable bytes replaced), or "" if there is none."""
    try:
        return response.content.decode("utf-8", errors="replace")
    except (AttributeError, TypeError):
        return ""


def _looks_html(response: requests.Response) -> bool:
    content_type = response.headers.get("Content-Type", "")
    return "html" in content_type.lower() or response.content.lstrip()[:1] == b"<"


def decode(response: requests.Response, path: str) -> Any:
    """Return the answer's JSON (None for 204), or raise BadResponseError for a web page or garbage."""
    if response.status_code == 204:  # "success, nothing to return"
        return None
    raw = response.content
    if _looks_html(response):
        content_type = response.headers.get("Content-Type", "")
        raise BadResponseError(
            f"DEAR sent a web page instead of data for {path}. The address may be wrong, "
            "or DEAR may be down for maintenance.",
            details=f"GET {path}: HTTP {response.status_code}, Content-Type {content_type!r}, "
            f"{len(raw)} bytes starting {redact(response_text(response)[:80])!r}",
            endpoint=path,
            status=response.status_code,
        )
    try:
        return json.loads(raw)
    except ValueError as exc:
        what = "was empty" if not raw.strip() else "was cut off or garbled"
        raise BadResponseError(
            f"DEAR's answer for {path} {what}, so it could not be read.",
            details=f"GET {path}: HTTP {response.status_code}, {len(raw)} bytes; JSON error: {exc}",
            endpoint=path,
            status=response.status_code,
        ) from None


# ---------------------------------------------------------------------- network failures


def certificate_problem(exc: BaseException) -> str | None:
    """Return why a TLS certificate was refused, if that is what ``exc`` is about (else None).

    requests wraps the ssl module's error two or three levels deep (SSLError → MaxRetryError →
    urllib3 SSLError → ssl.SSLCertVerificationError), so the whole chain is searched.
    """
    seen: set[int] = set()
    pending: list[object] = [exc]
    mentioned = False
    while pending:
        item = pending.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, ssl.SSLCertVerificationError):
            return str(item.verify_message or item.reason or item)
        mentioned = mentioned or "CERTIFICATE_VERIFY_FAILED" in str(item)
        pending.extend(a for a in item.args if isinstance(a, BaseException))
        pending.extend(x for x in (getattr(item, "reason", None), item.__cause__, item.__context__) if x)
    return "certificate verify failed" if mentioned else None


def network_failure(
    exc: requests.RequestException, path: str, *, host: str, read_timeout: float, connection_name: str
) -> ApiError:
    """Word a failure that left no answer; CertificateError and TransientApiError are the usual ones."""
    name = type(exc).__name__
    if isinstance(exc, requests.exceptions.SSLError):
        reason = certificate_problem(exc)
        if reason is not None:
            return CertificateError(
                f"DEAR's certificate could not be checked: {reason}.",
                details=redact(f"GET {path} at {host}: {name}: {exc}"),
                endpoint=path,
            )
    if isinstance(exc, requests.ConnectTimeout) or (
        isinstance(exc, requests.ConnectionError)
        and not isinstance(exc, requests.ReadTimeout)
        and _never_connected(exc)
    ):
        return TransientApiError(
            f"Could not reach DEAR at {host}.",
            hint="Check your internet connection (and any proxy or firewall), then try again.",
            details=redact(f"GET {path}: {name}: {exc}"),
            endpoint=path,
        )
    if isinstance(exc, requests.Timeout):
        return TransientApiError(
            f"DEAR at {host} did not answer within {int(read_timeout)} seconds.",
            details=redact(f"GET {path}: {name}"),
            endpoint=path,
        )
    if isinstance(
        exc,
        (
            requests.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        ),
    ):
        return TransientApiError(
            f"The connection to DEAR at {host} was cut off before the answer was complete.",
            details=redact(f"GET {path}: {name}: {exc}"),
            endpoint=path,
        )
    raise ConfigurationError(
        f"The DEAR address for connection '{connection_name}' is not usable: {host}",
        hint="Check the connection's address (normally https://inventory.dearsystems.com/ExternalApi/v2/).",
        details=redact(f"{name}: {exc}"),
    ) from exc


def _never_connected(exc: requests.RequestException) -> bool:
    """Tell whether the request failed before any byte reached the server (refused, DNS, no route)."""
    cause: object = exc.args[0] if exc.args else None
    reason = getattr(cause, "reason", cause)
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError))


# ---------------------------------------------------------------------- refusals


def http_details(path: str, response: requests.Response, text: str) -> str:
    """Return the details line of an HTTP answer's error (for support): the call, the status, DEAR's text."""
    return redact(f"GET {path}: HTTP {response.status_code}: {text}")


def auth_error(path: str, response: requests.Response) -> AuthenticationError:
    """403: the key is wrong, or the API application may not read this area."""
    text = retry.dear_exception_text(response_text(response))
    if path.lower() in ("me", ""):
        message = "DEAR did not accept this Account ID and key."
    else:
        message = (
            f"DEAR refused access to {path}: either the Account ID and key are wrong, "
            "or this API application has no permission for this area."
        )
    return AuthenticationError(
        message,
        hint="Check them under Integrations → API in DEAR.",
        details=http_details(path, response, text),
        endpoint=path,
        status=response.status_code,
    )


def says_not_found(response: requests.Response) -> bool:
    """Tell whether DEAR's refusal means "no such record" (not a bad filter, not an unknown address).

    A 404 that is a web page is DEAR's "Page not found" for an address it does not know.
    """
    if response.status_code == 404:
        return not _looks_html(response)
    if response.status_code == 400:
        return bool(_NOT_FOUND_TEXT.search(retry.dear_exception_text(response_text(response))))
    return False


def record_noun(path: str) -> str:
    """Name what a path reads: ``sale`` → "sale", ``advanced-purchase`` → "advanced purchase"."""
    last = path.strip("/").rsplit("/", 1)[-1]
    words = _CAMEL.sub(" ", last).replace("-", " ").replace("_", " ")
    return " ".join(words.split()).lower() or "record"


def not_found(path: str, query: Mapping[str, Any], response: requests.Response) -> RecordNotFoundError:
    """DEAR has no record for this request: name the record and the ID that was asked for."""
    text = retry.dear_exception_text(response_text(response))
    ids = [(str(k), str(v)) for k, v in query.items() if str(k).lower().endswith("id") and str(v)]
    ids.sort(key=lambda item: item[0].lower() != "id")  # the record's own ID first
    if ids:
        name, value = ids[0]
        # "ID" names the path's record; "SaleID" a sale, "OrderLocationID" an order location.
        noun = record_noun(path) if name.lower() == "id" else record_noun(name[:-2]) or record_noun(path)
        message = f"DEAR has no {noun} with ID {value}."
        record_id = value
    else:
        message = f'DEAR found nothing to answer for {path}: "{text}"'
        record_id = ""
    return RecordNotFoundError(
        redact(message),
        record_id=record_id,
        details=http_details(path, response, response_text(response)[:500]),
        endpoint=path,
        status=response.status_code,
    )


def rejected(path: str, query: Mapping[str, Any], response: requests.Response) -> RequestRejectedError:
    """Any other 4xx: name the filter DEAR complained about, in DEAR's own words."""
    text = retry.dear_exception_text(response_text(response))
    filters = {k: v for k, v in query.items() if str(k).lower() not in ("page", "limit")}
    named = [k for k in filters if str(k).lower() in text.lower()]
    if response.status_code == 404:
        message = f"DEAR does not know the address {path}."
        hint = "The report may not be available for this account; check the connection's address."
    elif named:
        message = f'DEAR rejected the filter {", ".join(named)} for {path}: "{text}"'
        hint = None
    elif filters:
        shown = ", ".join(f"{k}={v}" for k, v in filters.items())
        message = f'DEAR rejected the request for {path} (filters: {shown}): "{text}"'
        hint = None
    else:
        message = f'DEAR rejected the request for {path}: "{text}"'
        hint = "This report could not be read; copy the details for support."
    return RequestRejectedError(
        redact(message),
        hint=hint,
        details=http_details(path, response, response_text(response)[:500]),
        endpoint=path,
        status=response.status_code,
    )


def server_error(path: str, response: requests.Response) -> TransientApiError:
    """5xx (or 408): worth retrying; this is the error if the retries run out."""
    text = retry.dear_exception_text(response_text(response))
    return TransientApiError(
        f"DEAR had a problem answering {path} (error {response.status_code}).",
        details=http_details(path, response, text),
        endpoint=path,
        status=response.status_code,
    )


def rate_limited(path: str, response: requests.Response, seconds: float) -> RateLimitedError:
    """DEAR kept throttling one request for longer than we wait."""
    minutes = max(1, round(seconds / 60))
    return RateLimitedError(
        f"DEAR kept saying the API limit was reached for {minutes} minute{'s' if minutes != 1 else ''}, "
        f"so the download of {path} stopped.",
        details=redact(
            f"GET {path}: HTTP {response.status_code}: {retry.dear_exception_text(response_text(response))}"
        ),
        endpoint=path,
        status=response.status_code,
    )
