"""Where things live: bundled resources and the user's own folders (stdlib + platformdirs).

Every folder here is per-user and portable (Windows, macOS, Linux). Tests point the
whole app at a temporary tree with the ``DEAR_EXPORT_HOME`` environment variable.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from app import APP_ID, ORG_NAME

_HOME_OVERRIDE = "DEAR_EXPORT_HOME"


def is_frozen() -> bool:
    """Tell whether we run inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False))


def resources_dir() -> Path:
    """Return the folder that holds icons and other bundled files."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(name: str) -> Path:
    """Return the path of one bundled resource, for example ``icons/app.png``."""
    return resources_dir() / name


def _user_dir(kind: str) -> Path:
    override = os.environ.get(_HOME_OVERRIDE)
    if override:
        path = Path(override) / kind
    elif kind == "config":
        path = Path(platformdirs.user_config_dir(APP_ID, ORG_NAME))
    elif kind == "data":
        path = Path(platformdirs.user_data_dir(APP_ID, ORG_NAME))
    elif kind == "logs":
        path = Path(platformdirs.user_log_dir(APP_ID, ORG_NAME))
    else:
        path = Path(platformdirs.user_cache_dir(APP_ID, ORG_NAME))
    # why: settings, company data and logs are the user's alone (Windows: the profile keeps
    # others out already; the mode only applies to a folder created now)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """Return the folder for settings, connection names (never keys) and presets."""
    return _user_dir("config")


def data_dir() -> Path:
    """Return the folder for the local cache of DEAR records (company data: per user only)."""
    return _user_dir("data")


def log_dir() -> Path:
    """Return the folder for log files of window sessions and unattended runs."""
    return _user_dir("logs")


def documents_dir() -> Path:
    """Return the user's Documents folder, the default place for exports (home when there is none).

    A fresh account may have no Documents folder (platformdirs names it anyway); exports then go
    to the home folder, which always exists, so the first export and "Browse…" both start there.
    """
    override = os.environ.get(_HOME_OVERRIDE)
    if override:
        path = Path(override) / "Documents"
        path.mkdir(parents=True, exist_ok=True)
        return path
    documents = Path(platformdirs.user_documents_dir())
    return documents if documents.is_dir() else Path.home()


def nearest_existing_folder(path: Path) -> Path:
    """Return ``path`` if it is a folder, else its closest parent that exists (the home folder if none)."""
    for candidate in (path, *path.parents):
        if candidate.is_dir():
            return candidate
    return Path.home()
