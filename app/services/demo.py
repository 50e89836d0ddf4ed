"""Demo mode: a simulated DEAR company running on this computer, for trying the app without an account.

This is the one service allowed to import :mod:`app.sandbox`; the window only ever sees the
:class:`~app.models.Connection` it returns, marked ``demo`` and ``session_only``. ``start_in``
lists that connection in a ``ConnectionStore`` like any session-only one, so the window needs no
special case for it.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from app.models import Connection, RateLimit
from app.redact import register_secret
from app.services.connections import ConnectionInfo, ConnectionStore

if TYPE_CHECKING:
    from app.sandbox import Sandbox

DEMO_NAME = "Demo company"

# The real DEAR limit, so the "waiting for DEAR's limit" note can be seen in the demo too.
DEMO_RATE_LIMIT = (60, 60.0)
DEMO_LATENCY_MS = 50.0


class DemoSession:
    """Starts and stops the embedded sandbox behind the "Demo company" connection.

    ``start()`` is idempotent and thread-safe; ``stop()`` is safe to call more than once. The
    sandbox is loaded (and the options checked) only by ``start()``, so creating a session is cheap.
    """

    def __init__(
        self,
        *,
        size: str = "small",
        seed: int = 1,
        rate_limit: tuple[int, float] | None = DEMO_RATE_LIMIT,
        latency_ms: float = DEMO_LATENCY_MS,
    ) -> None:
        self._seed = seed
        self._size = size
        self._rate_limit = rate_limit
        self._latency_ms = latency_ms
        self._lock = threading.Lock()
        self._sandbox: Sandbox | None = None
        self._connection: Connection | None = None

    @property
    def running(self) -> bool:
        """True while the simulated company is serving."""
        return self._sandbox is not None

    @property
    def connection(self) -> Connection | None:
        """The demo connection while running, else None."""
        return self._connection

    def start(self) -> Connection:
        """Start the simulated company (once) and return its session-only connection."""
        with self._lock:
            if self._sandbox is None or self._connection is None:
                # Imported here: the sandbox takes about a third of a second to load, too much for start-up.
                from app.sandbox import Sandbox, SandboxConfig

                config = SandboxConfig(
                    seed=self._seed,
                    size=self._size,
                    rate_limit=self._rate_limit,
                    latency_ms=self._latency_ms,
                    awkward=False,  # a visitor sees a business, not our test strings
                )
                sandbox = Sandbox(config)
                sandbox.start()
                register_secret(sandbox.application_key)
                calls, seconds = self._rate_limit or (60, 60.0)
                self._connection = Connection(
                    name=DEMO_NAME,
                    account_id=sandbox.account_id,
                    application_key=sandbox.application_key,
                    base_url=sandbox.base_url,
                    rate_limit=RateLimit(calls, seconds),
                    session_only=True,
                    demo=True,
                )
                self._sandbox = sandbox
            return self._connection

    def start_in(self, connections: ConnectionStore) -> ConnectionInfo:
        """Start the simulated company and list it in ``connections`` as a session-only connection.

        Called again, it points the same entry at the running company (a restarted demo has a
        new address and key). A saved connection that happens to be called "Demo company" keeps
        its name; the demo then takes the next free one.
        """
        connection = self.start()
        for info in connections.list():
            if info.demo:
                return connections.update(
                    info.name,
                    account_id=connection.account_id,
                    application_key=connection.application_key,
                    base_url=connection.base_url,
                    rate_limit=connection.rate_limit,
                )
        taken = {name.casefold() for name in connections.names()}
        name, number = DEMO_NAME, 1
        while name.casefold() in taken:
            number += 1
            name = f"{DEMO_NAME} {number}"
        return connections.add(
            name,
            connection.account_id,
            connection.application_key,
            base_url=connection.base_url,
            rate_limit=connection.rate_limit,
            demo=True,
        )

    def stop(self) -> None:
        """Stop the simulated company; the demo connection stops working."""
        with self._lock:
            sandbox, self._sandbox, self._connection = self._sandbox, None, None
        if sandbox is not None:
            sandbox.stop()

    def __enter__(self) -> DemoSession:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
