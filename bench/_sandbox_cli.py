"""What bench/ and scripts/ share for running ``python -m app`` against a sandbox in a child process.

Stdlib only apart from the sandbox's type, so a bench can import it right after putting the
checkout on ``sys.path``.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from app.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[1]


def sandbox_env(sb: Sandbox, home: Path | str, **extra: str) -> dict[str, str]:
    """This environment plus the checkout on PYTHONPATH, the sandbox's connection and ``home`` as user folder.

    ``extra`` adds variables (``PYTHONUTF8="1"``, ``PYTHONDONTWRITEBYTECODE="1"``) where a caller needs them.
    """
    return dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        DEAR_ACCOUNT_ID=sb.account_id,
        DEAR_APPLICATION_KEY=sb.application_key,
        DEAR_BASE_URL=sb.base_url,
        DEAR_EXPORT_HOME=str(home),
        **extra,
    )


class Finished(NamedTuple):
    """A child process that ran to its end: output, exit code, wall seconds and ``ru_maxrss`` (raw units)."""

    stdout: str
    stderr: str
    code: int
    seconds: float
    maxrss: int


def run_waited(command: list[str], env: dict[str, str]) -> Finished:
    """Run ``command`` from the checkout and reap it with ``os.wait4`` (POSIX only) for its resource usage.

    ``ru_maxrss`` is kilobytes on Linux, bytes on macOS; each bench converts it as it reports it.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stdout = process.stdout.read().decode() if process.stdout else ""
    stderr = process.stderr.read().decode() if process.stderr else ""
    return Finished(stdout, stderr, os.waitstatus_to_exitcode(status), seconds, usage.ru_maxrss)
