"""Saved exports ("presets"): which reports, filters, columns, dates and where the file goes.

The package is split by what each part knows:

* :mod:`.format`: the ``Preset`` itself, its checks and its JSON document (the shared file format);
* :mod:`.file_names`: file name patterns and names safe on Windows, macOS and Linux;
* :mod:`.store`: the presets folder, sharing files, and ``resolve`` (a preset -> an export).

How a date range becomes DEAR filters lives in :mod:`app.services.date_filters`
(``apply_date_range`` is re-exported here for the callers that used to find it here).
"""

from __future__ import annotations

from app.services.date_filters import apply_date_range
from app.services.presets.file_names import (
    DEFAULT_NAME_PATTERN,
    PATTERN_FIELDS,
    check_pattern,
    fill_pattern,
    safe_file_stem,
)
from app.services.presets.format import (
    MAX_NAME_LENGTH,
    PRESET_SCHEMA,
    PRESET_SUFFIX,
    PRESET_VERSION,
    Preset,
    PresetFileError,
    UnreadablePresetError,
    check_name,
    check_report_keys,
    from_document,
    to_document,
    validated,
)
from app.services.presets.store import PresetStore, company_label, file_name

__all__ = [
    "DEFAULT_NAME_PATTERN",
    "MAX_NAME_LENGTH",
    "PATTERN_FIELDS",
    "PRESET_SCHEMA",
    "PRESET_SUFFIX",
    "PRESET_VERSION",
    "Preset",
    "PresetFileError",
    "PresetStore",
    "UnreadablePresetError",
    "apply_date_range",
    "check_name",
    "check_pattern",
    "check_report_keys",
    "company_label",
    "file_name",
    "fill_pattern",
    "from_document",
    "safe_file_stem",
    "to_document",
    "validated",
]
