"""Testing a connection: one call to DEAR's ``me``, its answer worded for the user."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.errors import AppError, AuthenticationError, RateLimitedError, TransientApiError
from app.models import Connection
from app.redact import redact, register_secret
from app.services.closing import closing_client


@dataclass(frozen=True)
class TestResult:
    """The outcome of a connection test, worded for the user."""

    __test__ = False  # not a pytest test class, despite the name

    ok: bool
    company: str
    message: str
    hint: str = ""
    error: AppError | None = field(default=None, compare=False)


class MeClient(Protocol):
    """The part of ``DearClient`` a connection test needs."""

    def me(self) -> Mapping[str, Any]:
        """DEAR's ``/me`` document (company name and settings)."""
        ...


ClientFactory = Callable[[Connection], MeClient]

TEST_ATTEMPTS = 2  # a test button should answer in seconds: one retry, not the export's patience
TEST_TIMEOUT = (10.0, 30.0)


def default_client_factory(connection: Connection) -> MeClient:
    """Make the DEAR client a connection test uses: short timeouts, one retry."""
    from app.api.client import DearClient  # lazy: the API layer is only needed for a test call

    return DearClient(connection, timeout=TEST_TIMEOUT, max_attempts=TEST_ATTEMPTS)


def check_connection(connection: Connection, client_factory: ClientFactory) -> TestResult:
    """Call DEAR's ``me`` with ``connection`` and report the company name or what went wrong.

    DEAR's and the network's answers come back as a ``TestResult`` whose ``error`` gives the CLI
    its exit status. Touches neither the keyring nor the settings, so a worker thread may run it.
    """
    register_secret(connection.application_key)
    try:
        with closing_client(client_factory(connection)) as client:
            me = client.me()
    except AuthenticationError as error:
        return TestResult(
            False,
            "",
            f"DEAR did not accept the Account ID and Application Key of '{connection.name}'.",
            error.hint,
            error,
        )
    except TransientApiError as error:  # unreachable, timed out or failing: its message says which
        return TestResult(
            False,
            "",
            redact(error.message),
            "Check your internet connection and the connection's web address, then test again.",
            error,
        )
    except RateLimitedError as error:
        return TestResult(
            False,
            "",
            "DEAR is busy answering other requests made with this API application.",
            error.hint,
            error,
        )
    except AppError as error:  # other API answers, or an address that is not usable
        return TestResult(False, "", redact(error.message), error.hint, error)
    company = str(me.get("Company") or "").strip() if isinstance(me, Mapping) else ""
    if company:
        message = f"Connected to {company}."
    else:
        message = "Connected to DEAR (it did not say the company name)."
    return TestResult(True, company, message)
