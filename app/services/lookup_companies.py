"""One look-up in several companies at once (a SKU's stock in every company): one table, Company first.

Each company is searched on a thread of its own with its own key (so its own budget) through the
ordinary :class:`~app.services.lookup.LookupService`; the rows come back company by company, in
the order given, after a first column "Company" (the connection's name). A company that cannot
be searched (key refused or missing from this computer, DEAR unreachable) is named in the note
and the others are shown; when no company can be searched, the first one's error is raised, as a
one-company look-up does. Waits for a company's limit are reported with the company's name, so
the window can count them down as it does for one company.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from app.errors import ApiError, AppError
from app.models import CancelToken, ColumnSpec, Connection, Progress
from app.services.exporting.company_keys import keyless
from app.services.lookup import LookupKind, LookupResult, LookupService

COMPANY_COLUMN = ColumnSpec("\x00company", "Company")

# What to do with each company's answer before joining (the product look-up's recent movements).
Then = Callable[[Connection, LookupResult, CancelToken | None], LookupResult]
ProgressCallback = Callable[[Progress], None]


def search_companies(
    lookup: LookupService,
    connections: Sequence[Connection],
    kind: LookupKind,
    query: str,
    cancel: CancelToken | None = None,
    on_progress: ProgressCallback | None = None,
    then: Then | None = None,
    *,
    movements: bool = False,
) -> LookupResult:
    """Run ``lookup.search`` (then ``then``) in every company at once and join the answers.

    One company: its answer as is, without a Company column. ``movements``: as for ``lookup.search``.
    """
    if len(connections) == 1:
        return _search_one(lookup, connections[0], kind, query, cancel, on_progress, then, movements)
    readable = [connection for connection in connections if keyless(connection) is None]
    with ThreadPoolExecutor(max_workers=max(1, len(readable)), thread_name_prefix="dear-lookup") as pool:
        futures = {
            connection.name: pool.submit(
                _search_one,
                lookup,
                connection,
                kind,
                query,
                cancel,
                _named(connection, on_progress),
                then,
                movements,
            )
            for connection in readable
        }
    answers: list[tuple[Connection, LookupResult | AppError]] = []
    for connection in connections:
        missing = keyless(connection)
        if missing is not None:
            answers.append((connection, missing))
            continue
        error = futures[connection.name].exception()
        if isinstance(error, ApiError):
            answers.append((connection, error))
        elif error is not None:
            raise error  # bad usage (an empty query), a cancel or a bug: the same for every company
        else:
            answers.append((connection, futures[connection.name].result()))
    return _joined(answers)


def _search_one(
    lookup: LookupService,
    connection: Connection,
    kind: LookupKind,
    query: str,
    cancel: CancelToken | None,
    on_progress: ProgressCallback | None,
    then: Then | None,
    movements: bool = False,
) -> LookupResult:
    result = lookup.search(connection, kind, query, cancel, on_progress, movements=movements)
    return then(connection, result, cancel) if then is not None else result


def _named(connection: Connection, on_progress: ProgressCallback | None) -> ProgressCallback | None:
    """Prefix each wait's message with the company's name (its braces kept out of the countdown's format)."""
    if on_progress is None:
        return None
    callback = on_progress
    name = connection.name.replace("{", "{{").replace("}", "}}")

    def report(event: Progress) -> None:
        callback(replace(event, message=f"{name}: {event.message}"))

    return report


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _joined(answers: Sequence[tuple[Connection, LookupResult | AppError]]) -> LookupResult:
    found = [(connection, answer) for connection, answer in answers if isinstance(answer, LookupResult)]
    if not found:
        first = answers[0][1]
        assert isinstance(first, AppError)
        raise first
    # The widest table: a company whose products got their recent movements has more columns
    # (added after the others), so the other companies' rows are padded with empty cells.
    template = max((result for _, result in found), key=lambda result: len(result.columns))
    width = len(template.columns)
    rows: list[tuple[Any, ...]] = []
    for connection, result in found:
        padding = (None,) * (width - len(result.columns))
        rows.extend((connection.name, *row, *padding) for row in result.rows)
    # A company left out first: it is what the reader must not miss.
    notes = [
        f"{connection.name} could not be searched: {answer.message}"
        for connection, answer in answers
        if isinstance(answer, AppError)
    ]
    # Companies with the same note share it ("North and South: 1 product found. ..."), not repeat it.
    alike: dict[str, list[str]] = {}
    for connection, answer in answers:
        if isinstance(answer, LookupResult) and answer.note:
            alike.setdefault(answer.note, []).append(connection.name)
    notes.extend(f"{_and(names)}: {note}" for note, names in alike.items())
    return replace(
        template,
        columns=(COMPANY_COLUMN, *template.columns),
        rows=tuple(rows),
        note=" ".join(notes),
        calls=sum(result.calls for _, result in found),
    )
