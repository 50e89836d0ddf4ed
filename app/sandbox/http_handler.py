"""The HTTP side: a loopback request handler that answers like DEAR, with its limit, faults and counters.

Statuses and bodies follow docs/dear-api.md §7 (errors), §6.2 (the limit) and §9 (the contract
for a fake DEAR).
"""

from __future__ import annotations

import json
import math
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote, urlsplit

from app.sandbox import awkward
from app.sandbox.config import SandboxConfig
from app.sandbox.dataset import Dataset
from app.sandbox.endpoints import ROUTES
from app.sandbox.faults import BAD_GATEWAY_PAGE, MAINTENANCE_PAGE, NOT_FOUND_PAGE, throttle_message
from app.sandbox.meters import Counters, RateLimiter
from app.sandbox.ordering import ListOrder
from app.sandbox.page_cache import PageCache
from app.sandbox.paging import BadRequestError, error_body, flag

PREFIX = "/externalapi/v2/"


class Host(Protocol):
    """What the handler needs from the sandbox that serves it (the Sandbox implements it)."""

    config: SandboxConfig
    dataset: Dataset
    counters: Counters
    limiter: RateLimiter
    pages: PageCache
    account_id: str
    application_key: str

    def stats(self) -> dict[str, Any]:
        """Return what ``GET /_sandbox/stats`` returns."""
        ...

    def take_injection(self, endpoint: str) -> str | None:
        """Return the injected fault for this request, if any."""
        ...

    def random_fault(self) -> str | None:
        """Return a random fault at the configured rate, or None."""
        ...

    def list_order(self, endpoint: str) -> ListOrder:
        """Return how this request's list is ordered (natural, shuffled or drifting)."""
        ...

    def page_cache_key(self, endpoint: str, query: dict[str, str]) -> tuple[Any, ...] | None:
        """Return the key this answer is cached under, or None when it must not be cached."""
        ...

    def control(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        """Run a ``POST /_sandbox/<action>`` call."""
        ...


class Server(ThreadingHTTPServer):
    """A threading HTTP server that knows its sandbox."""

    daemon_threads = True
    request_queue_size = 128
    sandbox: Host


class Handler(BaseHTTPRequestHandler):
    """Answers one connection's requests as DEAR would."""

    protocol_version = "HTTP/1.1"
    server_version = "DEAR-Sandbox/1.0"
    timeout = 120  # idle keep-alive connections end on their own
    # why: headers and body must leave in one segment; with Nagle and delayed ACKs each answer costs 40 ms
    disable_nagle_algorithm = True
    wbufsize = 1 << 16
    server: Server

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
        cache_key = sandbox.page_cache_key(endpoint, query)
        body = sandbox.pages.get(cache_key, sandbox.dataset.generation)
        status = 200
        if body is None:
            try:
                status, payload = handler(sandbox.dataset, query, sandbox.list_order(endpoint))
                if not sandbox.config.awkward:  # the demo company: no test strings (awkward.tidy)
                    payload = awkward.tidy(payload)
            except BadRequestError as error:
                status, payload = 400, error_body(400, str(error))
            body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            if status == 200:
                sandbox.pages.put(cache_key, sandbox.dataset.generation, body)
        if config.movement_ms > 0 and endpoint == "product" and flag(query, "includemovements"):
            # Pages with movements are slow in DEAR (docs/dear-api.md §11.1): cost per movement sent.
            time.sleep(config.movement_ms / 1000.0 * body.count(b'"FromTo":'))
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
