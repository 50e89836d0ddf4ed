"""The sandbox itself: a simulated DEAR account served over HTTP on loopback, with its test controls."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from app.sandbox.config import THROTTLE_STATUSES, SandboxConfig
from app.sandbox.dataset import Dataset
from app.sandbox.faults import FaultPlan
from app.sandbox.http_handler import Handler, Server
from app.sandbox.ids import IdMaker
from app.sandbox.meters import Counters, RateLimiter
from app.sandbox.ordering import Drift, ListOrder
from app.sandbox.page_cache import PageCache

RUNTIME_SETTINGS = frozenset(
    {
        "latency_ms",
        "rate_limit",
        "throttle_status",
        "fault_rate",
        "shuffle_pages",
        "drift_rows",
        "movement_ms",
    }
)


class Sandbox:
    """A simulated DEAR account served over HTTP on loopback.

    ``with Sandbox(SandboxConfig(rate_limit=None)) as sb: requests.get(sb.base_url + "me", headers=...)``
    """

    def __init__(self, config: SandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or SandboxConfig()
        self._host = host
        self._port = port
        today = self.config.today or datetime.now(UTC).date()
        self.dataset = Dataset(
            self.config.seed, today, self.config.record_counts(), awkward=self.config.awkward
        )
        ids = IdMaker(self.config.seed)
        self.account_id = ids.sub("account", self.config.seed)
        self.application_key = ids.sub("application-key", self.config.seed)
        self.limiter = RateLimiter(self.config.rate_limit)
        self.counters = Counters()
        self.pages = PageCache()
        self.faults = FaultPlan(self.config.seed)
        self.drift = Drift(self.config.seed)
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> Sandbox:
        """Start serving in a background thread; returns self."""
        if self._server is not None:
            return self
        server = Server((self._host, self._port), Handler)
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
        """Change latency_ms, rate_limit, throttle_status, fault_rate, shuffle_pages or drift_rows now."""
        unknown = set(changes) - RUNTIME_SETTINGS
        if unknown:
            raise ValueError(f"These settings cannot change at run time: {', '.join(sorted(unknown))}.")
        if "rate_limit" in changes and changes["rate_limit"] is not None:
            calls, seconds = changes["rate_limit"]
            changes["rate_limit"] = (int(calls), float(seconds))
        if changes.get("throttle_status", self.config.throttle_status) not in THROTTLE_STATUSES:
            raise ValueError("The throttle status must be 503, 429 or 400.")
        if "drift_rows" in changes:
            changes["drift_rows"] = int(changes["drift_rows"])
        self.config = replace(self.config, **changes)
        if "rate_limit" in changes:
            self.limiter = RateLimiter(self.config.rate_limit)

    def inject(self, kind: str, count: int = 1, path: str | None = None) -> None:
        """Make the next ``count`` requests (to ``path``, e.g. ``"salelist"``, or any) get fault ``kind``.

        Kinds: ``500``, ``drop``, ``html502``, ``html200``, ``truncated``, ``throttle``.
        """
        self.faults.inject(kind, count, path)

    def take_injection(self, endpoint: str) -> str | None:
        """Return the injected fault for this request, if one is pending for its path."""
        return self.faults.take(endpoint)

    def random_fault(self) -> str | None:
        """Return a random fault at the configured rate (deterministic sequence per seed)."""
        return self.faults.at_random(self.config.fault_rate)

    def list_order(self, endpoint: str) -> ListOrder:
        """Return how this request's list is ordered: shuffled afresh, drifting, or DEAR's order."""
        config = self.config
        if config.shuffle_pages:
            return ListOrder(shuffle=random.Random())
        return ListOrder(drift=self.drift, list_name=endpoint, drift_rows=config.drift_rows)

    def page_cache_key(self, endpoint: str, query: dict[str, str]) -> tuple[Any, ...] | None:
        """Return the key an answer is cached under; None while lists shuffle or drift (answers differ)."""
        if self.config.shuffle_pages or self.config.drift_rows:
            return None
        # why: after drifting stops, the moved order stays; answers cached before it moved are stale
        return (endpoint, tuple(sorted(query.items())), self.drift.moves)

    def touch(self, kind: str, ids_or_count: int | str | Iterable[str]) -> list[str]:
        """Change records and bump their change time (see :meth:`Dataset.touch`); returns their IDs."""
        return self.dataset.touch(kind, ids_or_count)

    def void(self, kind: str, record_id: str) -> str:
        """Void a sale or purchase."""
        return self.dataset.void(kind, record_id)

    def deprecate(self, kind: str, record_id: str, deprecated: bool = True) -> str:
        """Deprecate (or restore) a product, customer or supplier."""
        return self.dataset.deprecate(kind, record_id, deprecated)

    def delete(self, kind: str, record_id: str) -> str:
        """Delete a record: it leaves its list and ``GET`` of its detail answers 400 "… not found"."""
        return self.dataset.delete(kind, record_id)

    def control(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        """Run a ``POST /_sandbox/<action>`` call, for sandboxes in another process."""
        if action == "touch":
            target = body.get("ids", body.get("count", 1))
            return {"ids": self.touch(str(body["kind"]), target)}
        if action == "void":
            return {"id": self.void(str(body["kind"]), str(body["id"]))}
        if action == "deprecate":
            return {
                "id": self.deprecate(str(body["kind"]), str(body["id"]), bool(body.get("deprecated", True)))
            }
        if action == "delete":
            return {"id": self.delete(str(body["kind"]), str(body["id"]))}
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
