"""The export use case: reports from DEAR into one workbook (or CSV files), with honest progress.

The window's worker and the command line both call :meth:`ExportService.run`, which returns
the :class:`~app.models.ExportResult` and PUSHES :class:`~app.models.Progress` events to the
``on_progress`` callback it is given (about five a second at most, the latest never lost).

Threads. An export uses two kinds of thread, no more:

* the caller's thread (the window's worker thread, or the command line's main thread) runs
  :meth:`ExportService.run` from start to end: it plans, reads list pages, sorts, writes rows
  and saves the file, and it pushes most progress events;
* the DEAR client's own small pool (``DearClient``'s executor, ``dear-api-*``, as many threads
  as the key's governor allows in flight, 4 by default) sends the requests that can go
  concurrently: list pages after the first, and the detail request of each record. Those
  threads report waits for DEAR's limit, throttles and retries through the client's event
  callback (:class:`~app.services.exporting.progress.WaitWatch`), which pushes a "waiting"
  event with ``waiting_seconds`` at once, so the window can count down while the caller's
  thread is blocked on the very request that waits.

An export of several companies adds one reader thread per company (``dear-company-*``): each
does for its company what the caller's thread does for one, into rows held back; the caller's
thread waits for them in order and writes.

So ``on_progress`` is called from any of these threads (never two at once) and must be
thread-safe and quick. Cancellation is one :class:`~app.models.CancelToken`: the caller's
thread checks it for every row (listing, details and writing), the client's threads check it
before and while waiting, and the writer (``open_writer(..., cancel=)``) checks it while saving.

Rows come out in a fixed order (each report's ``order_by`` fields, then the ID), so exporting
the same data twice gives the same workbook. Long lists are sorted in bounded memory, past
a bound (:data:`~app.services.exporting.spill.RUN_WEIGHT`) in sorted runs on disk
(:mod:`app.services.exporting.spill`). Nothing is written to the target until everything
arrived: a failure or a cancel leaves no half-written file behind and an old file untouched.

Several companies (``ExportRequest.connections``) are read side by side, one thread and one
client each, and written company after company into one sheet per report with a first column
"Company" (:mod:`~app.services.exporting.companies`); one company is exported exactly as before.

Modules: ``plan`` (checking a report), ``order`` (sort keys), ``spill`` (sorting on disk),
``progress`` (pushing events), ``reports`` (one report's rows), ``estimate`` (the cost
before a run), ``summary`` (About sheet and result), ``run`` (the service), ``wording``;
for several companies ``companies`` (reading and writing them), ``buffer`` (a company's rows
held back), ``company_progress`` (one progress stream) and ``company_estimate`` (the slowest).
"""

from __future__ import annotations

from app.services.exporting.client import ClientFactory, dear_client, estimate_seconds
from app.services.exporting.estimate import Estimate, ReportEstimate
from app.services.exporting.order import sorted_in_slices
from app.services.exporting.plan import Plan, plan_report
from app.services.exporting.progress import ProgressFeed
from app.services.exporting.run import ExportService
from app.services.exporting.wording import describe_duration, describe_elapsed, describe_limit

__all__ = [
    "ClientFactory",
    "Estimate",
    "ExportService",
    "Plan",
    "ProgressFeed",
    "ReportEstimate",
    "dear_client",
    "describe_duration",
    "describe_elapsed",
    "describe_limit",
    "estimate_seconds",
    "plan_report",
    "sorted_in_slices",
]
