"""Saved exports ("presets"): which reports, filters, columns, dates and where the file goes.

Each preset is one JSON file in the ``presets`` folder beside the settings file. The same
document, with its schema name and version, is what ``export_file`` writes and ``import_file``
reads, so one person can set up a preset and share the file with colleagues. A preset names its
connection but never contains a key: the file is rebuilt from known fields only, and saving
refuses any text that contains a registered secret.

``resolve(preset, today)`` turns a preset into an ``ExportRequest``: the quick date range is
filled into each report's main DEAR date filter (its ``since_filter``, else its first date
filter) and, because DEAR's list filters are since-only, the range's end goes into
``ReportRequest.until`` for the export to apply to the rows (REFERENCE §8.8).
"""

from __future__ import annotations

import json
import logging
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import catalogue
from app.errors import ConfigurationError, CredentialError
from app.models import (
    Connection,
    EndpointSpec,
    ExportRequest,
    FilterKind,
    FilterSpec,
    OutputFormat,
    ReportRequest,
)
from app.redact import redact
from app.services import dateranges
from app.services.dateranges import DateRange
from app.services.settings import Settings, write_json_atomically

if TYPE_CHECKING:
    from app.services.connections import ConnectionStore

log = logging.getLogger(__name__)

PRESET_SCHEMA = "dear-export-preset"
PRESET_VERSION = 1
PRESET_SUFFIX = ".json"
MAX_NAME_LENGTH = 80
DEFAULT_NAME_PATTERN = "{preset} {from} to {to}"

PATTERN_FIELDS: dict[str, str] = {
    "preset": "the preset's name",
    "connection": "the connection's name",
    "from": "the first day of the date range (YYYY-MM-DD)",
    "to": "the last day of the date range (YYYY-MM-DD)",
    "date": "the day the export runs (YYYY-MM-DD)",
    "range": "the date range in words, e.g. Last month",
}
"""The ``{placeholders}`` a file name pattern may use."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10)),
}
_MAX_FILE_STEM = 150


@dataclass(frozen=True)
class Preset:
    """One saved export. ``date_range`` is a spec as ``app.services.dateranges`` reads it, or None.

    ``output_folder`` "" means the folder chosen in the settings (Documents by default).
    """

    name: str
    connection: str
    reports: tuple[ReportRequest, ...]
    date_range: str | None = None
    output_folder: str = ""
    name_pattern: str = DEFAULT_NAME_PATTERN
    format: OutputFormat = OutputFormat.XLSX


# ---------------------------------------------------------------------------- validation


def check_name(name: str, what: str = "preset") -> str:
    """Return the name with spaces tidied; ConfigurationError when empty, too long or odd."""
    clean = " ".join(name.split())
    if not clean:
        raise ConfigurationError(f"A {what} needs a name.")
    if len(clean) > MAX_NAME_LENGTH or _CONTROL.search(clean):
        raise ConfigurationError(
            f"That {what} name is too long or contains unusual characters.",
            hint=f"Use a short name of up to {MAX_NAME_LENGTH} letters, digits and spaces.",
        )
    return clean


def check_pattern(pattern: str) -> str:
    """Return the file name pattern, checked for unknown or malformed ``{placeholders}``."""
    clean = pattern.strip()
    if not clean:
        raise ConfigurationError(
            "The file name pattern is empty.", hint=f"For example: {DEFAULT_NAME_PATTERN}"
        )
    known = ", ".join("{" + name + "}" for name in PATTERN_FIELDS)
    try:
        parts = list(string.Formatter().parse(clean))
    except ValueError:
        raise ConfigurationError(
            f"The file name pattern '{clean}' has a '{{' or '}}' without its partner.",
            hint=f"Placeholders look like {{from}}; the known ones are {known}.",
        ) from None
    for _, placeholder, spec, conversion in parts:
        if placeholder is None:
            continue
        if placeholder not in PATTERN_FIELDS or spec or conversion:
            raise ConfigurationError(
                f"The file name pattern uses {{{placeholder}}}, which this app does not know.",
                hint=f"Use only {known}.",
            )
    return clean


def check_report_keys(reports: tuple[ReportRequest, ...]) -> None:
    """ConfigurationError naming any report this version's catalogue does not have."""
    if not reports:
        raise ConfigurationError("A preset needs at least one report.")
    for report in reports:
        _spec_for(report.key)


def _spec_for(key: str) -> EndpointSpec:
    try:
        return catalogue.get(key)
    except (KeyError, ConfigurationError):
        raise ConfigurationError(
            f"This version of DEAR Export has no report called '{key}'.",
            hint="Choose the reports again and save the preset, or update DEAR Export.",
        ) from None


