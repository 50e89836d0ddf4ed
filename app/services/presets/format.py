"""The preset format: what a saved export holds, how it is checked, and its JSON document.

The same document, with its schema name and version, is what the presets folder holds and what
``PresetStore.export_file`` writes for sharing. A preset names its connection but never contains a
key: documents are rebuilt from known fields only, and writing refuses any text that contains a
registered secret.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from app import catalogue, dates
from app.errors import ConfigurationError
from app.models import EndpointSpec, OutputFormat, ReportRequest
from app.redact import redact
from app.services.presets.file_names import DEFAULT_NAME_PATTERN, check_pattern

PRESET_SCHEMA = "dear-export-preset"
# Format 2 added several companies ("companies", "all_connections"). A preset of one company is
# still written as format 1, so older versions keep reading it; one of several companies is
# written as format 2, which older versions refuse plainly rather than export one company only.
PRESET_VERSION = 2
ONE_COMPANY_VERSION = 1
PRESET_SUFFIX = ".json"
MAX_NAME_LENGTH = 80

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Preset:
    """One saved export. ``date_range`` is a date range spec as ``app.dates`` reads it, or None.

    ``output_folder`` "" means the folder chosen in the settings (Documents by default).
    """

    name: str
    connection: str
    reports: tuple[ReportRequest, ...]
    date_range: str | None = None
    output_folder: str = ""
    name_pattern: str = DEFAULT_NAME_PATTERN
    format: OutputFormat = OutputFormat.XLSX
    # A living workbook: write into this workbook (created when missing) instead of a new file,
    # and with ``snapshot`` add today's rows, dated, below the earlier days' ("" = a new file).
    workbook: str = ""
    snapshot: bool = False
    # Several companies: every connection's name, ``connection`` first (() means ``connection`` only).
    companies: tuple[str, ...] = ()
    # Every saved connection when the preset runs (``connection`` is then just the one shown first).
    all_connections: bool = False

    @property
    def several_companies(self) -> bool:
        """True when the preset exports more than one company."""
        return self.all_connections or len(self.companies) > 1

    def company_names(self) -> tuple[str, ...]:
        """Return the connections this preset names (not those --all-connections finds at run time)."""
        return self.companies if len(self.companies) > 1 else (self.connection,)

    def uses_connection(self, name: str) -> bool:
        """Tell whether the preset names this connection (case-insensitive)."""
        return any(own.casefold() == name.casefold() for own in self.company_names())


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


def check_report_keys(reports: tuple[ReportRequest, ...]) -> None:
    """ConfigurationError naming any report this version's catalogue does not have."""
    if not reports:
        raise ConfigurationError("A preset needs at least one report.")
    for report in reports:
        report_spec(report.key)


def report_spec(key: str) -> EndpointSpec:
    """Return the catalogue entry of a preset's report; ConfigurationError worded for presets."""
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
    companies = tuple(check_name(name, "connection") for name in preset.companies)
    if (
        len(companies) > 1
        and companies[0].casefold() != check_name(preset.connection, "connection").casefold()
    ):
        companies = (
            preset.connection,
            *(c for c in companies if c.casefold() != preset.connection.casefold()),
        )
    return replace(
        preset,
        name=check_name(preset.name),
        connection=check_name(preset.connection, "connection"),
        companies=companies if len(companies) > 1 else (),
        date_range=dates.validate(preset.date_range) if preset.date_range else None,
        name_pattern=check_pattern(preset.name_pattern),
        output_folder=preset.output_folder.strip(),
    )


def to_document(preset: Preset) -> dict[str, Any]:
    """Return the preset as the JSON document files hold (with schema name and version)."""
    several = {"companies": list(preset.companies), "all_connections": preset.all_connections}
    return {
        "schema": PRESET_SCHEMA,
        "version": PRESET_VERSION if preset.several_companies else ONE_COMPANY_VERSION,
        "preset": {
            "name": preset.name,
            "connection": preset.connection,
            **(several if preset.several_companies else {}),
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
            "workbook": preset.workbook,
            "snapshot": preset.snapshot,
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
    companies = _field(body, "companies", list, source, default=[])
    if not all(isinstance(name, str) for name in companies):
        raise PresetFileError(f"{source} has a damaged list of companies.")
    every = body.get("all_connections", False)
    if not isinstance(every, bool):
        raise PresetFileError(f"{source} has a damaged 'all_connections' (expected true or false).")
    preset = Preset(
        name=_field(body, "name", str, source),
        connection=_field(body, "connection", str, source),
        companies=tuple(companies),
        all_connections=every,
        reports=reports,
        date_range=date_range or None,
        output_folder=_field(body, "output_folder", str, source, default=""),
        name_pattern=_field(body, "name_pattern", str, source, default=DEFAULT_NAME_PATTERN),
        format=output_format,
        workbook=_field(body, "workbook", str, source, default=""),
        snapshot=_field(body, "snapshot", bool, source, default=False),
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


def document_text(preset: Preset) -> str:
    """Return the preset's JSON document as text; ConfigurationError when it holds an Application Key."""
    text = json.dumps(to_document(preset), indent=2, ensure_ascii=False) + "\n"
    if redact(text) != text:
        # A key typed into a filter or a name: presets are shared, so refuse rather than mask.
        raise ConfigurationError(
            f"The preset '{preset.name}' contains an Application Key, so it was not saved.",
            hint="Remove the key from the preset's filters and names; presets never hold keys.",
        )
    return text


class UnreadablePresetError(PresetFileError):
    """A preset file whose bytes are not a JSON document (damaged, or not UTF-8 text)."""


def read_document(path: Path, source: str) -> object:
    """Return the JSON document a preset file holds.

    Raises UnreadablePresetError when the bytes are not UTF-8 JSON text (a byte-order mark is
    accepted: Windows Notepad writes one); OSError passes through (missing file, no permission).
    """
    content = path.read_bytes()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadablePresetError(
            f"{source} is not a DEAR Export preset (it is not a text file)."
        ) from None
    try:
        return json.loads(text)
    except ValueError as error:
        line = getattr(error, "lineno", None)
        where = f" (the problem is near line {line})" if line else ""
        raise UnreadablePresetError(
            f"{source} is not a DEAR Export preset: it is damaged or not a preset file{where}.",
            hint="Ask for the preset to be exported again.",
        ) from None
