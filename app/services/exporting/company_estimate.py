"""How long a several-company export takes: each company is asked at once, and the slowest counts.

The companies are read side by side, each within its own key's budget, so the export takes about
as long as its slowest company, not the sum. A company that cannot be asked (its key refused,
DEAR unreachable) is named in the explanation; the export itself will name it again and go on
with the others. When no company can be asked, the first one's error is raised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from app.errors import ApiError, AppError
from app.models import Connection
from app.services.exporting.company_keys import keyless
from app.services.exporting.estimate import Estimate
from app.services.exporting.wording import describe_duration


def slowest_company(
    connections: Sequence[Connection], estimate_one: Callable[[Connection], Estimate]
) -> Estimate:
    """Estimate every company at once and return the slowest's estimate, explained per company."""
    readable = [connection for connection in connections if keyless(connection) is None]
    with ThreadPoolExecutor(max_workers=max(1, len(readable)), thread_name_prefix="dear-estimate") as pool:
        futures = {connection.name: pool.submit(estimate_one, connection) for connection in readable}
    answers: list[tuple[Connection, Estimate | AppError]] = []
    for connection in connections:
        missing = keyless(connection)
        if missing is not None:
            answers.append((connection, missing))
            continue
        future = futures[connection.name]
        error = future.exception()
        if isinstance(error, ApiError):
            answers.append((connection, error))
        elif error is not None:
            raise error
        else:
            answers.append((connection, future.result()))
    estimates = [(c, answer) for c, answer in answers if isinstance(answer, Estimate)]
    if not estimates:
        first = answers[0][1]
        assert isinstance(first, AppError)
        raise first
    slowest_connection, slowest = max(estimates, key=lambda pair: pair[1].seconds)
    sentences = []
    for connection, answer in answers:
        if isinstance(answer, Estimate):
            sentences.append(f"{connection.name}: {answer.explanation}")
        elif keyless(connection) is not None:
            sentences.append(f"{connection.name} will be left out: {answer.message}")
        else:
            sentences.append(
                f"{connection.name} could not be asked ({answer.message}); it will be tried again."
            )
    sentences.append(
        f"The companies are read side by side, so the export takes about as long as the slowest, "
        f"{slowest_connection.name}: {describe_duration(slowest.seconds)}."
    )
    return Estimate(
        calls=sum(estimate.calls for _, estimate in estimates),
        seconds=slowest.seconds,
        reports=slowest.reports,
        explanation=" ".join(sentences),
    )
