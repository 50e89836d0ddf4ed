"""Temporary files beside the target, "open in Excel" detection, and the final move into place.

Every output is written to ``.<name>.partial-<computer>-<process ID>-<random>`` in the
target's own folder (so the final :func:`os.replace` never crosses drives) and moved over the
target only when complete; computer and process ID let a later run tell a killed save's
leftovers from a save still running (:mod:`app.export.leftovers`), also in a folder several
computers share. Several files (CSV) commit together or not at
all: old files are set aside first and put back if any move fails.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import platform
import secrets
from collections.abc import Sequence
from contextlib import suppress
from os import replace as _replace
from pathlib import Path

from app.errors import Cancelled, ExportError, FileInUseError
from app.models import CancelToken
from app.redact import redact

log = logging.getLogger(__name__)

__all__ = [
    "PARTIAL_MARK",
    "check_target",
    "commit_files",
    "is_disk_full",
    "is_name_too_long",
    "name_too_long",
    "owner_tag",
    "partial_path",
    "remove_quietly",
    "translate_os_error",
]

PARTIAL_MARK = ".partial-"
"""What every temporary name beside a target holds: ``.<name>.partial-<process ID>-<random>``."""
PREVIOUS_MARK = ".previous-"
"""An old file set aside while several files are moved into place together."""

_DISK_FULL = {errno.ENOSPC} | ({errno.EDQUOT} if hasattr(errno, "EDQUOT") else set())
# Windows: ERROR_FILENAME_EXCED_RANGE (206) names a path over the old 260-character limit.
_WINDOWS_NAME_TOO_LONG = 206


def computer_tag() -> str:
    """Return four hex digits naming this computer (a hash of its network name: no name is shown)."""
    return hashlib.sha256(platform.node().encode("utf-8")).hexdigest()[:4]


def owner_tag() -> str:
    """Return ``<computer>-<process ID>``: who owns a temporary file, for the leftover sweep."""
    return f"{computer_tag()}-{os.getpid()}"


def partial_path(target: Path) -> Path:
    """Return a fresh temporary name beside ``target`` (the leading dot hides it on macOS and Linux)."""
    return target.with_name(f".{target.name}{PARTIAL_MARK}{owner_tag()}-{secrets.token_hex(4)}")


def is_disk_full(error: OSError) -> bool:
    """Tell whether ``error`` means the disk (or the user's quota on it) has no room left."""
    return error.errno in _DISK_FULL


def is_name_too_long(error: OSError) -> bool:
    """Tell whether ``error`` means a file name (or the whole path) is too long for the file system."""
    return error.errno == errno.ENAMETOOLONG or getattr(error, "winerror", None) == _WINDOWS_NAME_TOO_LONG


def name_too_long(target: Path, details: str = "") -> ExportError:
    """Return the error for a name the target's file system cannot hold."""
    return ExportError(
        f'The file name "{target.name}" is too long for the folder "{target.parent}".',
        hint="Choose a shorter file name (or a folder nearer the top of the drive) and export again. "
        "Nothing was changed.",
        details=redact(details),
    )


def _lock_files(target: Path) -> tuple[Path, ...]:
    # Excel's owner file (the whole name after "~$") and LibreOffice's lock file. Word shortens
    # long names, Excel does not; checking a shortened name would blame a different workbook.
    return (target.with_name(f"~${target.name}"), target.with_name(f".~lock.{target.name}#"))


def _in_use(target: Path, details: str = "") -> FileInUseError:
    return FileInUseError(
        f'"{target.name}" is open in another program (probably Excel), so it cannot be replaced.',
        hint=(
            "Close the file in Excel (or choose another name) and export again. Nothing was changed. "
            'If Excel is already closed, delete the hidden file that starts with "~$" in the same folder.'
        ),
        details=redact(details),
    )


def check_target(target: Path) -> None:
    """Fail early, before any work, when ``target`` cannot be written.

    Raises:
        FileInUseError: an Excel or LibreOffice lock file sits beside the target.
        ExportError: the folder is missing, the target is a folder, or its name is too long.

    """
    folder = target.parent
    try:
        # (a name too long for the file system fails even these questions, with an OSError)
        if not folder.is_dir():
            raise ExportError(
                f'The folder "{folder}" does not exist.',
                hint="Choose a folder that exists (or create it) and export again.",
            )
        if target.is_dir():
            raise ExportError(
                f'"{target.name}" is a folder, not a file.',
                hint="Choose a file name for the export.",
            )
        for lock in _lock_files(target):
            if lock.exists():
                raise _in_use(target, f"lock file present: {lock.name}")
    except OSError as error:
        raise translate_os_error(error, target) from error


def translate_os_error(error: OSError, target: Path, *, temporary: Path | None = None) -> ExportError:
    """Translate an OSError from writing ``target`` into an :class:`ExportError` in plain words.

    ``temporary`` names the temporary folder when the failed write went there (a workbook's
    rows wait there until the save), so a full disk is blamed on the disk that is full.
    """
    details = redact(f"{type(error).__name__}: {error}")
    if is_disk_full(error):
        if temporary is not None:
            return ExportError(
                f'The disk holding the temporary folder "{temporary}" is full, so "{target.name}" '
                "could not be prepared.",
                hint="Free some space on that disk (emptying the Recycle Bin or Trash often helps) and "
                "export again. Nothing was changed.",
                details=details,
            )
        return ExportError(
            f'The disk holding "{target.parent}" is full: there is not enough free disk space '
            f'to save "{target.name}".',
            hint="Free some space on that disk (or choose a folder on another drive) and export again. "
            "Nothing was changed.",
            details=details,
        )
    if is_name_too_long(error):
        return name_too_long(target, details)
    if isinstance(error, FileNotFoundError):
        return ExportError(
            f'The folder "{target.parent}" does not exist (any more).',
            hint="Choose a folder that exists and export again.",
            details=details,
        )
    if isinstance(error, PermissionError) or error.errno == errno.EROFS:
        return ExportError(
            f'You do not have permission to save files in "{target.parent}".',
            hint="Choose another folder, for example your Documents folder, and export again.",
            details=details,
        )
    return ExportError(f'"{target.name}" could not be saved.', details=details)


def remove_quietly(path: Path) -> None:
    """Delete ``path`` if it exists; a failure here must not hide the error being handled."""
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        log.warning("Could not remove the temporary file %s: %s", path.name, error)


def _move(source: Path, target: Path) -> None:
    """Move ``source`` over ``target``; a refusal to replace means the target is in use."""
    try:
        _replace(source, target)  # noqa: PTH105 - tests replace _replace to simulate Windows
    except PermissionError as error:
        # On Windows, replacing a file another program holds open fails with a permission
        # error; a folder we cannot write to already failed when the temporary file was made.
        raise _in_use(target, f"{type(error).__name__}: {error}") from error
    except OSError as error:
        raise translate_os_error(error, target) from error


def commit_files(pairs: Sequence[tuple[Path, Path]], cancel: CancelToken | None = None) -> None:
    """Move each finished temporary file over its target, all together or none.

    ``pairs`` holds ``(temporary, target)``. On failure every old target is back in place,
    no temporary file is left, and the error is a :class:`FileInUseError` or :class:`ExportError`
    (or :class:`Cancelled` when ``cancel`` was set before the first move).
    """
    try:
        for _, target in pairs:
            check_target(target)
        # The last moment a cancel can still leave the old files as they were.
        if cancel is not None and cancel.cancelled:
            raise Cancelled()
    except BaseException:
        for temporary, _ in pairs:
            remove_quietly(temporary)
        raise
    if len(pairs) == 1:
        temporary, target = pairs[0]
        try:
            _move(temporary, target)
        finally:
            remove_quietly(temporary)
        return

    set_aside: list[tuple[Path, Path]] = []  # (backup, original target)
    placed: list[Path] = []
    try:
        for _, target in pairs:
            if target.exists():
                backup = target.with_name(f".{target.name}{PREVIOUS_MARK}{secrets.token_hex(4)}")
                _move(target, backup)
                set_aside.append((backup, target))
        for temporary, target in pairs:
            _move(temporary, target)
            placed.append(target)
    except BaseException:
        for target in placed:
            remove_quietly(target)
        for backup, target in set_aside:
            with suppress(OSError):
                _replace(backup, target)  # noqa: PTH105
        for temporary, _ in pairs:
            remove_quietly(temporary)
        raise
    for backup, _ in set_aside:
        remove_quietly(backup)
