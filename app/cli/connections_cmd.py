"""Command line: ``connections list | add | update | rename | remove | test``.

The Application Key is never taken from the arguments (it would end up in shell history and
process lists): it is read from a hidden prompt, or from the first line of standard input when
that is not a terminal (``echo KEY | dear-export connections add "Acme NZ" --account-id ...``).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from app.cli.export_cmd import ENV_ACCOUNT_ID, ENV_APPLICATION_KEY
from app.errors import EXIT_OK, ConfigurationError, CredentialError, KeyringUnavailableError, exit_code_for
from app.models import DEFAULT_BASE_URL
from app.redact import register_secret

if TYPE_CHECKING:
    from app.services.connections import ConnectionStore

_KEY_NOT_IN_ARGUMENTS = (
    "For safety the Application Key is never typed on the command line (it would be kept in your "
    "shell history). Leave it out: you will be asked for it, or pipe it in on standard input."
)


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``connections`` command and its sub-commands."""
    parser = subparsers.add_parser(
        "connections",
        help="list, add, change, remove and test connections to DEAR",
        description="Manage connections. Application Keys are kept in the computer's keyring "
        "(Windows Credential Manager, macOS Keychain or Secret Service), never in a file.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="show the saved connections (never the keys)")
    listing.set_defaults(handler=_list)

    add = actions.add_parser(
        "add",
        help="save a new connection",
        description="Save a new connection. The Application Key is asked for with a hidden prompt, "
        "or read from the first line of standard input when that is not a terminal.",
    )
    add.add_argument("name", metavar="NAME", help='a name you choose, e.g. "Acme NZ"')
    _add_connection_options(add, defaults=True)
    add.add_argument("--no-test", action="store_true", help="save without checking the key with DEAR first")
    add.set_defaults(handler=_add)

    update = actions.add_parser(
        "update",
        help="change a connection's Account ID, key, web address or share of the API limit",
    )
    update.add_argument("name", metavar="NAME")
    _add_connection_options(update, defaults=False)
    update.add_argument(
        "--new-key",
        action="store_true",
        help="replace the Application Key (asked for with a hidden prompt, or read from standard input)",
    )
    update.set_defaults(handler=_update)

    rename = actions.add_parser("rename", help="give a connection a new name (presets follow it)")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    rename.set_defaults(handler=_rename)

    remove = actions.add_parser("remove", help="forget a connection and delete its key from the keyring")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=_remove)

    test = actions.add_parser("test", help="check a connection with DEAR and show the company name")
    test.add_argument("name", metavar="NAME")
    test.set_defaults(handler=_test)


def _add_connection_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    parser.add_argument("--account-id", metavar="ID", help="the Account ID from DEAR (Integrations → API)")
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help=f"the API's web address (default {DEFAULT_BASE_URL})" if defaults else "the API's web address",
    )
    parser.add_argument(
        "--rate-limit",
        metavar="CALLS/SECONDS",
        help="this connection's share of DEAR's limit"
        + (" (default 60/60; lower it to leave room for other apps)" if defaults else ""),
    )
    # Accepted only to refuse with an explanation (and without echoing the value back).
    for flag in ("--application-key", "--key"):
        parser.add_argument(flag, dest="key_in_arguments", nargs="?", const="", help=argparse.SUPPRESS)


def _refuse_key_in_arguments(args: argparse.Namespace) -> None:
    value = getattr(args, "key_in_arguments", None)
    if value is not None:
        register_secret(value)  # in case a log line ever repeats the command
        raise ConfigurationError(_KEY_NOT_IN_ARGUMENTS)


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def read_application_key(prompt: str = "Application Key (typing is hidden): ") -> str:
    """Read the key from a hidden prompt, or the first line of standard input when it is not a terminal."""
    if _stdin_is_terminal():
        key = getpass.getpass(prompt)
    else:
        key = sys.stdin.readline() if sys.stdin is not None else ""
    key = key.strip()
    if not key:
        raise ConfigurationError(
            "No Application Key was given.",
            hint="Type or paste it when asked, or pipe it in on standard input.",
        )
    register_secret(key)
    return key


