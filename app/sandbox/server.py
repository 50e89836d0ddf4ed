"""The HTTP side: a loopback server that answers like DEAR, with its limit, faults and counters."""

from __future__ import annotations

import json
import math
import random
import socket
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from app.sandbox.config import THROTTLE_STATUSES, SandboxConfig
from app.sandbox.dataset import Dataset
from app.sandbox.endpoints import ROUTES, BadRequestError, error_body
from app.sandbox.ids import IdMaker

PREFIX = "/externalapi/v2/"
FAULT_KINDS = ("500", "drop", "html502", "html200", "truncated")
INJECTABLE = (*FAULT_KINDS, "throttle")
_ALIASES = {
    "server_error": "500",
    "error": "500",
    "html": "html502",
    "disconnect": "drop",
    "truncate": "truncated",
}
NOT_FOUND_PAGE = (
    "<!DOCTYPE html><html><head><title>Page not found</title></head>"
    "<body><h1>Page not found</h1><p>The page you requested does not exist.</p></body></html>"
)
BAD_GATEWAY_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><h1>502 Bad Gateway</h1></body></html>"
)
MAINTENANCE_PAGE = (
    "<!DOCTYPE html><html><head><title>DEAR Inventory</title></head>"
    "<body><h1>We'll be back soon</h1><p>Scheduled maintenance is in progress.</p></body></html>"
)


def throttle_message(calls: int, seconds: float) -> str:
    """DEAR's limit message with the configured numbers."""
    return f"You have reached {calls} calls per {seconds:g} seconds API limit."


class RateLimiter:
    """DEAR's rolling window per Application Key; every arriving request counts, throttled ones too."""

    def __init__(self, limit: tuple[int, float] | None) -> None:
        self.limit = limit
        self._windows: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Record a request; None if allowed, else seconds until the oldest call leaves the window."""
        if self.limit is None:
            return None
        calls, seconds = self.limit
        now = time.monotonic()
        with self._lock:
            window = self._windows.setdefault(key, deque())
            while window and window[0] <= now - seconds:
                window.popleft()
            allowed = len(window) < calls
            window.append(now)
            if allowed:
                return None
            return max(0.0, window[0] + seconds - now)


@dataclass
class _Injection:
    kind: str
    remaining: int
    path: str | None


class Counters:
    """Answered requests per endpoint path, plus throttled and faulted answers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.per_path: dict[str, int] = {}
        self.throttled = 0
        self.faults = 0
        self.total = 0

    def count(self, path: str) -> None:
        """One more answered request to ``path``."""
        with self._lock:
            self.per_path[path] = self.per_path.get(path, 0) + 1
            self.total += 1

    def bump(self, throttled: bool = False, fault: bool = False) -> None:
        """Count a throttled or faulted answer."""
        with self._lock:
            self.throttled += throttled
            self.faults += fault

    def snapshot(self) -> dict[str, int]:
        """Per-path counts with ``_throttled``, ``_faults`` and ``_total`` added."""
        with self._lock:
            return {
                **self.per_path,
                "_throttled": self.throttled,
                "_faults": self.faults,
                "_total": self.total,
            }

    def reset(self) -> None:
        """Start counting from zero."""
        with self._lock:
            self.per_path.clear()
            self.throttled = self.faults = self.total = 0


