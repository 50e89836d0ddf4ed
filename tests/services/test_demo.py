"""The demo session: a real sandbox behind a session-only "Demo company" connection."""

from __future__ import annotations

import pytest

from app.api import DearClient
from app.errors import TransientApiError
from app.redact import redact
from app.services.demo import DEMO_NAME, DemoSession


def test_start_returns_a_working_demo_connection_and_stop_ends_it() -> None:
    session = DemoSession(rate_limit=None, latency_ms=0)
    connection = session.start()
    try:
        assert session.running
        assert connection.name == DEMO_NAME
        assert connection.demo and connection.session_only
        assert connection.application_key not in repr(connection)
        # The key is registered as a secret, so it never reaches a log line.
        assert redact(f"key={connection.application_key}") != f"key={connection.application_key}"
        with DearClient(connection) as client:
            me = client.me()
        assert me.get("Company")
        assert session.start() is connection  # idempotent while running
    finally:
        session.stop()
    assert not session.running
    assert session.connection is None
    with pytest.raises(TransientApiError), DearClient(connection, max_attempts=1) as client:
        client.get("me")


def test_default_demo_keeps_dears_own_limit_so_the_wait_note_can_be_seen() -> None:
    with DemoSession(latency_ms=0) as session:
        connection = session.connection
        assert connection is not None
        assert (connection.rate_limit.calls, connection.rate_limit.seconds) == (60, 60.0)
    session.stop()  # a second stop is harmless
    assert not session.running
