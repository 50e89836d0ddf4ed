"""Saved exports ("presets") as JSON files in one folder, and turning one into an export.

``resolve(preset, today)`` turns a preset into an ``ExportRequest``: the quick date range is filled
into each report's DEAR filters or business date (see :mod:`app.services.date_filters`) and the
file name pattern is filled in. A preset file whose bytes are not a JSON document (damaged, or not
UTF-8 text) is set aside as ``NAME.json.damaged-STAMP`` with a warning, as the settings file is.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from app import dates, paths
from app.dates import DateRange
from app.errors import ConfigurationError, CredentialError
from app.models import Connection, ExportRequest, OutputFormat, ReportRequest
from app.services.date_filters import apply_date_range
from app.services.exporting.company_keys import read_companies
from app.services.presets.file_names import fill_pattern, safe_file_stem
from app.services.presets.format import (
    PRESET_SUFFIX,
    Preset,
    UnreadablePresetError,
    check_name,
    check_report_keys,
    document_text,
    from_document,
    read_document,
    validated,
)
from app.services.settings import write_json_atomically

if TYPE_CHECKING:
    from app.services.connections import ConnectionStore
    from app.services.settings import Settings

log = logging.getLogger(__name__)


def file_name(preset: Preset, today: date, window: DateRange | None) -> str:
    """Return the output file name: the pattern filled in, made safe, with the format's extension."""
    values = {
        "preset": preset.name,
        "connection": company_label(preset),
        "from": window.start.isoformat() if window else "all",
        "to": (window.end or today).isoformat() if window else today.isoformat(),
        "date": today.isoformat(),
        "range": dates.label(preset.date_range) if preset.date_range else "All dates",
    }
    return f"{fill_pattern(preset.name_pattern, values)}.{preset.format.value}"


def company_label(preset: Preset) -> str:
    """Name the preset's companies for a file name ("Acme", "Acme + Beta", "All companies")."""
    if preset.all_connections:
        return "All companies"
    return " + ".join(preset.company_names())


# ---------------------------------------------------------------------------- the store

# Aliases, because PresetStore.list shadows the builtin inside the class body.
_Presets = list[Preset]
_Names = list[str]
_Found = list[tuple[Preset, Path]]


