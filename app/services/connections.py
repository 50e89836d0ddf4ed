"""Saved connections: non-secret fields in the settings file, Application Keys in the OS keyring.

``ConnectionStore`` is the one place that turns a connection name into a usable
:class:`~app.models.Connection`. It never writes a key to a file and never falls back to one:
without a usable keyring, saving raises ``KeyringUnavailableError`` and the caller may offer a
session-only connection instead (kept in this store's memory until the process ends).

Thread safety: the keyring is not thread-safe and may prompt to unlock, so use a store from the
GUI thread or the command line only. Read the ``Connection`` there and hand it to workers.

Hooks: ``store.on_removed`` is a list of callables run with the removed ``ConnectionInfo`` after
``remove()`` (the cache uses it to delete that connection's local records), and ``store.on_renamed``
callables run with the old and the new ``ConnectionInfo`` after ``rename()`` (the presets use it to
follow the new name). The composition root (``app.wiring``) subscribes them, so this module knows
neither the cache nor the presets. A hook that fails is logged and does not undo the change.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace

from keyring.backend import KeyringBackend

from app.errors import AppError, ConfigurationError, CredentialError
from app.models import DEFAULT_BASE_URL, Connection, RateLimit
from app.redact import register_secret
from app.services.connection_check import (
    ClientFactory,
    MeClient,
    TestResult,
    check_connection,
    default_client_factory,
)
from app.services.connection_fields import (
    DEFAULT_RATE_LIMIT,
    ConnectionInfo,
    check_account_id,
    check_base_url,
    check_key,
    check_name,
    check_rate_limit,
    info_from_json,
    info_to_json,
)
from app.services.credentials import CredentialStore
from app.services.settings import CONNECTIONS, LAST_CONNECTION, Settings

__all__ = [
    "DEFAULT_RATE_LIMIT",
    "ClientFactory",
    "ConnectionInfo",
    "ConnectionStore",
    "MeClient",
    "RemovedHook",
    "RenamedHook",
    "TestResult",
]

log = logging.getLogger(__name__)

RemovedHook = Callable[[ConnectionInfo], None]
RenamedHook = Callable[[ConnectionInfo, ConnectionInfo], None]
"""Called with the connection as it was and as it is now."""
# Aliases, because ConnectionStore.list shadows the builtin inside the class body.
_Infos = list[ConnectionInfo]
_Names = list[str]
_Hooks = list[RemovedHook]
_RenameHooks = list[RenamedHook]


class ConnectionStore:
    """List, add, change, rename, remove, read and test connections.

    The connection list lives in ``settings``; ``keyring_backend`` defaults to the OS keyring and
    ``client_factory`` (for connection tests) to ``app.api.client.DearClient``. GUI thread or
    command line only.
    """

    def __init__(
        self,
        settings: Settings,
        keyring_backend: KeyringBackend | None = None,
        *,
        client_factory: ClientFactory | None = None,
    ) -> None:
        self._settings = settings
        self._secrets = CredentialStore(keyring_backend)
        self._client_factory = client_factory or default_client_factory
        self._session: dict[str, tuple[ConnectionInfo, str]] = {}  # id -> (info, key)
        self.on_removed: _Hooks = []
        self.on_renamed: _RenameHooks = []

    @property
    def settings(self) -> Settings:
        """The settings file the connection list lives in."""
        return self._settings

    # ------------------------------------------------------------------ keyring status

    def backend_description(self) -> str:
        """Where keys will be stored ("Windows Credential Manager", "macOS Keychain", ...)."""
        return self._secrets.description()

    def ensure_keyring_usable(self) -> None:
        """Raise KeyringUnavailableError (what happened, what to do) when keys cannot be saved."""
        self._secrets.ensure_usable()

    def keyring_usable(self) -> bool:
        """Tell whether keys can be saved (False: only session-only connections are possible)."""
        return self._secrets.is_usable()

    # ------------------------------------------------------------------ reading

    def list(self) -> _Infos:
        """Return every connection (saved and session-only), by name; never touches the keyring."""
        infos = [*self._saved(), *(info for info, _ in self._session.values())]
        return sorted(infos, key=lambda info: info.name.casefold())

    def names(self) -> _Names:
        """Return every connection's name, in display order."""
        return [info.name for info in self.list()]

    def info(self, name: str) -> ConnectionInfo:
        """Return the non-secret fields of one connection; CredentialError if there is none by that name."""
        return self._find(name)

    def get(self, name: str) -> Connection:
        """Return the connection with its key (read from the keyring for saved connections)."""
        info = self._find(name)
        if info.session_only:
            key = self._session[info.id][1]
        else:
            stored = self._secrets.read(info.id)
            if stored is None:
                raise CredentialError(
                    f"The Application Key for '{info.name}' is missing from {self.backend_description()}.",
                    hint=f"Enter the key again: edit the connection in the window, or run "
                    f'dear-export connections update "{info.name}" --new-key',
                )
            key = stored
        register_secret(key)
        return Connection(
            name=info.name,
            account_id=info.account_id,
            application_key=key,
            base_url=info.base_url,
            rate_limit=info.rate_limit,
            session_only=info.session_only,
            demo=info.demo,
        )

    # ------------------------------------------------------------------ changing

    def add(
        self,
        name: str,
        account_id: str,
        application_key: str,
        base_url: str = DEFAULT_BASE_URL,
        rate_limit: RateLimit | str = DEFAULT_RATE_LIMIT,
        session_only: bool = False,
        demo: bool = False,
    ) -> ConnectionInfo:
        """Save a new connection; its key goes to the keyring (or memory when ``session_only``).

        ``demo`` marks the built-in demo company, which is always kept in memory only.
        """
        session_only = session_only or demo
        clean_name = self._check_new_name(name)
        key = check_key(application_key)
        register_secret(key)
        info = ConnectionInfo(
            name=clean_name,
            account_id=check_account_id(account_id),
            base_url=check_base_url(base_url),
            rate_limit=check_rate_limit(rate_limit),
            session_only=session_only,
            id=uuid.uuid4().hex,
            demo=demo,
        )
        if session_only:
            self._session[info.id] = (info, key)
            return info
        self._secrets.write(info.id, key)
        try:
            self._save_list([*self._saved(), info])
        except BaseException:
            with contextlib.suppress(AppError):  # the list's own error is the one to report
                self._secrets.delete(info.id)  # no orphaned secret when the list could not be saved
            raise
        log.info("Saved connection '%s' (key stored in %s).", info.name, self.backend_description())
        return info

    def update(
        self,
        name: str,
        *,
        account_id: str | None = None,
        application_key: str | None = None,
        base_url: str | None = None,
        rate_limit: RateLimit | str | None = None,
    ) -> ConnectionInfo:
        """Change the given fields of a connection (None leaves a field as it is)."""
        info = self._find(name)
        changed = replace(
            info,
            account_id=info.account_id if account_id is None else check_account_id(account_id),
            base_url=info.base_url if base_url is None else check_base_url(base_url),
            rate_limit=info.rate_limit if rate_limit is None else check_rate_limit(rate_limit),
        )
        key = None if application_key is None else check_key(application_key)
        if key is not None:
            register_secret(key)
        if info.session_only:
            self._session[info.id] = (changed, key if key is not None else self._session[info.id][1])
            return changed
        if key is not None:
            self._secrets.write(info.id, key)
        self._save_list([changed if saved.id == info.id else saved for saved in self._saved()])
        return changed

    def rename(self, old: str, new: str) -> ConnectionInfo:
        """Give a connection a new name (its key stays where it is); then run the ``on_renamed`` hooks."""
        info = self._find(old)
        clean_name = self._check_new_name(new, ignore_id=info.id)
        renamed = replace(info, name=clean_name)
        if info.session_only:
            self._session[info.id] = (renamed, self._session[info.id][1])
        else:
            self._save_list([renamed if saved.id == info.id else saved for saved in self._saved()])
            if self._settings.get(LAST_CONNECTION) == info.name:
                self._settings.set(LAST_CONNECTION, clean_name)
        _run_hooks(self.on_renamed, info, renamed, what=f"renaming connection '{info.name}'")
        log.info("Renamed connection '%s' to '%s'.", info.name, clean_name)
        return renamed

    def remove(self, name: str) -> ConnectionInfo:
        """Forget a connection and delete its key; then run the ``on_removed`` hooks."""
        info = self._find(name)
        if info.session_only:
            del self._session[info.id]
        else:
            # The key goes first: if the keyring is locked nothing changes and the user can retry,
            # rather than leaving a key behind that no connection points to any more.
            if self._secrets.is_usable():
                self._secrets.delete(info.id)
            self._save_list([saved for saved in self._saved() if saved.id != info.id])
            if self._settings.get(LAST_CONNECTION) == info.name:
                self._settings.reset(LAST_CONNECTION)
        _run_hooks(self.on_removed, info, what=f"removing connection '{info.name}'")
        log.info("Removed connection '%s'.", info.name)
        return info

    # ------------------------------------------------------------------ testing

    def test(self, name_or_connection: str | Connection) -> TestResult:
        """Call DEAR's ``me`` with the connection and report the company name or what went wrong.

        Unknown names and keyring problems raise (CredentialError); DEAR's and the network's
        answers come back as a ``TestResult`` whose ``error`` gives the CLI its exit status.
        Given a ``Connection`` it touches neither the keyring nor the settings, so a worker
        thread may run it (read the connection with ``get`` on the GUI thread first).
        """
        connection = (
            self.get(name_or_connection) if isinstance(name_or_connection, str) else name_or_connection
        )
        return check_connection(connection, self._client_factory)

    # ------------------------------------------------------------------ internals

    def _saved(self) -> _Infos:
        infos: _Infos = []
        for raw in self._settings.get(CONNECTIONS):
            info = info_from_json(raw)
            if info is None:
                log.warning("Ignored a damaged connection entry in the settings file.")
                continue
            infos.append(info)
        return infos

    def _save_list(self, infos: _Infos) -> None:
        self._settings.set(CONNECTIONS, [info_to_json(info) for info in infos])

    def _find(self, name: str) -> ConnectionInfo:
        wanted = name.strip()
        every = self.list()
        for info in every:
            if info.name == wanted:
                return info
        folded = [info for info in every if info.name.casefold() == wanted.casefold()]
        if len(folded) == 1:
            return folded[0]
        if every:
            known = ", ".join(f"'{info.name}'" for info in every)
            raise CredentialError(
                f"No connection named '{wanted}'. Saved connections: {known}.",
                hint="Check the spelling (put names with spaces in quotes).",
            )
        raise CredentialError(
            f"No connection named '{wanted}'. There are no saved connections yet.",
            hint='Add one in the window, or run: dear-export connections add "Company name"',
        )

    def _check_new_name(self, name: str, *, ignore_id: str = "") -> str:
        clean = check_name(name)
        for info in self.list():
            if info.id != ignore_id and info.name.casefold() == clean.casefold():
                raise ConfigurationError(
                    f"There is already a connection named '{info.name}'.",
                    hint="Choose another name, or change the existing connection instead.",
                )
        return clean


def _run_hooks(hooks: Sequence[Callable[..., None]], *args: ConnectionInfo, what: str) -> None:
    for hook in tuple(hooks):
        try:
            hook(*args)
        except Exception:  # a failing clean-up must not undo the change the user asked for
            log.warning("Follow-up work after %s failed.", what, exc_info=True)
