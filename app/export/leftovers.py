"""Removing what a killed save left behind: ours only, and never a save that is still running.

A save leaves two kinds of files while it runs, both named so a later run can recognise them:

* ``.<name>.partial-<computer>-<process ID>-<random>`` beside the target (and the
  ``…-probe…`` file of the folder check);
* a folder ``dear-export-<process ID>-<random>`` in the temporary folder, holding a
  workbook's rows until the save (:mod:`app.export.scratch`).

A leftover goes when the process that made it has ended. Where that cannot be asked
(Windows: ``os.kill`` there would end the process; a file another computer made in a shared
folder; the older ``.<name>.partial-<random>`` without a process ID), it goes once it is a
few minutes old and not in use: Windows and Windows file shares refuse to delete a file a
running save holds open. Old files a multi-file (CSV)
save had set aside (``.previous-``) are never removed: they may be the user's only copy.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from app.export.atomic import computer_tag

log = logging.getLogger(__name__)

__all__ = ["OWNER_FILE", "SCRATCH_PREFIX", "STALE_AFTER", "process_ended", "sweep_folder", "sweep_temporary"]

SCRATCH_PREFIX = "dear-export-"
OWNER_FILE = "owner.lock"
"""Held open by the running save inside its scratch folder (Windows then refuses to delete it)."""
STALE_AFTER = 10 * 60.0
"""Seconds after which a leftover whose process cannot be asked about counts as abandoned."""

_PARTIAL = re.compile(r"^\..+\.partial-(?:(?P<computer>[0-9a-f]{4})-(?P<pid>\d+)-)?(?:[0-9a-f]{8}|probe0*)$")
_SCRATCH = re.compile(rf"^{SCRATCH_PREFIX}(?P<pid>\d+)-[A-Za-z0-9_]+$")


def process_ended(pid: int) -> bool | None:
    """Tell whether process ``pid`` has ended: True, False, or None when this cannot be asked."""
    if pid == os.getpid():
        return False
    if os.name != "posix" or pid <= 0:
        return None
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists, and belongs to someone else
    except OSError:
        return None
    return False


def _abandoned(pid: int | None, path: Path) -> bool:
    ended = process_ended(pid) if pid is not None else None
    if ended is not None:
        return ended
    try:
        return time.time() - path.stat().st_mtime > STALE_AFTER
    except OSError:
        return False


def sweep_folder(folder: Path) -> int:
    """Remove abandoned temporary files of ours from ``folder``; returns how many went."""
    removed = 0
    try:
        entries = list(folder.iterdir())
    except OSError:
        return 0
    for path in entries:
        match = _PARTIAL.match(path.name)
        if match is None:
            continue
        # a process ID only means something on the computer that made the file
        pid = int(match["pid"]) if match["pid"] and match["computer"] == computer_tag() else None
        try:
            if not path.is_file() or not _abandoned(pid, path):
                continue
            path.unlink()
        except OSError as error:  # in use by a save still running (Windows), or not ours to remove
            log.debug("Kept %s: %s", path.name, error)
            continue
        removed += 1
    if removed:
        log.info("Removed %d file(s) left by an interrupted save in %s.", removed, folder)
    return removed


def sweep_temporary(temporary: Path | None = None) -> int:
    """Remove abandoned scratch folders of ours from the temporary folder; returns how many went."""
    base = Path(temporary or tempfile.gettempdir())
    removed = 0
    try:
        entries = list(base.iterdir())
    except OSError:
        return 0
    for path in entries:
        match = _SCRATCH.match(path.name)
        if match is None or not path.is_dir() or not _abandoned(int(match["pid"]), path):
            continue
        try:
            # A save still running holds this file open; on Windows removing it fails, and the
            # folder stays whole (removing the rest first could break that save).
            (path / OWNER_FILE).unlink(missing_ok=True)
        except OSError as error:
            log.debug("Kept %s: %s", path.name, error)
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed += int(not path.exists())
    if removed:
        log.info("Removed %d temporary folder(s) left by an interrupted save.", removed)
    return removed
