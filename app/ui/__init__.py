"""The desktop window (PySide6): widgets, dialogs and the worker adapter.

Importing this package first protects Python 3.11 from a PySide6 6.12 reference-count
defect (see :mod:`app.ui.qt_compat`).
"""

from app.ui.qt_compat import guard_singletons

guard_singletons()
