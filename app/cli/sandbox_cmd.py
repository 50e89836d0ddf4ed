"""Command line: ``sandbox`` serves a simulated DEAR account on this computer until Ctrl+C."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any

from app.errors import ConfigurationError


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``sandbox`` sub-command."""
    parser = subparsers.add_parser(
        "sandbox",
        help="serve a simulated DEAR account (sample data) on this computer for trying the app",
        description="Serve a simulated DEAR account over HTTP on 127.0.0.1 until interrupted (Ctrl+C). "
        "Prints one line with the base URL, Account ID and Application Key to use.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0 picks a free one)")
    parser.add_argument("--seed", type=int, default=1, help="which sample data set (same seed, same data)")
    parser.add_argument("--size", choices=("small", "medium", "large"), default="small", help="how much data")
    parser.add_argument("--latency-ms", type=float, default=0, help="delay added to every answer")
    parser.add_argument(
        "--movement-ms",
        type=float,
        default=0,
        help="delay per stock movement on product pages (DEAR: about 2.6)",
    )
    parser.add_argument(
        "--rate-limit",
        default="60/60",
        metavar="CALLS/SECONDS",
        help="API limit per key, or 'none' (default 60/60)",
    )
    parser.add_argument(
        "--throttle-status",
        type=int,
        choices=(503, 429, 400),
        default=503,
        help="status of the 'API limit reached' answer",
    )
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of answers that fail (0 to 1)")
    parser.add_argument("--shuffle-pages", action="store_true", help="change the list order between pages")
    parser.add_argument(
        "--drift-rows",
        type=int,
        default=0,
        metavar="N",
        help="move N random rows of a list to new places before each page request, as on a busy account",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    """Start the sandbox, print its details and serve until Ctrl+C (or ``stop`` is set)."""
    # Imported here so that other commands (and --version) do not load the sandbox.
    from app.sandbox import Sandbox, SandboxConfig, parse_rate_limit

    try:
        config = SandboxConfig(
            seed=args.seed,
            size=args.size,
            latency_ms=args.latency_ms,
            movement_ms=args.movement_ms,
            rate_limit=parse_rate_limit(args.rate_limit),
            throttle_status=args.throttle_status,
            fault_rate=args.fault_rate,
            shuffle_pages=args.shuffle_pages,
            drift_rows=args.drift_rows,
        )
        sandbox = Sandbox(config, port=args.port)
    except ValueError as error:
        raise ConfigurationError(str(error), hint="Check the sandbox options.") from error
    waiter = stop or threading.Event()
    # Everything from start() on sits inside the try, so Ctrl+C at any moment still stops cleanly.
    try:
        try:
            sandbox.start()
        except OSError as error:
            raise ConfigurationError(
                f"The sandbox could not listen on port {args.port}.",
                hint="Choose another port, or 0 for any free one.",
            ) from error
        # The Application Key printed here is the sandbox's own made-up key, not a real secret.
        print(
            f"DEAR sandbox running at {sandbox.base_url}  Account ID: {sandbox.account_id}  "
            f"Application Key: {sandbox.application_key}  (press Ctrl+C to stop)",
            flush=True,
        )
        while not waiter.wait(0.5):
            pass
    except KeyboardInterrupt:
        print("Sandbox stopped.", file=sys.stderr)
    finally:
        sandbox.stop()
    return 0