def validated(preset: Preset, *, check_reports: bool = True) -> Preset:
    """Return the preset with tidied names and checked fields; ConfigurationError says what is wrong.

    ``check_reports`` False skips the catalogue check (listing shows presets whose reports a newer
    or older version renamed; running them then says which report is unknown).
    """
    if check_reports:
        check_report_keys(preset.reports)
    elif not preset.reports:
        raise ConfigurationError("A preset needs at least one report.")
    return replace(
        preset,
        name=check_name(preset.name),
        connection=check_name(preset.connection, "connection"),
        date_range=dateranges.validate(preset.date_range) if preset.date_range else None,
        name_pattern=check_pattern(preset.name_pattern),
        output_folder=preset.output_folder.strip(),
    )


# ---------------------------------------------------------------------------- JSON documents


def to_document(preset: Preset) -> dict[str, Any]:
    """Return the preset as the JSON document files hold (with schema name and version)."""
    return {
        "schema": PRESET_SCHEMA,
        "version": PRESET_VERSION,
        "preset": {
            "name": preset.name,
            "connection": preset.connection,
            "reports": [
                {
                    "key": report.key,
                    "filters": dict(report.filters),
                    "columns": None if report.columns is None else list(report.columns),
                    "include_children": report.include_children,
                }
                for report in preset.reports
            ],
            "date_range": preset.date_range,
            "output_folder": preset.output_folder,
            "name_pattern": preset.name_pattern,
            "format": preset.format.value,
        },
    }


class PresetFileError(ConfigurationError):
    """A preset file or document that cannot be used; the message says what is wrong with it."""


def from_document(document: object, source: str = "This file", *, check_reports: bool = True) -> Preset:
    """Read a preset document, checking schema, version and every field (PresetFileError if unusable)."""
    if not isinstance(document, Mapping) or document.get("schema") != PRESET_SCHEMA:
        raise PresetFileError(
            f"{source} is not a DEAR Export preset.", hint="Choose a file exported from DEAR Export."
        )
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PresetFileError(
            f"{source} is a DEAR Export preset, but its version number is missing or damaged."
        )
    if version > PRESET_VERSION:
        raise PresetFileError(
            f"{source} was made by a newer version of DEAR Export (preset format {version}; "
            f"this version reads format {PRESET_VERSION}).",
            hint="Update DEAR Export on this computer, then import the preset again.",
        )
    body = document.get("preset")
    if not isinstance(body, Mapping):
        raise PresetFileError(f"{source} is a DEAR Export preset with nothing in it.")
    reports_raw = _field(body, "reports", list, source)
    reports = tuple(_report_from_json(raw, index, source) for index, raw in enumerate(reports_raw, 1))
    fmt = _field(body, "format", str, source, default=OutputFormat.XLSX.value)
    try:
        output_format = OutputFormat(fmt)
    except ValueError:
        raise PresetFileError(f"{source} asks for the file format '{fmt}'; use xlsx or csv.") from None
    date_range = body.get("date_range")
    if date_range is not None and not isinstance(date_range, str):
        raise PresetFileError(f"{source} has a damaged date range.")
    preset = Preset(
        name=_field(body, "name", str, source),
        connection=_field(body, "connection", str, source),
        reports=reports,
        date_range=date_range or None,
        output_folder=_field(body, "output_folder", str, source, default=""),
        name_pattern=_field(body, "name_pattern", str, source, default=DEFAULT_NAME_PATTERN),
        format=output_format,
    )
    try:
        return validated(preset, check_reports=check_reports)
    except ConfigurationError as error:
        raise PresetFileError(f"{source} cannot be used: {error.message}", hint=error.hint) from None


def _field(body: Mapping[str, Any], name: str, kind: type, source: str, default: Any = None) -> Any:
    if name not in body or body[name] is None:
        if default is not None:
            return default
        raise PresetFileError(f"{source} is incomplete: it has no '{name}'.")
    value = body[name]
    if not isinstance(value, kind):
        raise PresetFileError(f"{source} has a damaged '{name}' (expected {_kind_words(kind)}).")
    return value


def _kind_words(kind: type) -> str:
    return {str: "text", list: "a list", dict: "a set of named values", bool: "true or false"}.get(
        kind, kind.__name__
    )


def _report_from_json(raw: object, index: int, source: str) -> ReportRequest:
    where = f"{source}, report {index},"
    if not isinstance(raw, Mapping):
        raise PresetFileError(f"{where} is damaged.")
    key = _field(raw, "key", str, where)
    filters = _field(raw, "filters", dict, where, default={})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in filters.items()):
        raise PresetFileError(f"{where} has filters that are not plain text.")
    columns = raw.get("columns")
    if columns is not None and not (isinstance(columns, list) and all(isinstance(c, str) for c in columns)):
        raise PresetFileError(f"{where} has a damaged list of columns.")
    include_children = raw.get("include_children", False)
    if not isinstance(include_children, bool):
        raise PresetFileError(f"{where} has a damaged 'include_children' (expected true or false).")
    return ReportRequest(
        key=key,
        filters=dict(filters),
        columns=None if columns is None else tuple(columns),
        include_children=include_children,
    )


