"""Before any request, check that the export can be saved where the user asked.

:func:`preflight_target` creates a missing folder, refuses names too long for the folder's
file system (the target's and every temporary or companion name the save will use beside
it), and creates and removes a small probe file with the longest of those names, so a
folder that cannot be written, or a disk that is already full, is found before an hour of
fetching instead of after it.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from app.errors import ExportError
from app.export.atomic import (
    PARTIAL_MARK,
    PREVIOUS_MARK,
    check_target,
    is_disk_full,
    is_name_too_long,
    name_too_long,
    owner_tag,
    partial_path,
    translate_os_error,
)
from app.export.sheetnames import MAX_SHEET_NAME
from app.models import OutputFormat
from app.redact import redact

log = logging.getLogger(__name__)

__all__ = ["check_writable", "create_folder", "longest_names", "preflight_target"]

MAX_NAME_UNITS = 255
"""The longest name NTFS, APFS, HFS+ and ext4 accept (UTF-16 units, characters or bytes)."""
WINDOWS_MAX_PATH = 260
"""Windows' classic limit on a whole path; longer paths fail unless long paths are enabled."""
_RANDOM_PART = "0" * 8  # as long as the random part of a real temporary name
_PROBE_TEXT = b"DEAR Export checks that it can save here; this file is removed at once.\n"


def preflight_target(path: Path, fmt: OutputFormat) -> None:
    """Check, before any request, that an export can be saved at ``path``.

    Creates the folder if it is missing. Raises ExportError (exit status 5) when the
    folder cannot be created or written, when a name is too long for it, or when its disk
    is already full; FileInUseError when the target is open in Excel.
    """
    create_folder(path)
    check_writable(path, fmt)


def create_folder(path: Path) -> None:
    """Create the folder ``path`` is to be saved in, if it is missing (ExportError when it cannot be)."""
    path = Path(path)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        if is_disk_full(error) or is_name_too_long(error):
            raise translate_os_error(error, path) from error
        raise ExportError(
            f'The folder "{folder}" does not exist and could not be created.',
            hint="Choose a folder that exists (or one you may create) and export again.",
            details=redact(f"{type(error).__name__}: {error}"),
        ) from error


def longest_names(target: Path, fmt: OutputFormat) -> list[str]:
    """Every kind of name a save of ``target`` may create in its folder, longest possible shape."""
    names = [target.name, partial_path(target).name]
    if fmt is OutputFormat.CSV:
        # Several sheets become "<stem> - <sheet>.csv" files (sheet names: up to 31 characters),
        # and each old file is set aside under a hidden name while the new ones move in.
        sibling = f"{target.stem} - {'x' * MAX_SHEET_NAME}{target.suffix or '.csv'}"
        names += [sibling, f".{sibling}{PREVIOUS_MARK}{_RANDOM_PART}"]
    return names


def check_writable(path: Path, fmt: OutputFormat) -> None:
    """Check an existing folder: the target's lock files, name lengths, and a probe file.

    Raises ExportError or FileInUseError as :func:`preflight_target` does (without creating
    the folder).
    """
    path = Path(path)
    check_target(path)
    names = longest_names(path, fmt)
    longest = max(names, key=_units)
    if _units(longest) > MAX_NAME_UNITS:
        raise name_too_long(path, f"longest name needed: {_units(longest)} characters")
    _probe(path, longest)


def _units(name: str) -> int:
    # UTF-16 units: what NTFS counts; APFS and ext4 count characters or bytes, never fewer.
    return len(name.encode("utf-16-le")) // 2


def _probe(target: Path, longest: str) -> None:
    """Create, write and remove a small file named like our temporary files, as long as the longest."""
    base = f".{target.name}{PARTIAL_MARK}{owner_tag()}-probe"
    padding = max(0, len(longest.encode("utf-8")) - len(base.encode("utf-8")))
    probe = target.with_name(base + "0" * padding)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(probe, flags, 0o600)
        try:
            os.write(descriptor, _PROBE_TEXT)
        finally:
            os.close(descriptor)
    except FileExistsError:
        pass  # a probe of this process left behind: the folder did take it, so it is writable
    except OSError as error:
        with contextlib.suppress(OSError):
            probe.unlink(missing_ok=True)
        if _too_long_on_windows(error, probe):
            raise name_too_long(target, f"{type(error).__name__}: {error}") from error
        raise translate_os_error(error, target) from error
    try:
        probe.unlink()
    except OSError as error:  # a scanner holding it for a moment; the next save removes it
        log.warning("Could not remove the check file %s: %s", probe.name, error)


def _too_long_on_windows(error: OSError, probe: Path) -> bool:
    # Windows without long-path support says "path not found" for a path over its old limit.
    return (
        os.name == "nt"
        and isinstance(error, FileNotFoundError)
        and len(str(probe)) >= WINDOWS_MAX_PATH
        and probe.parent.is_dir()
    )
