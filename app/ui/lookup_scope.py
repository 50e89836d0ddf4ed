"""The Look up tab's "In:" choice: this company, or all saved companies at once.

A SKU's stock in every company is a question, not an export: the choice sits beside the search
box and is the look-up's own, rather than the export's ticks in the company bar. It shows only
when there are several companies to search (never with the demo company).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from app.models import Connection

ALL_COMPANIES = "all"


class CompanyChoice(Protocol):
    """Where "all companies" comes from (the window's company bar)."""

    def every_company_name(self) -> list[str]:
        """Return the chosen company, then every other one that can be searched with it."""
        ...

    def every_company(self) -> tuple[Connection, ...] | None:
        """Return those companies with their keys (read on the GUI thread); None after saying why."""
        ...


class CompanyScope(QObject):
    """The "In:" label and combo box, and the companies they choose."""

    def __init__(self, companies: CompanyChoice | None, parent: QWidget) -> None:
        super().__init__(parent)
        self._companies = companies
        self.combo = QComboBox(parent)
        self.combo.setAccessibleName("Look up in")
        self.combo.addItem("this company", "")
        self.combo.addItem("all companies", ALL_COMPANIES)
        self.label = QLabel("I&n:", parent)
        self.label.setBuddy(self.combo)
        self.show_choice()

    @Slot()
    @Slot(str)
    def show_choice(self, _chosen: str = "") -> None:
        """Offer "all companies" only when there are several (call whenever the companies change)."""
        count = len(self._companies.every_company_name()) if self._companies is not None else 0
        self.combo.setItemText(1, f"all {count} companies" if count > 1 else "all companies")
        self.label.setVisible(count > 1)
        self.combo.setVisible(count > 1)

    def choose_every_company(self, every: bool = True) -> None:
        """Choose "all companies" (or this company) for the next search."""
        self.combo.setCurrentIndex(1 if every else 0)

    def connections(self, this_company: Callable[[], Connection | None]) -> tuple[Connection, ...] | None:
        """Return the companies to search, keys read now (GUI thread); None when there is none."""
        if (
            self._companies is not None
            and not self.combo.isHidden()
            and self.combo.currentData() == ALL_COMPANIES
        ):
            return self._companies.every_company()
        connection = this_company()
        return None if connection is None else (connection,)
