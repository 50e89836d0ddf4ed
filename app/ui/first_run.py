"""The first-run welcome: where the Account ID and key come from, or try the app on demo data."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import APP_NAME

GUIDE = f"""
<h2>Welcome to {APP_NAME}</h2>
<p>{APP_NAME} copies data out of DEAR Inventory (Cin7 Core) into Excel. It needs an
<b>Account ID</b> and an <b>Application Key</b> from your DEAR account. Here is where they are:</p>
<ol>
<li>Sign in to DEAR in your web browser.</li>
<li>Open <b>Integrations</b> (in the main menu), then the <b>API</b> tile.</li>
<li>Press <b>+</b> to add an API application (call it “{APP_NAME}”), or open one you already have.</li>
<li>Copy the <b>Account ID</b> and the <b>Key</b> shown there; you will paste them in the next step.</li>
</ol>
<p>The key works like a password: {APP_NAME} keeps it in your computer's own safe password
storage, never in a file. If you only want to look around first, try the built-in demo company.</p>
"""


class FirstRunDialog(QDialog):
    """Welcome with a short guide; the user adds a connection, tries the demo, or leaves it for later.

    Signals:
        add_requested(): the user wants to add their DEAR connection now.
        demo_requested(): the user wants to try the demo company.
    """

    add_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        guide = QLabel(GUIDE, self)
        guide.setTextFormat(Qt.TextFormat.RichText)
        guide.setWordWrap(True)
        self.add_button = QPushButton("&Add my DEAR connection…", self)
        self.add_button.setDefault(True)
        self.demo_button = QPushButton("Try with &demo data", self)
        self.later_button = QPushButton("&Later", self)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.demo_button)
        row.addStretch(1)
        row.addWidget(self.later_button)
        layout = QVBoxLayout(self)
        layout.addWidget(guide)
        layout.addLayout(row)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.demo_button.clicked.connect(self._on_demo_button_clicked)
        self.later_button.clicked.connect(self.reject)

    @Slot()
    def _on_add_button_clicked(self) -> None:
        self.accept()
        self.add_requested.emit()

    @Slot()
    def _on_demo_button_clicked(self) -> None:
        self.accept()
        self.demo_requested.emit()