class PresetStore:
    """Presets as JSON files in one folder (``presets`` beside the settings file, see ``app.wiring``).

    ``settings`` gives the default output folder (without it: the user's Documents folder).
    ``connections`` is used by :meth:`resolve` to read the preset's connection (with its key);
    pass one from the GUI thread or the CLI, or pass ``connection=`` to ``resolve`` directly.
    """

    def __init__(
        self,
        folder: Path,
        *,
        settings: Settings | None = None,
        connections: ConnectionStore | None = None,
    ) -> None:
        self._folder = folder
        self._settings = settings
        self._connections = connections

    @property
    def folder(self) -> Path:
        """Where the preset files live."""
        return self._folder

    # ------------------------------------------------------------------ listing and reading

    def list(self) -> _Presets:
        """Return every readable preset, by name; damaged files are skipped with a log warning."""
        return sorted((preset for preset, _ in self._scan()), key=lambda p: p.name.casefold())

    def names(self) -> _Names:
        """Return every preset's name, in order."""
        return [preset.name for preset in self.list()]

    def load(self, name: str) -> Preset:
        """Return one preset by name (case-insensitive); ConfigurationError lists the saved ones."""
        found = self._find(name)
        if found is None:
            saved = self.names()
            known = ", ".join(f"'{n}'" for n in saved) if saved else "none yet"
            raise ConfigurationError(
                f"No preset named '{name.strip()}'. Saved presets: {known}.",
                hint="Check the spelling (put names with spaces in quotes).",
            )
        return found[0]

    # ------------------------------------------------------------------ changing

    def save(self, preset: Preset, *, replace_existing: bool = True) -> Path:
        """Write a preset (replacing one of the same name unless ``replace_existing`` is False)."""
        clean = validated(preset)
        text = document_text(clean)
        existing = self._find(clean.name)
        if existing is not None and not replace_existing:
            raise ConfigurationError(
                f"There is already a preset named '{existing[0].name}'.",
                hint="Choose another name, or replace the existing preset.",
            )
        path = existing[1] if existing is not None else self._new_path(clean.name)
        self._write(path, text)
        log.info("Saved preset '%s'.", clean.name)
        return path

    def delete(self, name: str) -> None:
        """Remove a preset."""
        found = self._find(name)
        if found is None:
            self.load(name)  # raises the plain "no preset named ..." error
            return
        found[1].unlink(missing_ok=True)
        log.info("Deleted preset '%s'.", found[0].name)

    def rename(self, old: str, new: str) -> Preset:
        """Give a preset a new name."""
        preset = self.load(old)
        clean = check_name(new)
        other = self._find(clean)
        if other is not None and other[0].name.casefold() != preset.name.casefold():
            raise ConfigurationError(f"There is already a preset named '{other[0].name}'.")
        found = self._find(old)
        assert found is not None
        renamed = replace(preset, name=clean)
        new_path = self._new_path(clean) if clean.casefold() != preset.name.casefold() else found[1]
        self._write(new_path, document_text(validated(renamed)))
        if new_path != found[1]:
            found[1].unlink(missing_ok=True)
        return renamed

    def rename_connection(self, old: str, new: str) -> int:
        """Point every preset that uses connection ``old`` at ``new``; returns how many changed."""
        changed = 0
        for preset, path in self._scan():
            if preset.uses_connection(old):
                renamed = tuple(
                    new if name.casefold() == old.casefold() else name for name in preset.companies
                )
                connection = new if preset.connection.casefold() == old.casefold() else preset.connection
                self._write(path, document_text(replace(preset, connection=connection, companies=renamed)))
                changed += 1
        if changed:
            log.info("%d preset(s) now use the connection '%s' (was '%s').", changed, new, old)
        return changed

    # ------------------------------------------------------------------ sharing

    def export_file(self, name: str, path: Path) -> Path:
        """Write one preset to ``path`` for sharing: a file, or a folder (a path without an extension).

        Raises SettingsError (a plain message) when the file cannot be written.
        """
        preset = self.load(name)
        into_folder = path.is_dir() or not path.suffix
        target = path / f"{safe_file_stem(preset.name)}{PRESET_SUFFIX}" if into_folder else path
        self._write(target, document_text(preset))
        return target

    def import_file(self, path: Path, *, replace_existing: bool = False) -> Preset:
        """Read a shared preset file and save it here; ConfigurationError says plainly what is wrong."""
        source = f"The file '{path.name}'"
        try:
            document = read_document(path, source)
        except FileNotFoundError:
            raise ConfigurationError(
                f"{source} does not exist.", hint="Check the folder and the file name."
            ) from None
        except OSError as error:
            raise ConfigurationError(f"{source} could not be read.", details=str(error)) from None
        preset = from_document(document, source)
        self.save(preset, replace_existing=replace_existing)
        return preset

    # ------------------------------------------------------------------ running

    def resolve(
        self,
        preset: Preset,
        today: date,
        *,
        connection: Connection | None = None,
        output: Path | None = None,
        zone: tzinfo | None = None,
    ) -> ExportRequest:
        """Build the export a preset asks for on ``today``: dates filled in, file name made.

        ``output`` overrides the preset's folder (a folder, or a path without an extension) or
        the whole path (a file name with an extension).
        ``zone`` is the time zone whose midnights bound the days (default: this computer's).
        """
        check_report_keys(preset.reports)  # before the keyring is touched: the plain reason first
        companies: tuple[Connection, ...] = ()
        if connection is None:
            if self._connections is None:
                raise CredentialError("No connections are available to run this preset.")
            companies = self._companies(preset)
            connection = companies[0]
        window = dates.resolve(preset.date_range, today) if preset.date_range else None
        reports = tuple(_dated(report, window, preset.date_range, zone) for report in preset.reports)
        name = file_name(preset, today, window)
        if preset.workbook and output is None:
            # A living workbook: always the same file, written into rather than replaced.
            return ExportRequest(
                connection=connection,
                reports=reports,
                output=Path(preset.workbook).expanduser(),
                format=OutputFormat.XLSX,
                into=True,
                snapshot=preset.snapshot,
                connections=companies,
                all_connections=preset.all_connections,
            )
        if output is not None:
            # A path without an extension is taken as a folder (it may not exist yet).
            target = output / name if output.is_dir() or not output.suffix else output
        else:
            folder = (
                Path(preset.output_folder).expanduser() if preset.output_folder else self._default_folder()
            )
            target = folder / name
        return ExportRequest(
            connection=connection,
            reports=reports,
            output=target,
            format=preset.format,
            connections=companies,
            all_connections=preset.all_connections,
        )

    def _companies(self, preset: Preset) -> tuple[Connection, ...]:
        """Read the preset's connections (with their keys): those it names, or every saved one."""
        assert self._connections is not None
        names = list(preset.company_names())
        if preset.all_connections:
            saved = [info.name for info in self._connections.list() if not info.session_only]
            if not saved:
                raise CredentialError("There are no saved connections to run this preset with.")
            # The preset's own company first (when it is still saved), then the others in order.
            names = sorted(saved, key=lambda name: name.casefold() != preset.connection.casefold())
        return read_companies(self._connections, names)  # several: a missing key fails that company alone

    # ------------------------------------------------------------------ internals

    def _default_folder(self) -> Path:
        return self._settings.output_folder if self._settings is not None else paths.documents_dir()

    def _scan(self) -> _Found:
        if not self._folder.is_dir():
            return []
        found: _Found = []
        for path in sorted(self._folder.glob(f"*{PRESET_SUFFIX}")):
            source = f"The preset file '{path.name}'"
            try:
                document = read_document(path, source)
                found.append((from_document(document, source, check_reports=False), path))
            except UnreadablePresetError:
                _set_aside_damaged(path)
            except (OSError, ConfigurationError) as error:
                # Readable but not usable here (another version's format, say): left as it is.
                log.warning("Skipped the preset file %s: %s", path.name, error)
        return found

    def _find(self, name: str) -> tuple[Preset, Path] | None:
        wanted = " ".join(name.split()).casefold()
        for preset, path in self._scan():
            if preset.name.casefold() == wanted:
                return preset, path
        return None

    def _new_path(self, name: str) -> Path:
        stem = safe_file_stem(name)
        path = self._folder / f"{stem}{PRESET_SUFFIX}"
        number = 2
        while path.exists():
            path = self._folder / f"{stem} ({number}){PRESET_SUFFIX}"
            number += 1
        return path

    def _write(self, path: Path, text: str) -> None:
        write_json_atomically(path, json.loads(text), sort_keys=False)


def _dated(
    report: ReportRequest, window: DateRange | None, spec: str | None, zone: tzinfo | None
) -> ReportRequest:
    """Apply the preset's date range to one report.

    A report the range applies to also keeps the range as chosen: a workbook records it, so a
    refresh works "last month" out again.
    """
    resolved = apply_date_range(report, window, zone)
    return resolved if resolved == report else replace(resolved, dates=spec)


def _set_aside_damaged(path: Path) -> None:
    """Move a preset file that is not a JSON document aside, as the settings file is, and say so."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.damaged-{stamp}")
    try:
        path.replace(backup)
    except OSError as error:
        log.warning("The preset file %s is damaged and could not be moved aside: %s", path.name, error)
        return
    log.warning(
        "The preset file %s was damaged, so it was skipped. The damaged file was kept as %s.",
        path.name,
        backup,
    )
