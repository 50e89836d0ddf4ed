"""The DEAR API v2 client: one session per connection, paced by the key's shared governor."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from app.api import answers, retry
from app.api.concurrency import ordered_map
from app.api.estimate import estimate_seconds
from app.api.events import ApiEvent, CallMade, EventCallback, Retrying, Throttled, Waiting
from app.api.governor import RateGovernor
from app.api.paging import DEFAULT_PAGE_SIZE, ListPager
from app.errors import ApiError, BadResponseError, Cancelled, CertificateError, RecordNotFoundError
from app.models import CancelToken, Connection, JsonDict
from app.redact import redact, register_secret

log = logging.getLogger(__name__)

__all__ = ["ClientStats", "DearClient", "estimate_seconds"]

T = TypeVar("T")
R = TypeVar("R")

Timeout = tuple[float, float]


@dataclass(frozen=True)
class ClientStats:
    """What one client has spent so far."""

    calls: int = 0
    throttled: int = 0
    retries: int = 0
    waited_seconds: float = 0.0


class DearClient:
    """Talks to DEAR for one :class:`Connection`. Thread-safe; close it (or use ``with``) when done.

    ``on_event`` receives :mod:`app.api.events` objects from worker threads.
    """

    def __init__(
        self,
        connection: Connection,
        *,
        governor: RateGovernor | None = None,
        timeout: Timeout = (10.0, 60.0),
        max_in_flight: int = 4,
        on_event: EventCallback | None = None,
        max_throttle_seconds: float = retry.MAX_THROTTLE_SECONDS,
        max_attempts: int = retry.MAX_TRANSIENT_ATTEMPTS,
    ) -> None:
        register_secret(connection.application_key)
        self._connection = connection
        self._governor = governor or RateGovernor.for_key(
            connection.application_key, connection.rate_limit, max_in_flight=max_in_flight
        )
        self._timeout = timeout
        self._on_event = on_event
        self._max_throttle_seconds = max_throttle_seconds
        self._max_attempts = max(1, max_attempts)
        self._base_url = connection.base_url.rstrip("/") + "/"
        self._host = urlsplit(self._base_url).netloc or self._base_url
        self._session = self._make_session(connection, self._governor.max_in_flight)
        self._lock = threading.Lock()
        self._stats = ClientStats()
        self._waiting = 0
        self._waiting_since = 0.0
        self._executor: ThreadPoolExecutor | None = None
        self._closed = False

    @staticmethod
    def _make_session(connection: Connection, pool_size: int) -> requests.Session:
        session = requests.Session()
        session.headers.update(
            {
                "api-auth-accountid": connection.account_id,
                "api-auth-applicationkey": connection.application_key,
                "Content-Type": "application/json",
                "Accept": "application/json",
            }
        )
        # urllib3 retries only failures to *connect* (refused, DNS): those never reached DEAR,
        # so they cost nothing against the limit and need no pacing. Everything that may have
        # reached DEAR is retried by hand below, through the governor.
        connect_retry = Retry(
            total=2,
            connect=2,
            read=0,
            status=0,
            other=0,
            redirect=0,
            backoff_factor=0.1,
            raise_on_status=False,
        )
        adapter = HTTPAdapter(
            max_retries=connect_retry, pool_connections=1, pool_maxsize=max(4, pool_size * 2)
        )
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session

    def __repr__(self) -> str:
        return f"DearClient(connection={self._connection.name!r})"

    __str__ = __repr__

    def __enter__(self) -> DearClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker threads and close the HTTP session."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        self._session.close()

    # ------------------------------------------------------------------ public figures

    @property
    def connection_name(self) -> str:
        """The name of the connection this client serves."""
        return self._connection.name

    @property
    def governor(self) -> RateGovernor:
        """The key's shared governor."""
        return self._governor

    @property
    def stats(self) -> ClientStats:
        """Calls used, throttled answers, retries and seconds spent waiting for the limit, so far.

        ``waited_seconds`` is wall-clock time during which at least one of this client's
        requests was held back (four threads waiting together for 10 s count 10 s, not 40 s).
        """
        with self._lock:
            waited = self._stats.waited_seconds
            if self._waiting:
                waited += time.monotonic() - self._waiting_since
            return replace(self._stats, waited_seconds=waited)

    def _add(self, *, calls: int = 0, throttled: int = 0, retries: int = 0, waited: float = 0.0) -> None:
        with self._lock:
            s = self._stats
            self._stats = ClientStats(
                s.calls + calls, s.throttled + throttled, s.retries + retries, s.waited_seconds + waited
            )

    def _wait_begins(self) -> None:
        with self._lock:
            if self._waiting == 0:
                self._waiting_since = time.monotonic()
            self._waiting += 1

    def _wait_ends(self) -> None:
        with self._lock:
            self._waiting -= 1
            ended = self._waiting == 0
            since = self._waiting_since
        if ended:
            self._add(waited=time.monotonic() - since)

    def _emit(self, event: ApiEvent) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(event)
        except Exception:  # a faulty progress listener must not break the download
            log.exception("Progress listener failed on %s", type(event).__name__)

    # ------------------------------------------------------------------ requests

    def me(self, *, cancel: CancelToken | None = None) -> JsonDict:
        """Return the account's own details (``/me``); the cheapest check that a connection works."""
        body = self.get("me", cancel=cancel)
        if not isinstance(body, dict):
            raise BadResponseError(
                "DEAR's answer about the account was not in the expected form.",
                endpoint="me",
                details=str(type(body)),
            )
        return body

    def get(
        self, path: str, params: Mapping[str, Any] | None = None, *, cancel: CancelToken | None = None
    ) -> Any:
        """GET ``path`` (relative to the connection's base URL) and return the decoded JSON.

        Waits for the limit, retries throttles and passing failures, and raises an
        :class:`~app.errors.ApiError` subclass (or :class:`~app.errors.Cancelled`).
        """
        path = path.lstrip("/")
        url = self._base_url + path
        query = dict(params or {})
        transient_attempts = 0
        throttles = 0
        throttled_since: float | None = None
        while True:
            self._check(cancel)
            self._wait_begins()
            try:
                slot = self._governor.acquire(cancel, on_wait=lambda s, why: self._emit(Waiting(s, why)))
            finally:
                self._wait_ends()
            sent = time.monotonic()
            status: int | None = None
            response: requests.Response | None = None
            lost: requests.RequestException | None = None
            try:
                response = self._session.get(url, params=query, timeout=self._timeout)
                status = response.status_code
            except requests.RequestException as exc:
                lost = exc
            finally:
                self._governor.release(slot)
                self._add(calls=1)
                self._emit(CallMade(path, status, time.monotonic() - sent))
                log.debug("GET %s -> %s", path, status if status is not None else "no answer")

            failure: ApiError
            if response is None:
                failure = answers.network_failure(
                    lost or requests.RequestException("no answer"),
                    path,
                    host=self._host,
                    read_timeout=self._timeout[1],
                    connection_name=self._connection.name,
                )
                if isinstance(failure, CertificateError):
                    raise failure  # the same certificate is refused every time: retrying only delays the news
            else:
                outcome = retry.classify(response.status_code, answers.response_text(response))
                if outcome is retry.Outcome.OK:
                    try:
                        return answers.decode(response, path)
                    except BadResponseError as exc:
                        failure = exc
                elif outcome is retry.Outcome.THROTTLED:
                    now = time.monotonic()
                    throttled_since = throttled_since if throttled_since is not None else now
                    throttles += 1
                    if now - throttled_since >= self._max_throttle_seconds:
                        raise answers.rate_limited(path, response, now - throttled_since)
                    wait = retry.throttle_wait(
                        self._governor.limit,
                        throttles,
                        retry.parse_retry_after(response.headers.get("Retry-After")),
                    )
                    wait = min(wait, max(0.0, self._max_throttle_seconds - (now - throttled_since)) + 0.01)
                    self._add(throttled=1)
                    self._emit(Throttled(path, response.status_code, wait))
                    # Pause the whole key: every thread's next request would meet the same answer.
                    self._governor.pause(wait)
                    continue
                elif outcome is retry.Outcome.AUTH:
                    raise answers.auth_error(path, response)
                elif outcome is retry.Outcome.REJECTED:
                    if answers.says_not_found(response):
                        raise answers.not_found(path, query, response)
                    raise answers.rejected(path, query, response)
                else:
                    failure = answers.server_error(path, response)

            # Something passing went wrong (5xx, timeout, dropped connection, garbled body).
            throttled_since = None
            transient_attempts += 1
            if transient_attempts >= self._max_attempts:
                raise failure
            delay = retry.backoff_delay(transient_attempts)
            self._add(retries=1)
            self._emit(Retrying(path, transient_attempts, delay, failure.message))
            log.info("Retrying %s in %.1f s: %s", path, delay, redact(failure.message))
            if cancel is not None and cancel.wait(delay):
                raise Cancelled()
            if cancel is None:
                time.sleep(delay)

    @staticmethod
    def _check(cancel: CancelToken | None) -> None:
        if cancel is not None and cancel.cancelled:
            raise Cancelled()

    # ------------------------------------------------------------------ lists and fan-out

    def list_pager(
        self,
        path: str,
        list_key: str | None,
        *,
        params: Mapping[str, Any] | None = None,
        id_field: str | Sequence[str] | None = "ID",
        page_size: int | None = DEFAULT_PAGE_SIZE,
        alt_list_keys: Sequence[str] = (),
        cancel: CancelToken | None = None,
        max_rewalks: int = 5,
        changed_since: str | None = None,
    ) -> ListPager:
        """Return a pager over a list: iterate it for batches of new unique records, then read ``.stats``.

        ``changed_since`` names the list's "changed since" filter (the catalogue's ``since_filter``),
        which lets the pager recover rows that moved while it read in one consistent answer.
        """
        return ListPager(
            self,
            path,
            list_key,
            params=params,
            id_field=id_field,
            page_size=page_size,
            alt_list_keys=alt_list_keys,
            cancel=cancel,
            max_rewalks=max_rewalks,
            on_event=self._emit,
            changed_since=changed_since,
        )

    def fetch_details(
        self, path: str, param: str, ids: Iterable[str], *, cancel: CancelToken | None = None
    ) -> Iterator[tuple[str, Any]]:
        """Yield ``(id, document)`` for each id, in input order, fetched concurrently within the limit.

        The document is None when DEAR says the record does not exist (it was deleted after the
        list was read); the caller skips it and names it.
        """

        def one(record_id: str, token: CancelToken) -> Any:
            try:
                return self.get(path, {param: record_id}, cancel=token)
            except RecordNotFoundError:
                # Deleted in DEAR after the list was read: one gap to name, not a failed export.
                log.info("%s %s=%s was not found in DEAR; it is skipped", path, param, redact(record_id))
                return None

        return self.map_ordered(one, ids, cancel)

    def map_ordered(
        self, fn: Callable[[T, CancelToken], R], items: Iterable[T], cancel: CancelToken | None
    ) -> Iterator[tuple[T, R]]:
        """Run ``fn`` over ``items`` on the client's threads; results come back in input order."""
        window = self._governor.max_in_flight * 4
        return ordered_map(self._pool(), fn, items, window=window, cancel=cancel)

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._closed:
                raise RuntimeError("This DearClient has been closed.")
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self._governor.max_in_flight, thread_name_prefix="dear-api"
                )
            return self._executor