def _document_text(preset: Preset) -> str:
    text = json.dumps(to_document(preset), indent=2, ensure_ascii=False) + "\n"
    if redact(text) != text:
        # A key typed into a filter or a name: presets are shared, so refuse rather than mask.
        raise ConfigurationError(
            f"The preset '{preset.name}' contains an Application Key, so it was not saved.",
            hint="Remove the key from the preset's filters and names; presets never hold keys.",
        )
    return text


# ---------------------------------------------------------------------------- dates and file names


def main_date_filter(spec: EndpointSpec) -> FilterSpec | None:
    """Return the DEAR filter a date range goes into: ``since_filter``, else the first date filter."""
    dated = [f for f in spec.filters if f.kind in (FilterKind.DATE, FilterKind.DATETIME)]
    for candidate in dated:
        if candidate.name == spec.since_filter:
            return candidate
    return dated[0] if dated else None


def _end_filter(spec: EndpointSpec, start: FilterSpec) -> FilterSpec | None:
    """Return the "to" partner of a "from" filter (FromDate/ToDate, ...DateFrom/...DateTo), if any."""
    for source, target in (("FromDate", "ToDate"), ("From", "To")):
        if source in start.name:
            partner = start.name.replace(source, target)
            for candidate in spec.filters:
                if candidate.name == partner and candidate.kind == start.kind:
                    return candidate
    return None


def _dear_time(moment: datetime) -> str:
    # DEAR wants UTC without a zone suffix (REFERENCE §5.1).
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def apply_date_range(
    report: ReportRequest,
    window: DateRange | None,
    zone: tzinfo | None = None,
    *,
    spec: EndpointSpec | None = None,
) -> ReportRequest:
    """Return the report with ``window`` applied: to its business date, or to its main date filter.

    Reports whose catalogue entry names a ``date_field`` get ``date_from``/``date_to`` (calendar
    days, the export compares them with that field); the others get the range filled into their
    main DEAR date filter (and ``until`` for the end).
    DATE filters get calendar dates; DATETIME filters get the local day boundaries in UTC.
    Reports without a date filter are returned unchanged (the range does not apply to them).
    ``until`` is the first instant after the range, for the export to drop later rows by the
    report's ``modified_field`` (DEAR's list filters are since-only, REFERENCE §8.8). ``spec``
    defaults to the report's catalogue entry.
    """
    if window is None:
        return report
    spec = spec if spec is not None else _spec_for(report.key)
    if spec.date_field is not None:
        # The range means the report's business date (a sale's order date, say), which DEAR
        # cannot filter on: the export applies it to the list rows itself.
        return replace(report, date_from=window.start, date_to=window.end, until=None)
    start_filter = main_date_filter(spec)
    if start_filter is None:
        return report
    end_filter = _end_filter(spec, start_filter)
    filters = dict(report.filters)
    start = window.start_instant(zone)
    end = window.end_instant(zone)
    if start_filter.kind == FilterKind.DATE:
        filters[start_filter.name] = f"{window.start.isoformat()}T00:00:00"
    else:
        filters[start_filter.name] = _dear_time(start)
    if end_filter is not None:
        # A pair's wording may be strict ("greater than"), so bound both ends inside the range's
        # first and last second; business dates (T00:00:00) then fall in whatever DEAR's rule is.
        filters[start_filter.name] = (
            f"{(window.start - timedelta(days=1)).isoformat()}T23:59:59"
            if start_filter.kind == FilterKind.DATE
            else _dear_time(start - timedelta(seconds=1))
        )
        if window.end is not None and end is not None:
            filters[end_filter.name] = (
                f"{window.end.isoformat()}T23:59:59"
                if end_filter.kind == FilterKind.DATE
                else _dear_time(end - timedelta(seconds=1))
            )
        return replace(report, filters=filters, until=None)
    # The export drops rows past the end by the report's last-changed field, which is what its
    # since filter compares; any other since-only filter has no row field to check the end with.
    applies = start_filter.name == spec.since_filter and bool(spec.modified_field)
    return replace(report, filters=filters, until=end if applies else None)


def safe_file_stem(text: str) -> str:
    """Return ``text`` made safe as a file name on Windows, macOS and Linux (no extension)."""
    cleaned = _UNSAFE_IN_FILE_NAMES.sub("-", text)
    cleaned = " ".join(cleaned.split()).strip(" .")[:_MAX_FILE_STEM].strip(" .")
    if not cleaned:
        cleaned = "DEAR export"
    if cleaned.split(".")[0].upper() in _WINDOWS_RESERVED:
        cleaned = f"_{cleaned}"
    return cleaned