def _read_account_id(given: str | None) -> str:
    if given:
        return given
    if _stdin_is_terminal():
        return input("Account ID: ").strip()
    raise ConfigurationError(
        "The Account ID is missing.",
        hint="Give it with --account-id when the key comes from standard input.",
    )


def _list(args: argparse.Namespace) -> int:
    # Imported here so that building the parser (and --version) does not load keyring and requests.
    from app.wiring import user_services

    store = user_services().connections
    infos = store.list()
    if not infos:
        print('No connections yet. Add one with: dear-export connections add "Company name"')
    for info in infos:
        extras = [f"Account ID {info.account_id}", f"limit {info.rate_limit}"]
        if info.base_url != DEFAULT_BASE_URL:
            extras.append(info.base_url)
        print(f"{info.name}  ({', '.join(extras)})")
    print(f"Keys are stored in: {store.backend_description()}")
    return EXIT_OK


def _add(args: argparse.Namespace) -> int:
    _refuse_key_in_arguments(args)
    # Imported here so that building the parser (and --version) does not load keyring and requests.
    from app.services.credentials import keyring_remedy
    from app.wiring import user_services

    store = user_services().connections
    try:
        store.ensure_keyring_usable()  # before asking for the key, not after
    except KeyringUnavailableError as error:
        # A command line cannot keep a session-only connection: point to what does work here.
        raise KeyringUnavailableError(
            error.message,
            hint=f"{keyring_remedy()} Meanwhile `dear-export export` can read the "
            f"Account ID and key from the {ENV_ACCOUNT_ID} and {ENV_APPLICATION_KEY} environment variables.",
            details=error.details,
        ) from error
    account_id = _read_account_id(args.account_id)
    key = read_application_key()
    info = store.add(
        args.name,
        account_id,
        key,
        base_url=args.base_url or DEFAULT_BASE_URL,
        rate_limit=args.rate_limit or "60/60",
    )
    print(f"Saved connection '{info.name}'. Its Application Key is stored in {store.backend_description()}.")
    if args.no_test:
        return EXIT_OK
    return _report_test(store, info.name)


def _update(args: argparse.Namespace) -> int:
    _refuse_key_in_arguments(args)
    if not (args.new_key or args.account_id or args.base_url or args.rate_limit):
        raise ConfigurationError(
            "Nothing to change was given.",
            hint="Add --new-key, --account-id, --base-url or --rate-limit.",
        )
    # Imported here so that building the parser (and --version) does not load keyring and requests.
    from app.wiring import user_services

    store = user_services().connections
    store.info(args.name)  # an unknown name is reported before the key is asked for
    key = read_application_key("New Application Key (typing is hidden): ") if args.new_key else None
    info = store.update(
        args.name,
        account_id=args.account_id,
        application_key=key,
        base_url=args.base_url,
        rate_limit=args.rate_limit,
    )
    print(f"Updated connection '{info.name}'.")
    return EXIT_OK


def _rename(args: argparse.Namespace) -> int:
    # Imported here so that building the parser (and --version) does not load keyring and requests.
    from app.wiring import user_services

    store = user_services().connections
    info = store.rename(args.old, args.new)
    print(f"Renamed the connection to '{info.name}'.")
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    # Imported here so that building the parser (and --version) does not load keyring and requests.
    from app.wiring import user_services

    store = user_services().connections  # wired so that the removed connection's local cache goes too
    info = store.remove(args.name)
    print(f"Removed connection '{info.name}' and deleted its Application Key.")
    return EXIT_OK


def _test(args: argparse.Namespace) -> int:
    # Imported here so that building the parser (and --version) does not load keyring and requests.
    from app.wiring import user_services

    return _report_test(user_services().connections, args.name)


def _report_test(store: ConnectionStore, name: str) -> int:
    result = store.test(name)
    if result.ok:
        print(result.message)
        return EXIT_OK
    print(f"Error: {result.message} {result.hint}".strip(), file=sys.stderr)
    return exit_code_for(result.error) if result.error is not None else exit_code_for(CredentialError(""))
