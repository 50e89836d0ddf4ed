"""Where an export goes: the file format, the suggested or typed path, and "Browse…"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QFileDialog, QLineEdit, QPushButton, QWidget

from app.models import OutputFormat
from app.paths import nearest_existing_folder
from app.services.settings import Settings
from app.ui.naming import with_format


class OutputTarget(QObject):
    """The file an export writes, chosen with ``format_combo``, ``path_edit`` and ``browse_button``.

    The widgets belong to the page that lays them out; this object keeps the rule: until the user
    types or browses to a path, the path follows the suggested name (:meth:`suggest`) in the
    output folder (a preset's, or the one in the settings); a typed path keeps its folder and name
    and only follows the format's extension.
    """

    def __init__(self, settings: Settings, page: QWidget) -> None:
        super().__init__(page)
        self._settings = settings
        self._stem = ""
        self._user_set = False
        self._folder_override: Path | None = None
        self.format_combo = QComboBox(page)
        self.format_combo.addItem("Excel workbook (.xlsx)", OutputFormat.XLSX.value)
        self.format_combo.addItem("CSV files (.csv)", OutputFormat.CSV.value)
        self.format_combo.setAccessibleName("File format")
        self.path_edit = QLineEdit(page)
        self.path_edit.setAccessibleName("Save to")
        self.browse_button = QPushButton("&Browse…", page)
        self.into_button = QPushButton("Add to an existing &workbook…", page)
        self.into_button.setToolTip(
            "Write the reports into a workbook you keep; your own sheets stay as they are."
        )
        # Shown only while writing into a workbook: dated rows added at each run (a stock history).
        self.snapshot_box = QCheckBox("Keep each run as a dated s&napshot", page)
        self.snapshot_box.setToolTip(
            "Add each run's rows below the earlier runs' with the day's date in a first column, "
            "instead of replacing them. Running again on the same day replaces that day's rows."
        )
        self.snapshot_box.setHidden(True)
        self._into = False
        self.into_button.clicked.connect(self._on_into_button_clicked)
        self.format_combo.currentIndexChanged.connect(self._on_format_combo_changed)
        self.path_edit.textEdited.connect(self._on_path_edit_text_edited)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)

    @property
    def into(self) -> bool:
        """True when the export goes into the existing workbook shown (chosen with ``into_button``)."""
        return self._into

    @into.setter
    def into(self, value: bool) -> None:
        self._into = value
        self.snapshot_box.setHidden(not value)
        if not value:
            self.snapshot_box.setChecked(False)

    @property
    def snapshot(self) -> bool:
        """True when the export adds today's dated rows to the workbook instead of replacing them."""
        return self._into and self.snapshot_box.isChecked()

    def output_format(self) -> OutputFormat:
        """Return the chosen file format."""
        return OutputFormat(self.format_combo.currentData())

    def set_format(self, value: str) -> None:
        """Choose a format by its value ("xlsx", "csv"); unknown values choose the first."""
        self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(value)))

    def folder(self) -> Path:
        """Return the folder the export goes to (the typed path's, a preset's, or the remembered one)."""
        return self.chosen_folder() or self._folder_override or self._settings.output_folder

    def chosen_folder(self) -> Path | None:
        """Return the folder of a path the user typed or browsed to (None: the suggestion stands)."""
        text = self.path_edit.text().strip()
        return Path(text).expanduser().parent if self._user_set and text else None

    def suggested_path(self) -> Path:
        """Return the suggested file: the suggested name in the output folder."""
        return self.folder() / f"{self._stem}.{self.output_format().value}"

    def path(self) -> Path:
        """Return the file the export will write (the right extension for the format)."""
        text = self.path_edit.text().strip()
        if self.into and text:
            return Path(text).expanduser()  # the user's own workbook, .xlsm included
        path = Path(text).expanduser() if text else self.suggested_path()
        return with_format(path, self.output_format())

    def browse_start(self) -> Path:
        """Return where "Browse…" opens: the target file in its folder, or in the nearest folder that exists.

        A file dialog given a folder that does not exist (yet) opens somewhere unrelated, often
        the program's own folder.
        """
        target = self.path()
        return nearest_existing_folder(target.parent) / target.name

    def suggest(self, stem: str) -> None:
        """Take a new suggested name (reports and dates changed) and show the path."""
        self._stem = stem
        self._show()

    def follow_preset(self, folder: str) -> None:
        """Drop a typed path and use a preset's folder ("" for the remembered one)."""
        self._user_set = self.into = False
        self._folder_override = Path(folder).expanduser() if folder else None
        self._show()

    def set_enabled(self, enabled: bool) -> None:
        """Allow or lock the choice (locked while an export runs)."""
        for widget in (
            self.format_combo,
            self.path_edit,
            self.browse_button,
            self.into_button,
            self.snapshot_box,
        ):
            widget.setEnabled(enabled)

    def _show(self) -> None:
        text = self.path_edit.text().strip()
        if self._user_set and text:
            self.path_edit.setText(str(with_format(Path(text), self.output_format())))
        else:
            self.path_edit.setText(str(self.suggested_path()))

    @Slot(int)
    def _on_format_combo_changed(self, _index: int) -> None:
        self._show()

    @Slot(str)
    def _on_path_edit_text_edited(self, text: str) -> None:
        self._user_set = bool(text.strip())
        self.into = False

    @Slot()
    def _on_browse_button_clicked(self) -> None:
        xlsx = self.output_format() is OutputFormat.XLSX
        filters = "Excel workbook (*.xlsx)" if xlsx else "CSV file (*.csv)"
        parent = self.browse_button.window()
        path, _ = QFileDialog.getSaveFileName(parent, "Save the export as", str(self.browse_start()), filters)
        if path:
            self.path_edit.setText(str(with_format(Path(path), self.output_format())))
            self._user_set = True
            self.into = False

    @Slot()
    def _on_into_button_clicked(self) -> None:
        parent = self.into_button.window()
        kinds = "Excel workbooks (*.xlsx *.xlsm)"
        path, _ = QFileDialog.getOpenFileName(
            parent, "Add to an existing workbook", str(self.folder()), kinds
        )
        if path:
            self.use_workbook(Path(path))

    def use_workbook(self, path: Path, *, snapshot: bool | None = None) -> None:
        """Write into the existing workbook ``path`` (chosen, or a preset's, with its snapshot choice)."""
        self.set_format(OutputFormat.XLSX.value)
        self.path_edit.setText(str(path))
        self._user_set = self.into = True
        if snapshot is not None:
            self.snapshot_box.setChecked(snapshot)