def file_name(preset: Preset, today: date, window: DateRange | None) -> str:
    """Return the output file name: the pattern filled in, made safe, with the format's extension."""
    values = {
        "preset": preset.name,
        "connection": preset.connection,
        "from": window.start.isoformat() if window else "all",
        "to": (window.end or today).isoformat() if window else today.isoformat(),
        "date": today.isoformat(),
        "range": dateranges.label(preset.date_range) if preset.date_range else "All dates",
    }
    stem = safe_file_stem(check_pattern(preset.name_pattern).format(**values))
    return f"{stem}.{preset.format.value}"


# ---------------------------------------------------------------------------- the store

# Aliases, because PresetStore.list shadows the builtin inside the class body.
_Presets = list[Preset]
_Names = list[str]
_Found = list[tuple[Preset, Path]]


class PresetStore:
    """Presets as JSON files in one folder (``presets`` beside the settings file by default).

    ``connections`` is used by :meth:`resolve` to read the preset's connection (with its key);
    pass one from the GUI thread or the CLI, or pass ``connection=`` to ``resolve`` directly.
    """

    def __init__(
        self,
        folder: Path | None = None,
        *,
        settings: Settings | None = None,
        connections: ConnectionStore | None = None,
    ) -> None:
        self._settings = settings
        self._connections = connections
        if folder is None:
            base = settings.path.parent if settings is not None else Settings().path.parent
            folder = base / "presets"
        self._folder = folder

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
        text = _document_text(clean)
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
        self._write(new_path, _document_text(validated(renamed)))
        if new_path != found[1]:
            found[1].unlink(missing_ok=True)
        return renamed

    def rename_connection(self, old: str, new: str) -> int:
        """Point every preset that uses connection ``old`` at ``new``; returns how many changed."""
        changed = 0
        for preset, path in self._scan():
            if preset.connection.casefold() == old.casefold():
                self._write(path, _document_text(replace(preset, connection=new)))
                changed += 1
        return changed

    # ------------------------------------------------------------------ sharing

    def export_file(self, name: str, path: Path) -> Path:
        """Write one preset to ``path`` for sharing: a file, or a folder (a path without an extension).

        Raises SettingsError (a plain message) when the file cannot be written.
        """
        preset = self.load(name)
        into_folder = path.is_dir() or not path.suffix
        target = path / f"{safe_file_stem(preset.name)}{PRESET_SUFFIX}" if into_folder else path
        self._write(target, _document_text(preset))
        return target

    def import_file(self, path: Path, *, replace_existing: bool = False) -> Preset:
        """Read a shared preset file and save it here; ConfigurationError says plainly what is wrong."""
        source = f"The file '{path.name}'"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigurationError(
                f"{source} does not exist.", hint="Check the folder and the file name."
            ) from None
        except UnicodeDecodeError:
            raise PresetFileError(f"{source} is not a DEAR Export preset (it is not a text file).") from None
        except OSError as error:
            raise ConfigurationError(f"{source} could not be read.", details=str(error)) from None
        try:
            document = json.loads(text)
        except ValueError as error:
            line = getattr(error, "lineno", None)
            where = f" (the problem is near line {line})" if line else ""
            raise PresetFileError(
                f"{source} is not a DEAR Export preset: it is damaged or not a preset file{where}.",
                hint="Ask for the preset to be exported again.",
            ) from None
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
        if connection is None:
            if self._connections is None:
                raise CredentialError("No connections are available to run this preset.")
            connection = self._connections.get(preset.connection)
        window = dateranges.resolve(preset.date_range, today) if preset.date_range else None
        reports = tuple(apply_date_range(report, window, zone) for report in preset.reports)
        name = file_name(preset, today, window)
        if output is not None:
            # A path without an extension is taken as a folder (it may not exist yet).
            target = output / name if output.is_dir() or not output.suffix else output
        else:
            folder = (
                Path(preset.output_folder).expanduser() if preset.output_folder else self._default_folder()
            )
            target = folder / name
        return ExportRequest(connection=connection, reports=reports, output=target, format=preset.format)

    # ------------------------------------------------------------------ internals

    def _default_folder(self) -> Path:
        settings = self._settings if self._settings is not None else Settings()
        return settings.output_folder

    def _scan(self) -> _Found:
        if not self._folder.is_dir():
            return []
        found: _Found = []
        for path in sorted(self._folder.glob(f"*{PRESET_SUFFIX}")):
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
                source = f"The preset file '{path.name}'"
                found.append((from_document(document, source, check_reports=False), path))
            except (OSError, ValueError, ConfigurationError) as error:
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
