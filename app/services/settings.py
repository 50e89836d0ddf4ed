"""Typed settings in a JSON file in the user config folder (no Qt, so the CLI and schedulers share them).

Each setting is declared once as a :class:`Setting` (key, default, JSON type); modules that own a
setting may declare their own beside the ones below. Values the app does not know are kept as they
are. A damaged file is moved aside and defaults are used. Every write is atomic and re-reads the
file first, so a window and a scheduled run changing different settings do not undo each other.

Never store a secret here: the Application Key lives only in the OS keyring.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from app.errors import AppError
from app.paths import documents_dir

log = logging.getLogger(__name__)

T = TypeVar("T")

SETTINGS_FILE = "settings.json"
SETTINGS_VERSION = 1
_VERSION_KEY = "version"
_REPLACE_ATTEMPTS = 5  # Windows: antivirus or an indexer can hold the file for a moment


class SettingsError(AppError):
    """The settings file could not be saved."""

    default_hint = "Check that your user profile folder is not full or read-only, then try again."


@dataclass(frozen=True, eq=False)
class Setting(Generic[T]):
    """One declared setting: its key in the file, its default and the JSON type its value must have.

    Settings compare and hash by key, so they can be used as dict keys (``set_many``).
    """

    key: str
    default: T
    kind: type

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Setting) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def accepts(self, value: object) -> bool:
        """Tell whether ``value`` has this setting's JSON type (a bool is not taken for a number)."""
        if self.kind is bool:
            return isinstance(value, bool)
        if self.kind in (int, float):
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        return isinstance(value, self.kind)


CONNECTIONS: Setting[list[dict[str, Any]]] = Setting("connections", [], list)
"""Saved connections' non-secret fields (managed by ``ConnectionStore``, never edited by hand)."""
LAST_CONNECTION: Setting[str] = Setting("last_connection", "", str)
WINDOW_GEOMETRY: Setting[str] = Setting("window_geometry", "", str)
"""The window's geometry as the base64 text the UI gives (``QByteArray.toBase64``)."""
WINDOW_STATE: Setting[str] = Setting("window_state", "", str)
LAST_REPORTS: Setting[list[str]] = Setting("last_reports", [], list)
LAST_FILTERS: Setting[dict[str, dict[str, str]]] = Setting("last_filters", {}, dict)
"""Report key -> {DEAR filter name: value}."""
LAST_COLUMNS: Setting[dict[str, list[str]]] = Setting("last_columns", {}, dict)
"""Report key -> chosen column fields, in order."""
LAST_DATE_RANGE: Setting[str] = Setting("last_date_range", "", str)
"""A date range spec as ``app.dates.resolve`` reads it ("last-month", "2026-01-01..")."""
OUTPUT_FOLDER: Setting[str] = Setting("output_folder", "", str)
"""Where exports go; empty means the user's Documents folder."""
OUTPUT_FORMAT: Setting[str] = Setting("output_format", "xlsx", str)
FIRST_RUN_DONE: Setting[bool] = Setting("first_run_done", False, bool)

DECLARED: tuple[Setting[Any], ...] = (
    CONNECTIONS,
    LAST_CONNECTION,
    WINDOW_GEOMETRY,
    WINDOW_STATE,
    LAST_REPORTS,
    LAST_FILTERS,
    LAST_COLUMNS,
    LAST_DATE_RANGE,
    OUTPUT_FOLDER,
    OUTPUT_FORMAT,
    FIRST_RUN_DONE,
)


