"""The desktop window (PySide6): widgets, dialogs and the worker adapter."""
