"""Work around a PySide6 6.12 defect on Python 3.11.

PySide6 6.12.0 returns ``None`` from every void Qt call without taking a new reference (and
some calls do the same with ``True``/``False``). Python 3.12 and later never free these
singletons ("immortal objects"), so nothing happens there; on Python 3.11 each such call
drops one reference that was never taken, and after enough calls (a long session, a big
export, a test run) the interpreter aborts with "Fatal Python error: none_dealloc".
Measured: 3,000 ``QWidget.setHidden`` calls drop ``sys.getrefcount(None)`` by 3,000 on
6.12.0; 6.11.3 and earlier are unaffected.

The guard gives those three singletons the same protection Python 3.12 gives them: a
reference count so large that it can never reach zero. They are static objects that are
never freed anyway, so this changes nothing else.
"""

from __future__ import annotations

import ctypes
import logging
import platform
import sys

log = logging.getLogger(__name__)

_FIRST_AFFECTED = (6, 12)
_BALLAST = 1 << 40  # references added to each singleton: more than any session can drop
_guarded = False


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for part in text.split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def needs_guard(pyside_version: str, python: tuple[int, int] | None = None) -> bool:
    """Return True when this PySide6 on this Python drops references to None/True/False."""
    major_minor = python or (sys.version_info.major, sys.version_info.minor)
    if major_minor >= (3, 12) or platform.python_implementation() != "CPython":
        return False
    return _version_tuple(pyside_version)[:2] >= _FIRST_AFFECTED


def guard_singletons() -> bool:
    """Protect None, True and False from PySide6 6.12's missing references; True if applied."""
    global _guarded
    if _guarded:
        return True
    import PySide6

    if not needs_guard(PySide6.__version__):
        return False
    for singleton in (None, True, False):
        # CPython keeps the reference count in the object's first field (Py_ssize_t ob_refcnt).
        count = ctypes.c_ssize_t.from_address(id(singleton))
        count.value += _BALLAST
    _guarded = True
    log.info("Applied the PySide6 %s reference-count guard for Python 3.11.", PySide6.__version__)
    return True
