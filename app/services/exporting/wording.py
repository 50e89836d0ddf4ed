"""How the export service says durations, limits, vanished records and DEAR's refusals in plain English."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TypeVar

from app.errors import ApiError, AuthenticationError, RequestRejectedError
from app.models import EndpointSpec, Group, RateLimit

ApiErrorT = TypeVar("ApiErrorT", bound=ApiError)

# What an API application must be allowed to read for each group's reports ("not allowed to read sales").
_AREAS: dict[Group, str] = {
    Group.PRODUCTS: "products and stock",
    Group.SALES: "sales",
    Group.PURCHASES: "purchases",
    Group.INVENTORY: "stock adjustments, transfers and stocktakes",
    Group.MANUFACTURING: "assemblies and disassemblies",
    Group.FINANCE: "accounting data",
    Group.REFERENCE: "reference lists",
}
ACCESS_HINT = "Check the key in DEAR under Integrations → API, or ask your DEAR administrator."


def describe_duration(seconds: float) -> str:
    """Say roughly how long something takes, for office staff ("about 21 minutes")."""
    if seconds < 60:
        return "under a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    hours, rest = divmod(minutes, 60)
    hour_text = f"{hours} hour{'s' if hours != 1 else ''}"
    return f"about {hour_text}" + (f" {rest} minute{'s' if rest != 1 else ''}" if rest else "")


def describe_elapsed(seconds: float) -> str:
    """Say how long something took ("2 min 5 s")."""
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def describe_limit(limit: RateLimit) -> str:
    """Say a rate limit in words ("60 requests a minute")."""
    calls = f"{limit.calls} request{'s' if limit.calls != 1 else ''}"
    if limit.seconds == 60:
        return f"{calls} a minute"
    if limit.seconds == 1:
        return f"{calls} a second"
    seconds = int(limit.seconds) if float(limit.seconds).is_integer() else limit.seconds
    return f"{calls} every {seconds} seconds"


def describe_vanished(names: Sequence[str]) -> str:
    """Say which records were deleted in DEAR between the list and their details.

    ``names`` are the records as the user knows them ("SO-01234"); a long list is shortened so
    a note stays one readable sentence.
    """
    if not names:
        return ""
    shown = list(names[:5])
    if len(names) > len(shown):
        shown.append(f"{len(names) - len(shown):,} more")
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    verb = "was" if len(names) == 1 else "were"
    return f"{text} {verb} deleted in DEAR while the export ran"


def group_area(group: Group) -> str:
    """Say what a group's reports read, as a DEAR permission area ("sales", "products and stock")."""
    return _AREAS.get(group, group.value.lower())


def area_of(spec: EndpointSpec) -> str:
    """Say what a report reads, as a DEAR permission area ("sales", "products and stock")."""
    return group_area(spec.group)


def in_report_words(
    error: ApiErrorT, label: str, area: str, filter_labels: dict[str, str] | None = None
) -> ApiErrorT:
    """Return ``error`` reworded to name the report ``label`` instead of DEAR's endpoint.

    The API layer only knows the address it called ("saleList"); the user chose a report ("Sale
    order lines"). The endpoint stays in ``endpoint`` and in the details for support. A refusal
    (403) becomes one complete sentence that says which permission is missing and what to do.
    """
    endpoint = error.endpoint.strip("/")
    quoted = f"“{label}”"
    hint: str | None = None
    if isinstance(error, AuthenticationError) and endpoint.lower() not in ("", "me"):
        message = (
            f"DEAR refused access to {label}: this Account ID and Application Key are not allowed "
            f"to read {area}."
        )
        hint = ACCESS_HINT
    elif isinstance(error, RequestRejectedError) and error.status == 404:
        message = f"DEAR did not offer {quoted} at this connection's address."
    elif endpoint:
        pattern = rf"\b(for|to|answering|of|address) {re.escape(endpoint)}(?=[\s.:,)]|$)"
        message = re.sub(pattern, lambda m: f"{m.group(1)} {quoted}", error.message)
        rejected = re.match(r"(.*?rejected the filters? )(.+?)( for .*)", message, re.S)
        if rejected and filter_labels:
            names = [f"“{filter_labels.get(n, n)}”" for n in rejected.group(2).split(", ")]
            message = rejected.group(1) + ", ".join(names) + rejected.group(3)
    else:
        return error
    if message == error.message and hint is None:
        return error
    reworded = copy.copy(error)
    reworded.message = message
    reworded.args = (message,)
    if hint is not None:
        reworded.hint = hint
    reworded.__cause__ = error
    return reworded


def for_report(error: ApiErrorT, spec: EndpointSpec) -> ApiErrorT:
    """Return ``error`` reworded for the report ``spec`` (see :func:`in_report_words`)."""
    labels = {f.name: f.label for f in spec.filters}
    return in_report_words(error, spec.label, area_of(spec), labels)


@contextmanager
def errors_in_words(label: str, area: str, filter_labels: dict[str, str] | None = None) -> Iterator[None]:
    """Reword any API error raised inside the block to name ``label`` (see :func:`in_report_words`)."""
    try:
        yield
    except ApiError as error:
        reworded = in_report_words(error, label, area, filter_labels)
        if reworded is error:
            raise
        raise reworded from error


def report_words(spec: EndpointSpec) -> AbstractContextManager[None]:
    """Reword any API error raised inside the block for the report ``spec`` (see :func:`for_report`)."""
    return errors_in_words(spec.label, area_of(spec), {f.name: f.label for f in spec.filters})
