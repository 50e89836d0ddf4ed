"""The mouse wheel scrolls the page; it changes a value only in the field the user clicked into.

Qt's combo boxes, date and number fields take a wheel turn as a new value even when the pointer
merely passes over them: scrolling through a form silently changed "Order status" from Any to
another status. One :class:`WheelGuard` watches every field and tab bar (see :func:`guard_fields`
for how new ones are found, and why it is not an application-wide filter):

- every field is made ``StrongFocus``, so a wheel turn never gives it focus;
- a wheel event over such a field that does not have focus goes to the scroll area around it
  instead (the page scrolls on, as the user meant), or is dropped when there is none;
- a wheel turn over a tab bar (the window's tabs, the report tabs in "More options") never
  switches tabs: Qt's default switches, and a scroll that strayed onto the tabs swapped the page
  under the user. Focus is no sign of intent there (a dialog gives its tab bar the first focus);
  tabs change by a click, Ctrl+Tab or the arrow keys, as in most Windows and macOS programs.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Slot
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
    """Event filter on each guarded field and tab bar: unfocused fields pass the wheel to their page.

    It is installed on those widgets only, never on the application: an application-wide Python
    filter runs for every event of every widget, and each call must take the interpreter's lock
    from a busy worker, which made the window stall during long exports (tests/ui/test_ui_latency.py,
    docs/performance.md). Fields are found by :func:`guard_fields`: when the window is built, when a
    report's tab is built, and whenever the keyboard focus moves into a window (a dialog opening).
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Redirect wheel turns over fields without focus; never let the wheel switch tabs."""
        if event.type() != QEvent.Type.Wheel:
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

    @Slot(QWidget, QWidget)
    def sweep_focused_window(self, _old: QWidget | None, now: QWidget | None) -> None:
        """Guard the fields of the window the focus moved into (a dialog just opened, say)."""
        if now is not None:
            guard_fields(now.window())


_GUARD_NAME = "dear-export-wheel-guard"
_GUARDED_MARK = "dearExportWheelGuarded"


def _installed_guard() -> WheelGuard | None:
    app = QApplication.instance()
    return app.findChild(WheelGuard, _GUARD_NAME) if app is not None else None


def is_guarded(widget: QWidget) -> bool:
    """Return True when the guard watches ``widget``."""
    return bool(widget.property(_GUARDED_MARK))


def guard_fields(root: QWidget) -> None:
    """Watch every field and tab bar in ``root`` (itself included) not watched yet.

    Fields become ``StrongFocus`` (a wheel turn never gives them focus); a field's own parts (a spin
    box's text) are watched too, since the wheel reaches them first. Does nothing before
    :func:`install_wheel_guard`.
    """
    guard = _installed_guard()
    if guard is None:
        return
    for widget in (root, *root.findChildren(QWidget)):
        if is_guarded(widget):
            continue
        if isinstance(widget, GUARDED):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif not isinstance(widget, QTabBar) and guarded_field(widget) is None:
            continue
        widget.installEventFilter(guard)
        widget.setProperty(_GUARDED_MARK, True)


def install_wheel_guard(app: QCoreApplication | None = None) -> WheelGuard | None:
    """Create the guard once (later calls return the same guard) and guard every window there is."""
    target = app or QApplication.instance()
    if not isinstance(target, QApplication):
        return None
    existing = target.findChild(WheelGuard, _GUARD_NAME)
    if existing is not None:
        return existing
    guard = WheelGuard(target)
    guard.setObjectName(_GUARD_NAME)
    target.focusChanged.connect(guard.sweep_focused_window)
    for window in QApplication.topLevelWidgets():
        guard_fields(window)
    return guard
