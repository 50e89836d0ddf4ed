"""The guard against PySide6 6.12's missing references to None/True/False on Python 3.11."""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtWidgets import QWidget

from app.ui.qt_compat import guard_singletons, needs_guard


def test_only_pyside_612_and_later_on_python_311_need_the_guard() -> None:
    assert needs_guard("6.12.0", (3, 11))
    assert needs_guard("6.13.1", (3, 11))
    assert not needs_guard("6.11.3", (3, 11))
    assert not needs_guard("6.9.3", (3, 11))
    assert not needs_guard("6.12.0", (3, 12))


def test_many_void_qt_calls_leave_none_alive(qtbot) -> None:
    applied = guard_singletons()
    assert applied == needs_guard(PySide6.__version__)
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(20_000):
        widget.setHidden(True)
    lost = before - sys.getrefcount(None)
    # Without the guard this loop would cost 20,000 references to None on an affected PySide6.
    if applied:
        assert sys.getrefcount(None) > 1 << 39
    else:
        assert lost < 100
