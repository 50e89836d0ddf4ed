"""The DEAR API v2 client: one session per connection, paced by the key's shared governor."""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.retry import Retry

from app.api import retry
from app.api.concurrency import ordered_map
from app.api.events import ApiEvent, CallMade, EventCallback, Retrying, Throttled, Waiting
from app.api.governor import RateGovernor
from app.api.paging import DEFAULT_PAGE_SIZE, ListPager
from app.errors import (
    ApiError,
    AuthenticationError,
    BadResponseError,
    Cancelled,
    ConfigurationError,
    RateLimitedError,
    RequestRejectedError,
    TransientApiError,
)
from app.models import CancelToken, Connection, JsonDict, RateLimit
from app.redact import redact, register_secret

log = logging.getLogger(__name__)

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


def estimate_seconds(
    calls_remaining: int,
    limit: RateLimit,
    *,
    latency: float = 0.5,
    available_now: int | None = None,
    parallel: int = 4,
) -> float:
    """Estimate honestly how many seconds ``calls_remaining`` calls take under ``limit``.

    The calls that fit in the window's free slots (``available_now``; a fresh window when
    None) go at once, ``parallel`` at a time. Every later call waits for a slot, and a slot
    comes back a full window after its call finished (see the governor), so they run in
    batches of ``limit.calls``, one window plus the time a call takes apart.
    5,000 calls at 60/60 with half a second per call: about 84 minutes; 20 calls: seconds.
    """
    if calls_remaining <= 0:
        return 0.0
    latency = max(0.0, latency)
    free = limit.calls if available_now is None else max(0, min(available_now, limit.calls))
    burst = min(calls_remaining, free)
    later = calls_remaining - burst
    seconds = math.ceil(burst / max(1, parallel)) * latency
    if later:
        # Slots come back in the rhythm they were taken: each further batch of limit.calls waits
        # one window (plus the call's own time) for the batch before it.
        seconds += math.ceil(later / limit.calls) * (limit.seconds + latency)
    return seconds


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
        last_failure: ApiError | None = None
        while True:
            self._check(cancel)
            self._wait_begins()
            try:
                slot = self._governor.acquire(cancel, on_wait=lambda s, why: self._emit(Waiting(s, why)))
            finally:
                self._wait_ends()
            sent = time.monotonic()
            status: int | None = None
            try:
                response = self._session.get(url, params=query, timeout=self._timeout)
                status = response.status_code
            except requests.RequestException as exc:
                response = None
                failure = self._network_failure(exc, path)
            finally:
                self._governor.release(slot)
                self._add(calls=1)
                self._emit(CallMade(path, status, time.monotonic() - sent))
                log.debug("GET %s -> %s", path, status if status is not None else "no answer")

            if response is not None:
                outcome = retry.classify(response.status_code, _text(response))
                if outcome is retry.Outcome.OK:
                    try:
                        return self._decode(response, path)
                    except BadResponseError as exc:
                        failure = exc
                elif outcome is retry.Outcome.THROTTLED:
                    now = time.monotonic()
                    throttled_since = throttled_since if throttled_since is not None else now
                    throttles += 1
                    if now - throttled_since >= self._max_throttle_seconds:
                        raise self._rate_limited(path, response, now - throttled_since)
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
                    raise self._auth_error(path, response)
                elif outcome is retry.Outcome.REJECTED:
                    raise self._rejected(path, query, response)
                else:
                    failure = self._server_error(path, response)

            # Something passing went wrong (5xx, timeout, dropped connection, garbled body).
            throttled_since = None
            last_failure = failure
            transient_attempts += 1
            if transient_attempts >= self._max_attempts:
                raise last_failure
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
        max_rewalks: int = 3,
    ) -> ListPager:
        """Return a pager over a list: iterate it for batches of new unique records, then read ``.stats``."""
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
        )

    def fetch_details(
        self, path: str, param: str, ids: Iterable[str], *, cancel: CancelToken | None = None
    ) -> Iterator[tuple[str, Any]]:
        """Yield ``(id, document)`` for each id, in input order, fetched concurrently within the limit."""

        def one(record_id: str, token: CancelToken) -> Any:
            return self.get(path, {param: record_id}, cancel=token)

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

    # ------------------------------------------------------------------ decoding and errors

    def _decode(self, response: requests.Response, path: str) -> Any:
        if response.status_code == 204:  # "success, nothing to return"
            return None
        raw = response.content
        content_type = response.headers.get("Content-Type", "")
        looks_html = "html" in content_type.lower() or raw.lstrip()[:1] == b"<"
        if looks_html:
            raise BadResponseError(
                f"DEAR sent a web page instead of data for {path}. The address may be wrong, "
                "or DEAR may be down for maintenance.",
                details=f"GET {path}: HTTP {response.status_code}, Content-Type {content_type!r}, "
                f"{len(raw)} bytes starting {redact(_text(response)[:80])!r}",
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

    def _network_failure(self, exc: requests.RequestException, path: str) -> ApiError:
        name = type(exc).__name__
        if isinstance(exc, requests.ConnectTimeout) or (
            isinstance(exc, requests.ConnectionError)
            and not isinstance(exc, requests.ReadTimeout)
            and _never_connected(exc)
        ):
            return TransientApiError(
                f"Could not reach DEAR at {self._host}.",
                hint="Check your internet connection (and any proxy or firewall), then try again.",
                details=redact(f"GET {path}: {name}: {exc}"),
                endpoint=path,
            )
        if isinstance(exc, requests.Timeout):
            return TransientApiError(
                f"DEAR at {self._host} did not answer within {int(self._timeout[1])} seconds.",
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
                f"The connection to DEAR at {self._host} was cut off before the answer was complete.",
                details=redact(f"GET {path}: {name}: {exc}"),
                endpoint=path,
            )
        raise ConfigurationError(
            f"The DEAR address for connection '{self._connection.name}' is not usable: {self._base_url}",
            hint="Check the connection's address (normally https://inventory.dearsystems.com/ExternalApi/v2/).",
            details=redact(f"{name}: {exc}"),
        ) from exc

    def _auth_error(self, path: str, response: requests.Response) -> AuthenticationError:
        text = retry.dear_exception_text(_text(response))
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
            details=redact(f"GET {path}: HTTP {response.status_code}: {text}"),
            endpoint=path,
            status=response.status_code,
        )

    def _rejected(
        self, path: str, query: Mapping[str, Any], response: requests.Response
    ) -> RequestRejectedError:
        text = retry.dear_exception_text(_text(response))
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
            details=redact(f"GET {path}: HTTP {response.status_code}: {_text(response)[:500]}"),
            endpoint=path,
            status=response.status_code,
        )

    def _server_error(self, path: str, response: requests.Response) -> TransientApiError:
        text = retry.dear_exception_text(_text(response))
        return TransientApiError(
            f"DEAR had a problem answering {path} (error {response.status_code}).",
            details=redact(f"GET {path}: HTTP {response.status_code}: {text}"),
            endpoint=path,
            status=response.status_code,
        )

    def _rate_limited(self, path: str, response: requests.Response, seconds: float) -> RateLimitedError:
        minutes = max(1, round(seconds / 60))
        return RateLimitedError(
            f"DEAR kept saying the API limit was reached for {minutes} minute{'s' if minutes != 1 else ''}, "
            f"so the download of {path} stopped.",
            details=redact(
                f"GET {path}: HTTP {response.status_code}: {retry.dear_exception_text(_text(response))}"
            ),
            endpoint=path,
            status=response.status_code,
        )


def _text(response: requests.Response) -> str:
    try:
        return response.content.decode("utf-8", errors="replace")
    except (AttributeError, TypeError):
        return ""


def _never_connected(exc: requests.RequestException) -> bool:
    """Tell whether the request failed before any byte reached the server (refused, DNS, no route)."""
    cause: object = exc.args[0] if exc.args else None
    reason = getattr(cause, "reason", cause)
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError))
