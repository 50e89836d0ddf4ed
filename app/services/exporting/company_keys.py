"""Reading the keys of several companies: a company whose key cannot be read fails alone.

A saved connection's key lives in the system keyring. When it is missing there (a new computer, a
keyring reset) a one-company export stops at once, as before. In an export of several companies
that company is kept as a :class:`KeylessConnection`: it is never sent to DEAR, it is named as
not exported (in the terminal, the window and the About sheet), the other companies are written,
and the exit status is 3 like a refused key, since someone must enter the key again either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.errors import CredentialError
from app.models import Connection
from app.services.connections import ConnectionStore


@dataclass(frozen=True, repr=False)
class KeylessConnection(Connection):
    """A saved company whose key could not be read; it carries why, never a key."""

    problem: str = ""
    remedy: str = ""

    def error(self) -> CredentialError:
        """Return the error that left this company out."""
        return CredentialError(self.problem, hint=self.remedy)


def keyless(connection: Connection) -> CredentialError | None:
    """Return why this company cannot be read (its key is missing), or None when it can."""
    return connection.error() if isinstance(connection, KeylessConnection) else None


def read_companies(store: ConnectionStore, names: Sequence[str]) -> tuple[Connection, ...]:
    """Read the named connections with their keys.

    One name: exactly ``store.get`` (a missing key stops the export, as always). Several: a saved
    company whose key cannot be read becomes a :class:`KeylessConnection`, unless every company's
    key is missing (nothing could be read: the first error is raised). A name that is not saved
    at all is a mistake in the command and is raised as before.
    """
    if len(names) <= 1:
        return tuple(store.get(name) for name in names)
    saved = {info.name.casefold(): info.name for info in store.list()}
    connections: list[Connection] = []
    for name in names:
        known = saved.get(name.strip().casefold())
        if known is None:
            connections.append(store.get(name))  # raises "No connection named ..."
            continue
        try:
            connections.append(store.get(known))
        except CredentialError as error:
            connections.append(
                KeylessConnection(
                    known, account_id="", application_key="", problem=error.message, remedy=error.hint
                )
            )
    first = next((keyless(c) for c in connections if keyless(c) is not None), None)
    if first is not None and all(keyless(c) is not None for c in connections):
        raise first
    return tuple(connections)
