"""The Linux menu entry follows the Desktop Entry Specification and matches what install.sh installs."""

from __future__ import annotations

import re
from pathlib import Path

from app import APP_ID, APP_NAME

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = ROOT / "build" / "linux" / "dear-export.desktop"
INSTALL = ROOT / "build" / "linux" / "install.sh"

# From the specification (version 1.4): registered main categories and the keys of an Application entry.
MAIN_CATEGORIES = {
    "AudioVideo", "Audio", "Video", "Development", "Education", "Game", "Graphics",
    "Network", "Office", "Science", "Settings", "System", "Utility",
}  # fmt: skip
KNOWN_KEYS = {
    "Type", "Version", "Name", "GenericName", "NoDisplay", "Comment", "Icon", "Hidden", "OnlyShowIn",
    "NotShowIn", "DBusActivatable", "TryExec", "Exec", "Path", "Terminal", "Actions", "MimeType",
    "Categories", "Implements", "Keywords", "StartupNotify", "StartupWMClass", "PrefersNonDefaultGPU",
    "SingleMainWindow",
}  # fmt: skip
BOOLEAN_KEYS = {"NoDisplay", "Hidden", "DBusActivatable", "Terminal", "StartupNotify", "PrefersNonDefaultGPU"}
LIST_KEYS = {"OnlyShowIn", "NotShowIn", "Actions", "MimeType", "Categories", "Implements", "Keywords"}
KEY_LINE = re.compile(r"^(?P<key>[A-Za-z0-9-]+)(?P<locale>\[[^\]]+\])?\s*=\s*(?P<value>.*)$")


def parse_entry(text: str) -> dict[str, str]:
    """Parse the [Desktop Entry] group strictly: any malformed line or stray group fails the test."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert lines[0] == "[Desktop Entry]", "the first group must be [Desktop Entry]"
    entry: dict[str, str] = {}
    for line in lines[1:]:
        assert not line.startswith("["), f"unexpected group {line}"
        match = KEY_LINE.match(line)
        assert match, f"not a key=value line: {line!r}"
        key = match["key"] + (match["locale"] or "")
        assert key not in entry, f"duplicate key {key}"
        entry[key] = match["value"]
    return entry


def test_desktop_entry_is_valid() -> None:
    text = DESKTOP.read_text(encoding="utf-8")
    assert text.endswith("\n")
    entry = parse_entry(text)
    assert entry["Type"] == "Application"
    assert entry["Version"] in {"1.0", "1.1", "1.2", "1.3", "1.4", "1.5"}
    assert entry["Name"] == APP_NAME
    for key, value in entry.items():
        assert key.split("[")[0] in KNOWN_KEYS, f"unknown key {key}"
        if key in BOOLEAN_KEYS:
            assert value in {"true", "false"}, f"{key} must be true or false"
        if key in LIST_KEYS:
            assert value.endswith(";"), f"{key} is a list and must end with ';'"
    categories = entry["Categories"].rstrip(";").split(";")
    assert MAIN_CATEGORIES & set(categories), "needs one registered main category"
    assert entry["Terminal"] == "false"


def test_desktop_entry_names_the_installed_program_and_icon() -> None:
    entry = parse_entry(DESKTOP.read_text(encoding="utf-8"))
    assert entry["Exec"].split()[0] == APP_ID
    assert entry["TryExec"] == APP_ID
    # An icon-theme name, not a file: install.sh puts dear-export.png into every hicolor size.
    assert entry["Icon"] == APP_ID
    script = INSTALL.read_text(encoding="utf-8")
    assert "/apps/dear-export.png" in script
    assert "^Exec=" in script and "^TryExec=" in script
