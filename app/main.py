"""Composition root: logging, then either the command line or the window.

This is the only module (with ``app.cli``) that may import every layer. Qt is
imported lazily, so command-line runs (schedulers, scripts) never load it.
"""

from __future__ import annotations

import contextlib
import io
import logging
import logging.handlers
import os
import sys
from collections.abc import Sequence

from app import cli
from app.paths import log_dir
from app.redact import RedactingFilter

log = logging.getLogger("app")

# glibc's mallopt parameter for the size from which blocks get their own mapping.
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 128 * 1024
"""Blocks of this size or more are mapped on their own and given back to the system when freed."""


def tune_allocator() -> bool:
    """Make glibc return large freed blocks to the system; True when it was done (Linux with glibc).

    Decoding DEAR's pages makes buffers of one or two megabytes. glibc raises its mmap threshold
    after the first such buffer is freed, so the later ones come from heaps that fragment and are
    never given back: a 300,000-row export peaked near 200 MB although Python held under 40 MB.
    A fixed threshold keeps it flat (docs/performance.md, "Memory"). It is process-wide, so it is
    set here, once, at start-up; Windows' and macOS' allocators already return large blocks.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # only here: nothing else in the app needs it

    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    except (OSError, AttributeError):  # musl and other C libraries have no mallopt: keep their default
        return False


class _OwnWarningsOnly(logging.Filter):
    """Pass the app's own records, and only errors from libraries."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.name.startswith("app") or record.levelno >= logging.ERROR


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file readable by the user only: log lines name companies, reports and files.

    Each new file is created with mode 0600, and rotation renames files, so rotated ones keep
    it. (On Windows the mode means little; the user's profile folder keeps others out.)
    """

    def __init__(self, filename: str | os.PathLike[str], **kwargs: object) -> None:
        if os.name == "posix":
            # a log an earlier version wrote readable by everyone
            with contextlib.suppress(OSError):
                os.chmod(filename, 0o600)  # noqa: PTH101 - a path or a name, as logging takes
        super().__init__(filename, **kwargs)  # type: ignore[arg-type]

    def _open(self) -> io.TextIOWrapper:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
        descriptor = os.open(self.baseFilename, flags, 0o600)
        return open(descriptor, "a", encoding=self.encoding, errors=self.errors)  # noqa: PTH123


def configure_logging(verbose: bool = False, *, to_file: str = "dear-export.log") -> None:
    """Log to a rotating file in the user log folder; warnings (or more with -v) to stderr."""
    root = logging.getLogger()
    if getattr(root, "_dear_export_configured", False):
        return
    root.setLevel(logging.DEBUG)
    redacting = RedactingFilter()
    try:
        file_handler = PrivateRotatingFileHandler(
            log_dir() / to_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
        file_handler.setLevel(logging.INFO)
        file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        file_handler.addFilter(redacting)
        root.addHandler(file_handler)
    except OSError:  # a read-only or missing profile must not stop the app
        pass
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    console.addFilter(redacting)
    if not verbose:
        # Libraries' own warnings (urllib3 retrying a connection, ...) are for the log file; the
        # user sees our plain-language messages instead.
        console.addFilter(_OwnWarningsOnly())
    root.addHandler(console)
    root._dear_export_configured = True  # type: ignore[attr-defined]


def run(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m app`` and the ``dear-export`` script."""
    args = cli.parse(argv)
    tune_allocator()
    configure_logging(bool(getattr(args, "verbose", False)))
    if args.command:
        return cli.dispatch(args)
    from app.ui.application import run_window  # lazy: keep Qt out of command-line runs

    return run_window(demo=bool(args.demo), selftest=bool(args.selftest))


def run_gui() -> int:
    """Entry point of the windowed ``dear-export-gui`` script."""
    return run(sys.argv[1:])
