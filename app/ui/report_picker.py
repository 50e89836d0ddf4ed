"""The report picker: the catalogue grouped and searchable, several reports can be ticked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.catalogue.synonyms import matches, suggestions
from app.models import EndpointSpec, Group

KEY_ROLE = Qt.ItemDataRole.UserRole
HINT = "Tick the reports you want. Hover over one to see what it holds."


def no_match_text(query: str, specs: Sequence[EndpointSpec]) -> str:
    """Say that a search found nothing, and what to try instead."""
    tries = [f"“{text}”" for text in suggestions(specs)]
    tip = ", ".join(tries[:-1]) + f" or {tries[-1]}" if len(tries) > 1 else "".join(tries)
    text = f"No report matches “{query.strip()}”."
    return f"{text} Try {tip}, or fewer words." if tip else f"{text} Try fewer words."


SHORT_NAME_CHARS = 30
"""Longer report names lose their trailing "(...)" in the tree, so the tree reads cleanly at 900 px."""


def tree_name(spec: EndpointSpec) -> str:
    """Return the report's name as the tree shows it: without a long name's trailing "(...)"."""
    name = spec.label
    if len(name) > SHORT_NAME_CHARS and name.endswith(")") and " (" in name:
        return name[: name.rindex(" (")]
    return name


def tooltip_for(spec: EndpointSpec) -> str:
    """Return the report's description, with its full name when the tree shortens it, and line reports."""
    text = spec.description
    if tree_name(spec) != spec.label:
        text = f"{spec.label}: {text}"
    return f"{text} One row per line." if spec.is_line_report else text


def grouped(specs: Iterable[EndpointSpec]) -> list[tuple[Group, list[EndpointSpec]]]:
    """Specs by group in display order; line-level reports first within each group, then by label."""
    by_group: dict[Group, list[EndpointSpec]] = {}
    for spec in specs:
        by_group.setdefault(spec.group, []).append(spec)
    order = list(Group)
    result = []
    for group in sorted(by_group, key=lambda g: order.index(g) if g in order else len(order)):
        # Line reports first (what most people want), otherwise in the catalogue's own order.
        members = sorted(by_group[group], key=lambda s: not s.is_line_report)
        result.append((group, members))
    return result


class ReportPicker(QWidget):
    """A searchable, grouped tree of reports with tick boxes.

    Signals:
        selection_changed(): the set or order of ticked reports changed.
    """

    selection_changed = Signal()

    def __init__(self, specs: Sequence[EndpointSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._specs = {spec.key: spec for spec in specs}
        self._items: dict[str, QTreeWidgetItem] = {}
        self._ticked: list[str] = []  # in the order the user ticked them

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search reports")  # short: it shows whole at any width
        self.search.setToolTip("Search reports by any words, for example “sale lines” or “stock”")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search reports")
        label = QLabel("&Reports:", self)
        label.setBuddy(self.search)

        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(1)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Reports")
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setMouseTracking(True)
        # The highlighted (or hovered) report's one-line description, wrapped at any width.
        self.description = QLabel(HINT, self)
        self.description.setWordWrap(True)
        self.description.setMinimumHeight(self.description.fontMetrics().lineSpacing() * 3)
        self.description.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._populate()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.description)

        self.search.textChanged.connect(self._on_search_text_changed)
        self.tree.itemChanged.connect(self._on_tree_item_changed)
        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)
        self.tree.itemEntered.connect(self._on_tree_item_entered)

    def _populate(self) -> None:
        self.tree.blockSignals(True)
        for group, members in grouped(self._specs.values()):
            parent = QTreeWidgetItem(self.tree, [group.value])
            parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = parent.font(0)
            font.setBold(True)
            parent.setFont(0, font)
            for spec in members:
                # The name alone, so it fits the tree at 900 px; "one row per line" is in the
                # tooltip and in the description under the tree.
                item = QTreeWidgetItem(parent, [tree_name(spec)])
                item.setData(0, KEY_ROLE, spec.key)
                item.setToolTip(0, tooltip_for(spec))
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
                )
                item.setCheckState(0, Qt.CheckState.Unchecked)
                self._items[spec.key] = item
        self.tree.expandAll()
        self.tree.blockSignals(False)

    # ------------------------------------------------------------------ public

    def selected_keys(self) -> list[str]:
        """Keys of the ticked reports, in the order they were ticked."""
        return list(self._ticked)

    def selected_specs(self) -> list[EndpointSpec]:
        """Return the ticked reports' specs, in the order they were ticked."""
        return [self._specs[key] for key in self._ticked]

    def set_selected(self, keys: Iterable[str]) -> None:
        """Tick exactly these reports (unknown keys are ignored)."""
        wanted = [key for key in dict.fromkeys(keys) if key in self._items]
        self.tree.blockSignals(True)
        for key, item in self._items.items():
            item.setCheckState(0, Qt.CheckState.Checked if key in wanted else Qt.CheckState.Unchecked)
        self.tree.blockSignals(False)
        if wanted != self._ticked:
            self._ticked = wanted
            self.selection_changed.emit()

    def item_for(self, key: str) -> QTreeWidgetItem:
        """Return the tree item of one report (tests and keyboard focus use it)."""
        return self._items[key]

    def visible_keys(self) -> list[str]:
        """Return reports not hidden by the search."""
        return [key for key, item in self._items.items() if not item.isHidden()]

    # ------------------------------------------------------------------ slots

    @Slot(str)
    def _on_search_text_changed(self, text: str) -> None:
        shown_total = 0
        for index in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(index)
            if parent is None:
                continue
            shown = 0
            for child_index in range(parent.childCount()):
                item = parent.child(child_index)
                if item is None:
                    continue
                match = matches(text, self._specs[item.data(0, KEY_ROLE)])
                item.setHidden(not match)
                shown += match
            parent.setHidden(shown == 0)
            shown_total += shown
        if shown_total == 0:
            self.description.setText(escape(no_match_text(text, list(self._specs.values()))))
        elif self.description.text().startswith("No report matches"):
            self.description.setText(HINT)

    def describe(self, item: QTreeWidgetItem | None) -> None:
        """Show the description of the report ``item`` stands for (group rows keep the text)."""
        key = item.data(0, KEY_ROLE) if item is not None else None
        if key:
            spec = self._specs[key]
            more = " One row per line." if spec.is_line_report else ""
            self.description.setText(f"<b>{escape(spec.label)}</b>: {escape(spec.description)}{more}")

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_tree_current_item_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        self.describe(current)

    @Slot(QTreeWidgetItem, int)
    def _on_tree_item_entered(self, item: QTreeWidgetItem, _column: int) -> None:
        self.describe(item)

    @Slot(QTreeWidgetItem, int)
    def _on_tree_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        key = item.data(0, KEY_ROLE)
        if not key or column != 0:
            return
        checked = item.checkState(0) == Qt.CheckState.Checked
        if checked and key not in self._ticked:
            self._ticked.append(key)
        elif not checked and key in self._ticked:
            self._ticked.remove(key)
        else:
            return
        self.selection_changed.emit()