class Settings:
    """The settings file, read once and written on every change.

    Safe to share between threads of one process (a lock guards it). The app's own file is
    ``settings.json`` in the user's config folder (``app.wiring`` passes it).
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.RLock()
        self._data: dict[str, Any] = self._read()

    @property
    def path(self) -> Path:
        """The JSON file these settings live in."""
        return self._path

    # ------------------------------------------------------------------ typed access

    def get(self, setting: Setting[T]) -> T:
        """Return the stored value, or a fresh copy of the default when unset or of the wrong type."""
        with self._lock:
            if setting.key not in self._data:
                return copy.deepcopy(setting.default)
            value = self._data[setting.key]
            if not setting.accepts(value):
                log.warning(
                    "Setting '%s' in %s is not a %s; using its default.",
                    setting.key,
                    self._path.name,
                    setting.kind.__name__,
                )
                return copy.deepcopy(setting.default)
            return cast(T, copy.deepcopy(value))

    def set(self, setting: Setting[T], value: T) -> None:
        """Store one value and save the file."""
        self.set_many({setting: value})

    def set_many(self, values: Mapping[Setting[Any], Any]) -> None:
        """Store several values with one write."""
        for setting, value in values.items():
            if not setting.accepts(value):
                raise TypeError(f"Setting '{setting.key}' takes a {setting.kind.__name__}, not {value!r}.")
            _check_json(setting.key, value)
        self._write_changes({s.key: copy.deepcopy(v) for s, v in values.items()}, removed=())

    def reset(self, *settings: Setting[Any]) -> None:
        """Forget these values so that their defaults apply again."""
        self._write_changes({}, removed=[s.key for s in settings])

    def reload(self) -> None:
        """Read the file again (for example after another process changed it)."""
        with self._lock:
            self._data = self._read()

    def raw(self) -> dict[str, Any]:
        """Return a copy of everything in the file, including keys this version does not know."""
        with self._lock:
            return copy.deepcopy(self._data)

    # ------------------------------------------------------------------ conveniences for the window

    @property
    def last_connection(self) -> str:
        """Name of the connection chosen last ("" if none)."""
        return self.get(LAST_CONNECTION)

    @last_connection.setter
    def last_connection(self, value: str) -> None:
        self.set(LAST_CONNECTION, value)

    @property
    def window_geometry(self) -> str:
        """The window geometry as base64 text ("" if never saved)."""
        return self.get(WINDOW_GEOMETRY)

    @window_geometry.setter
    def window_geometry(self, value: str) -> None:
        self.set(WINDOW_GEOMETRY, value)

    @property
    def first_run_done(self) -> bool:
        """True once the first-run welcome has been shown."""
        return self.get(FIRST_RUN_DONE)

    @first_run_done.setter
    def first_run_done(self, value: bool) -> None:
        self.set(FIRST_RUN_DONE, value)

    @property
    def output_folder(self) -> Path:
        """Where exports go: the saved folder, or the user's Documents folder."""
        saved = self.get(OUTPUT_FOLDER)
        return Path(saved) if saved else documents_dir()

    @output_folder.setter
    def output_folder(self, value: Path | str) -> None:
        self.set(OUTPUT_FOLDER, str(value))

    # ------------------------------------------------------------------ file handling

    def _read(self) -> dict[str, Any]:
        """Return the file's contents; a damaged file is moved aside and an empty dict returned."""
        try:
            content = self._path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as error:
            log.warning("Could not read the settings file %s (%s); using defaults.", self._path, error)
            return {}
        try:
            # utf-8-sig: Windows Notepad saves UTF-8 with a byte-order mark, which is still our file.
            # Bytes that are not UTF-8 at all (UnicodeDecodeError is a ValueError) count as damaged.
            data = json.loads(content.decode("utf-8-sig"))
        except ValueError:
            data = None
        if not isinstance(data, dict):
            self._set_aside_damaged()
            return {}
        return data

    def _set_aside_damaged(self) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = self._path.with_name(f"{self._path.name}.damaged-{stamp}")
        try:
            self._path.replace(backup)
        except OSError as error:
            log.warning("The settings file %s is damaged and could not be moved aside: %s", self._path, error)
            return
        log.warning(
            "The settings file was damaged, so default settings are used. The damaged file was kept as %s.",
            backup,
        )

    def _write_changes(self, changes: Mapping[str, Any], removed: Iterable[str]) -> None:
        with self._lock:
            # Re-read so that changes another process made to other keys survive this write.
            data = self._read()
            data.update(changes)
            for key in removed:
                data.pop(key, None)
            data[_VERSION_KEY] = SETTINGS_VERSION
            write_json_atomically(self._path, data)
            self._data = data


def _check_json(key: str, value: object) -> None:
    try:
        json.dumps(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"Setting '{key}' cannot be saved as JSON: {error}") from None


def write_json_atomically(path: Path, data: object, *, sort_keys: bool = True) -> None:
    """Write ``data`` as JSON to a temporary file beside ``path``, then move it into place.

    Raises :class:`SettingsError` when the file cannot be written.
    """
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=sort_keys) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, before the move
            "w", encoding="utf-8", dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp", delete=False
        )
        temporary = Path(handle.name)
        try:
            with handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            _replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as error:
        raise SettingsError(
            f"Could not save {path.name} in {path.parent}.", details=f"{type(error).__name__}: {error}"
        ) from error


def _replace(source: Path, target: Path) -> None:
    for attempt in range(_REPLACE_ATTEMPTS):
        try:
            source.replace(target)
            return
        except PermissionError:
            if attempt == _REPLACE_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
