"""A folder of the running save's own in the temporary folder, for rows that wait for the save.

openpyxl's write-only workbook streams each sheet into a temporary file until the save. Left
to itself it names them ``openpyxl.*`` in the temporary folder (a name any program could use,
so a later run could not tell ours from another's); we give them a folder of ours instead,
``dear-export-<process ID>-<random>``, created readable by the user only, and removed when the
save ends. :mod:`app.export.leftovers` removes the folder a killed run left behind.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import IO

from app.export.leftovers import OWNER_FILE, SCRATCH_PREFIX

log = logging.getLogger(__name__)

__all__ = ["ScratchFolder"]


class ScratchFolder:
    """A save's own folder in the temporary folder; :meth:`remove` it when the save ends.

    A folder never removed (a writer dropped without commit or discard) goes when the object
    is collected or, at the latest, when Python exits.
    """

    def __init__(self) -> None:
        # mkdtemp and mkstemp create folder and files for the user only (0700 / 0600).
        self.path = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=self.base()))
        try:
            flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
            owner = os.fdopen(os.open(self.path / OWNER_FILE, flags, 0o600), "wb")
        except OSError:
            shutil.rmtree(self.path, ignore_errors=True)
            raise
        self._remove = weakref.finalize(self, _remove, self.path, owner)

    @staticmethod
    def base() -> Path:
        """Return the system's temporary folder, where scratch folders go (named when its disk is full)."""
        return Path(tempfile.gettempdir())

    def new_file(self, suffix: str = "") -> Path:
        """Create an empty file of this save's own (readable by the user only) and return its path."""
        descriptor, name = tempfile.mkstemp(suffix=suffix, dir=self.path)
        os.close(descriptor)
        return Path(name)

    def remove(self) -> None:
        """Delete the folder and everything in it (safe to call twice; never raises)."""
        self._remove()


def _remove(path: Path, owner: IO[bytes]) -> None:
    # (a function of its own: the finalizer must not hold the folder object alive)
    try:
        owner.close()  # first: Windows refuses to delete a file that is open
    except OSError as error:
        log.debug("Could not close %s: %s", OWNER_FILE, error)
    shutil.rmtree(path, ignore_errors=True)
