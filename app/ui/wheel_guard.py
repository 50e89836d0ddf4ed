"""The mouse wheel scrolls the page; it changes a value only in the field the user clicked into.

Qt's combo boxes, date and number fields take a wheel turn as a new value even when the pointer
merely passes over them: scrolling through a form silently changed "Order status" from Any to
another status. :class:`WheelGuard` is one application-wide event filter, so every field made now
or later (the report's filters included) is covered without each form having to remember:

- when a field is polished (shown for the first time) its focus policy becomes ``StrongFocus``,
  so a wheel turn never gives it focus;
- a wheel event over such a field that does not have focus goes to the scroll area around it
  instead (the page scrolls on, as the user meant), or is dropped when there is none;
- a wheel turn over a tab bar (the window's tabs, the report tabs in "More options") never
  switches tabs: Qt's default switches, and a scroll that strayed onto the tabs swapped the page
  under the user. Focus is no sign of intent there (a dialog gives its tab bar the first focus);
  tabs change by a click, Ctrl+Tab or the arrow keys, as in most Windows and macOS programs.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QTabBar,
    QWidget,
)

GUARDED = (QComboBox, QAbstractSpinBox)
"""Fields whose value a wheel turn changes (QAbstractSpinBox covers date, time and number fields)."""


def guarded_field(widget: QObject) -> QWidget | None:
    """Return the field a wheel event on ``widget`` would change (the widget or its field), or None."""
    current = widget if isinstance(widget, QWidget) else None
    # A field's own parts (a spin box's line edit) pass the wheel to the field itself.
    for _ in range(3):
        if current is None:
            return None
        if isinstance(current, GUARDED):
            return current
        if current.isWindow():
            return None
        current = current.parentWidget()
    return None


def scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    """Return the nearest scroll area that holds ``widget`` (None when it is not in one)."""
    current = widget.parentWidget()
    while current is not None:
        if isinstance(current, QAbstractScrollArea):
            return current
        if current.isWindow():
            return None
        current = current.parentWidget()
    return None


def has_focus(field: QWidget) -> bool:
    """Return True when the field, or a part of it (an editable box's text), has the keyboard focus."""
    focused = QApplication.focusWidget()
    return focused is not None and (focused is field or field.isAncestorOf(focused))


class WheelGuard(QObject):
    """Application-wide event filter: unfocused fields ignore the wheel and pass it to their page."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Make fields StrongFocus when polished; redirect wheel turns over fields without focus."""
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, GUARDED):
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            return False
        if kind != QEvent.Type.Wheel:
            return False
        if isinstance(watched, QTabBar):
            return True  # the tabs stay as they are; there is nothing else to scroll
        field = guarded_field(watched)
        if field is None or has_focus(field):
            return False
        area = scroll_area_around(field)
        if area is not None:
            # The scroll area scrolls by the wheel's angle, wherever the pointer is inside it.
            QCoreApplication.sendEvent(area.viewport(), event)
        return True


_GUARD_NAME = "dear-export-wheel-guard"


def install_wheel_guard(app: QCoreApplication | None = None) -> WheelGuard | None:
    """Install the guard on the application once (later calls return the same guard)."""
    target = app or QApplication.instance()
    if target is None:
        return None
    existing = target.findChild(WheelGuard, _GUARD_NAME)
    if existing is not None:
        return existing
    guard = WheelGuard(target)
    guard.setObjectName(_GUARD_NAME)
    target.installEventFilter(guard)
    # Fields made before the guard was installed were polished already.
    for widget in QApplication.allWidgets():
        if isinstance(widget, GUARDED):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return guard
