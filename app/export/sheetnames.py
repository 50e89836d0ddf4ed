r"""Legal, unique Excel sheet names (and the file names CSV sheets become).

Excel's rules: at most 31 characters; none of ``\\ / ? * [ ] :``; not blank; not starting or
ending with an apostrophe; "History" is reserved; names are compared without regard to case.
"""

from __future__ import annotations

import re

MAX_SHEET_NAME = 31
RESERVED = frozenset({"history"})

_FORBIDDEN_RE = re.compile(r"[\\/?*\[\]:]")
_SPACES_RE = re.compile(r"\s+")
# Characters Windows refuses in file names, beyond those Excel already refuses in sheet names.
_FILE_FORBIDDEN_RE = re.compile(r'[<>"|\x00-\x1f]')


def legal_sheet_name(name: str, fallback: str = "Sheet") -> str:
    """Return ``name`` made legal for Excel (not yet unique): forbidden characters become ``-``."""
    text = _SPACES_RE.sub(" ", _FORBIDDEN_RE.sub("-", name)).strip().strip("'").strip()
    if not text:
        text = fallback
    text = text[:MAX_SHEET_NAME].rstrip().rstrip("'").rstrip()
    if text.lower() in RESERVED:
        text = f"{text} data"
    return text or fallback


def with_suffix(name: str, number: int) -> str:
    """Return ``name (number)``, shortening ``name`` so the result still fits in 31 characters."""
    suffix = f" ({number})"
    base = name[: MAX_SHEET_NAME - len(suffix)].rstrip().rstrip("'").rstrip()
    return f"{base}{suffix}"


class SheetNamer:
    """Hands out legal sheet names, each unique within one workbook (ignoring case)."""

    def __init__(self, taken: tuple[str, ...] = ()) -> None:
        self._taken = {name.lower() for name in taken}

    def claim(self, wanted: str) -> str:
        """Return a legal name close to ``wanted`` that no earlier call returned."""
        name = legal_sheet_name(wanted)
        number = 2
        candidate = name
        while candidate.lower() in self._taken:
            candidate = with_suffix(name, number)
            number += 1
        self._taken.add(candidate.lower())
        return candidate

    def continuation(self, first: str, part: int) -> str:
        """Return the name of part ``part`` (2, 3, ...) of a sheet that outgrew Excel's row limit."""
        return self.claim(with_suffix(first, part))


def file_safe(name: str) -> str:
    """Return a sheet name made safe as part of a file name on Windows, macOS and Linux."""
    text = _FILE_FORBIDDEN_RE.sub("-", name).strip().rstrip(".")
    return text or "Sheet"
