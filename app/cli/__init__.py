"""The command line: a public interface that schedulers and scripts depend on.

Each command group lives in its own module with a ``register(subparsers)`` function
that adds its sub-command and sets ``handler`` (``Callable[[argparse.Namespace], int]``).
Never rename or remove a documented command or option without keeping the old form.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from app import APP_NAME, __version__
from app.cli import (
    cache_cmd,
    catalogue_cmd,
    connections_cmd,
    demo_cmd,
    export_cmd,
    presets_cmd,
    refresh_cmd,
    sandbox_cmd,
)
from app.errors import EXIT_USAGE, AppError, exit_code_for

log = logging.getLogger(__name__)

_COMMAND_MODULES = (
    sandbox_cmd,
    demo_cmd,
    catalogue_cmd,
    export_cmd,
    refresh_cmd,
    connections_cmd,
    cache_cmd,
    presets_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    """Build the full argument parser: top-level options and every sub-command."""
    parser = argparse.ArgumentParser(
        prog="dear-export",
        description=f"{APP_NAME}: export DEAR Inventory (Cin7 Core) data to Excel. "
        "With no command, the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--demo", action="store_true", help="open the window on the built-in demo company")
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="check the installation offscreen (window, resources, keyring, a tiny export) and exit",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _COMMAND_MODULES:
        module.register(subparsers)
    return parser


def dispatch(args: argparse.Namespace) -> int:
    """Run the sub-command chosen in ``args``; turn app errors into one-line messages."""
    handler = getattr(args, "handler", None)
    if handler is None:
        return EXIT_USAGE
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("Cancelled.", file=sys.stderr)
        return 130
    except AppError as error:
        log.debug("command failed", exc_info=True)
        print(f"Error: {error.user_text()}", file=sys.stderr)
        return exit_code_for(error)


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line (exits with status 2 on bad usage, as argparse does)."""
    return build_parser().parse_args(argv)
