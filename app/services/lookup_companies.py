"""One look-up in several companies at once (a SKU's stock in every company): one table, Company first.

Each company is searched on a thread of its own with its own key (so its own budget) through the
ordinary :class:`~app.services.lookup.LookupService`; the rows come back company by company, in
the order given, after a first column "Company" (the connection's name). A company that cannot
be searched (key refused, DEAR unreachable) is named in the note and the others are shown; when
no company can be searched, the first one's error is raised, as a one-company look-up does.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from app.errors import ApiError
from app.models import CancelToken, ColumnSpec, Connection
from app.services.lookup import LookupKind, LookupResult, LookupService

COMPANY_COLUMN = ColumnSpec("\x00company", "Company")


def search_companies(
    lookup: LookupService,
    connections: Sequence[Connection],
    kind: LookupKind,
    query: str,
    cancel: CancelToken | None = None,
) -> LookupResult:
    """Run ``lookup.search`` in every company at once and join the answers (one company: as is)."""
    if len(connections) == 1:
        return lookup.search(connections[0], kind, query, cancel)
    with ThreadPoolExecutor(max_workers=len(connections), thread_name_prefix="dear-lookup") as pool:
        futures = [pool.submit(lookup.search, connection, kind, query, cancel) for connection in connections]
    answers: list[tuple[Connection, LookupResult | ApiError]] = []
    for connection, future in zip(connections, futures, strict=True):
        error = future.exception()
        if isinstance(error, ApiError):
            answers.append((connection, error))
        elif error is not None:
            raise error  # bad usage (an empty query), a cancel or a bug: the same for every company
        else:
            answers.append((connection, future.result()))
    found = [(connection, answer) for connection, answer in answers if isinstance(answer, LookupResult)]
    if not found:
        first = answers[0][1]
        assert isinstance(first, ApiError)
        raise first
    template = found[0][1]
    rows = tuple((connection.name, *row) for connection, result in found for row in result.rows)
    notes = []
    for connection, answer in answers:
        if isinstance(answer, LookupResult):
            notes.append(f"{connection.name}: {answer.note}" if answer.note else "")
        else:
            notes.append(f"{connection.name} could not be searched: {answer.message}")
    return replace(
        template,
        columns=(COMPANY_COLUMN, *template.columns),
        rows=rows,
        note=" ".join(note for note in notes if note),
        calls=sum(result.calls for _, result in found),
    )