class PageCache:
    """A modest cache of encoded answers, so repeated walks of a big list are cheap.

    Entries carry the dataset's change generation; a touch, void or deprecate makes them stale.
    """

    def __init__(self, max_bytes: int = 48 << 20) -> None:
        self._max_bytes = max_bytes
        self._entries: OrderedDict[tuple[Any, ...], tuple[int, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...] | None, generation: int) -> bytes | None:
        """Return the cached answer for ``key`` if it is still current."""
        if key is None:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != generation:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: tuple[Any, ...] | None, generation: int, body: bytes) -> None:
        """Remember an answer, dropping the least recently used ones beyond the size budget."""
        if key is None or len(body) > self._max_bytes // 4:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old[1])
            self._entries[key] = (generation, body)
            self._size += len(body)
            while self._size > self._max_bytes and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= len(dropped)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    sandbox: Sandbox


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "DEAR-Sandbox/1.0"
    timeout = 120  # idle keep-alive connections end on their own
    # why: headers and body must leave in one segment; with Nagle and delayed ACKs each answer costs 40 ms
    disable_nagle_algorithm = True
    wbufsize = 1 << 16
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request stderr lines."""

    # ------------------------------------------------------------------ responses

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8", headers)

    def _text(self, status: int, text: str, content_type: str = "text/plain; charset=utf-8") -> None:
        self._send(status, text.encode("utf-8"), content_type)

    # ------------------------------------------------------------------ methods

    def do_GET(self) -> None:
        """Answer a GET as DEAR would (or as the configured faults say)."""
        sandbox = self.server.sandbox
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path.lower().rstrip("/") == "/_sandbox/stats":
            self._json(200, sandbox.stats())
            return
        if not path.lower().startswith(PREFIX):
            self._text(404, NOT_FOUND_PAGE, "text/html; charset=utf-8")
            return
        endpoint = path[len(PREFIX) :].strip("/").lower()
        handler = ROUTES.get(endpoint)
        if handler is None:
            self._text(404, NOT_FOUND_PAGE, "text/html; charset=utf-8")
            return
        sandbox.counters.count(endpoint)
        if not self._authorised():
            self._text(403, "Incorrect credentials!")
            return
        config = sandbox.config
        if config.latency_ms > 0:
            time.sleep(config.latency_ms / 1000.0)
        wait = sandbox.limiter.hit(self.headers.get("api-auth-applicationkey", ""))
        injected = sandbox.take_injection(endpoint)
        if wait is not None or injected == "throttle":
            sandbox.counters.bump(throttled=True)
            self._throttled(wait or 0.0)
            return
        fault = injected or sandbox.random_fault()
        query: dict[str, str] = {}
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            query[name.lower()] = value
        cache_key = None if config.shuffle_pages else (endpoint, tuple(sorted(query.items())))
        body = sandbox.pages.get(cache_key, sandbox.dataset.generation)
        status = 200
        if body is None:
            try:
                status, payload = handler(
                    sandbox.dataset, query, random.Random() if config.shuffle_pages else None
                )
            except BadRequestError as error:
                status, payload = 400, error_body(400, str(error))
            body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            if status == 200:
                sandbox.pages.put(cache_key, sandbox.dataset.generation, body)
        if fault is not None:
            sandbox.counters.bump(fault=True)
            self._fault(fault, body)
            return
        self._send(status, body, "application/json; charset=utf-8")

    def _authorised(self) -> bool:
        sandbox = self.server.sandbox
        account = self.headers.get("api-auth-accountid", "").strip().lower()
        key = self.headers.get("api-auth-applicationkey", "").strip().lower()
        return account == sandbox.account_id.lower() and key == sandbox.application_key.lower()

    def _throttled(self, wait: float) -> None:
        config = self.server.sandbox.config
        calls, seconds = config.rate_limit or (60, 60.0)
        status = config.throttle_status
        headers: dict[str, str] = {}
        if status == 429:
            headers = {
                "Retry-After": f"{seconds:g} Seconds",
                "x-ratelimit-limit": str(calls),
                "x-ratelimit-remaining": "0",
                "x-ratelimit-reset": str(max(1, math.ceil(wait))),
            }
        self._json(status, error_body(status, throttle_message(calls, seconds)), headers)

    def _fault(self, kind: str, body: bytes) -> None:
        if kind == "drop":
            self.close_connection = True
            try:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if kind == "500":
            self._json(500, error_body(500, "An error has occurred. Please try again later."))
        elif kind == "html502":
            self._text(502, BAD_GATEWAY_PAGE, "text/html; charset=utf-8")
        elif kind == "html200":
            self._text(200, MAINTENANCE_PAGE, "text/html; charset=utf-8")
        else:  # truncated: a 200 whose JSON stops half-way
            cut = body[: max(1, len(body) // 2)]
            self._send(200, cut, "application/json; charset=utf-8")
            self.close_connection = True

    def do_POST(self) -> None:
        """Control calls under ``/_sandbox/`` (touch, void, deprecate, inject, reset, configure); else 405."""
        path = urlsplit(self.path).path.lower().rstrip("/")
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not path.startswith("/_sandbox/"):
            self._text(405, "Method not allowed")
            return
        try:
            body = json.loads(raw or b"{}")
            result = self.server.sandbox.control(path[len("/_sandbox/") :], body)
        except (ValueError, KeyError, TypeError) as error:
            self._json(400, error_body(400, f"Sandbox control failed: {error}"))
            return
        self._json(200, result)

    def _not_allowed(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._text(405, "Method not allowed")

    def do_PUT(self) -> None:
        """Refuse: the sandbox is read-only."""
        self._not_allowed()

    def do_DELETE(self) -> None:
        """Refuse: the sandbox is read-only."""
        self._not_allowed()

    def do_PATCH(self) -> None:
        """Refuse: the sandbox is read-only."""
        self._not_allowed()


class Sandbox:
    """A simulated DEAR account served over HTTP on loopback.

    ``with Sandbox(SandboxConfig(rate_limit=None)) as sb: requests.get(sb.base_url + "me", headers=...)``
    """

    def __init__(self, config: SandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or SandboxConfig()
        self._host = host
        self._port = port
        today = self.config.today or datetime.now(UTC).date()
        self.dataset = Dataset(self.config.seed, today, self.config.record_counts())
        ids = IdMaker(self.config.seed)
        self.account_id = ids.sub("account", self.config.seed)
        self.application_key = ids.sub("application-key", self.config.seed)
        self.limiter = RateLimiter(self.config.rate_limit)
        self.counters = Counters()
        self.pages = PageCache()
        self._injections: list[_Injection] = []
        self._lock = threading.Lock()
        self._faults = random.Random(f"{self.config.seed}:faults")
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> Sandbox:
        """Start serving in a background thread; returns self."""
        if self._server is not None:
            return self
        server = _Server((self._host, self._port), _Handler)
        server.sandbox = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="dear-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Sandbox(port={self.port}, seed={self.config.seed}, size={self.config.size!r})"

    @property
    def port(self) -> int:
        """The port served on (0 before start)."""
        return int(self._server.server_address[1]) if self._server else 0

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/ExternalApi/v2/``."""
        return f"http://{self._host}:{self.port}/ExternalApi/v2/"

    @property
    def headers(self) -> dict[str, str]:
        """The two auth headers DEAR wants on every call."""
        return {"api-auth-accountid": self.account_id, "api-auth-applicationkey": self.application_key}

    # ------------------------------------------------------------------ counters

    def call_counts(self) -> dict[str, int]:
        """Answered requests per lower-case endpoint path, plus ``_throttled``, ``_faults`` and ``_total``."""
        return self.counters.snapshot()

    def reset_counts(self) -> None:
        """Zero every counter."""
        self.counters.reset()

    @property
    def throttled_count(self) -> int:
        """Requests answered with the throttle response."""
        return self.counters.throttled

    @property
    def fault_count(self) -> int:
        """Requests answered with a fault."""
        return self.counters.faults

    @property
    def total_calls(self) -> int:
        """Every answered API request."""
        return self.counters.total

    def stats(self) -> dict[str, Any]:
        """Return what ``GET /_sandbox/stats`` returns."""
        snapshot = self.call_counts()
        counts = {k: v for k, v in snapshot.items() if not k.startswith("_")}
        return {
            "counts": counts,
            "throttled": snapshot["_throttled"],
            "faults": snapshot["_faults"],
            "total": snapshot["_total"],
        }

    # ------------------------------------------------------------------ behaviour

    def configure(self, **changes: Any) -> None:
        """Change latency_ms, rate_limit, throttle_status, fault_rate or shuffle_pages while running."""
        allowed = {"latency_ms", "rate_limit", "throttle_status", "fault_rate", "shuffle_pages"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"These settings cannot change at run time: {', '.join(sorted(unknown))}.")
        if "rate_limit" in changes and changes["rate_limit"] is not None:
            calls, seconds = changes["rate_limit"]
            changes["rate_limit"] = (int(calls), float(seconds))
        if changes.get("throttle_status", self.config.throttle_status) not in THROTTLE_STATUSES:
            raise ValueError("The throttle status must be 503, 429 or 400.")
        self.config = replace(self.config, **changes)
        if "rate_limit" in changes:
            self.limiter = RateLimiter(self.config.rate_limit)

    def inject(self, kind: str, count: int = 1, path: str | None = None) -> None:
        """Make the next ``count`` requests (to ``path``, e.g. ``"salelist"``, or any) get fault ``kind``.

        Kinds: ``500``, ``drop``, ``html502``, ``html200``, ``truncated``, ``throttle``.
        """
        kind = _ALIASES.get(str(kind).lower(), str(kind).lower())
        if kind not in INJECTABLE:
            raise ValueError(f"Unknown fault '{kind}': choose one of {', '.join(INJECTABLE)}.")
        target = path.strip("/").lower() if path else None
        with self._lock:
            self._injections.append(_Injection(kind, max(1, int(count)), target))

    def take_injection(self, endpoint: str) -> str | None:
        """Return the injected fault for this request, if one is pending for its path."""
        with self._lock:
            for injection in self._injections:
                if injection.path in (None, endpoint):
                    injection.remaining -= 1
                    if injection.remaining <= 0:
                        self._injections.remove(injection)
                    return injection.kind
        return None

    def random_fault(self) -> str | None:
        """Return a random fault at the configured rate (deterministic sequence per seed)."""
        rate = self.config.fault_rate
        if rate <= 0:
            return None
        with self._lock:
            if self._faults.random() >= rate:
                return None
            return self._faults.choice(FAULT_KINDS)

    def touch(self, kind: str, ids_or_count: int | str | Iterable[str]) -> list[str]:
        """Change records and bump their change time (see :meth:`Dataset.touch`); returns their IDs."""
        return self.dataset.touch(kind, ids_or_count)

    def void(self, kind: str, record_id: str) -> str:
        """Void a sale or purchase."""
        return self.dataset.void(kind, record_id)

    def deprecate(self, kind: str, record_id: str, deprecated: bool = True) -> str:
        """Deprecate (or restore) a product, customer or supplier."""
        return self.dataset.deprecate(kind, record_id, deprecated)

    def control(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        """Return the ``POST /_sandbox/<action>`` calls, for sandboxes in another process."""
        if action == "touch":
            target = body.get("ids", body.get("count", 1))
            return {"ids": self.touch(str(body["kind"]), target)}
        if action == "void":
            return {"id": self.void(str(body["kind"]), str(body["id"]))}
        if action == "deprecate":
            return {
                "id": self.deprecate(str(body["kind"]), str(body["id"]), bool(body.get("deprecated", True)))
            }
        if action == "inject":
            self.inject(str(body["kind"]), int(body.get("count", 1)), body.get("path"))
            return {"ok": True}
        if action == "reset":
            self.reset_counts()
            return {"ok": True}
        if action == "configure":
            changes = dict(body)
            if changes.get("rate_limit") is not None:
                changes["rate_limit"] = tuple(changes["rate_limit"])
            self.configure(**changes)
            return {"ok": True}
        raise ValueError(f"unknown action '{action}'")
