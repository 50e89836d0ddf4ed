"""Load the packaging scripts for the tests beside this file (build/ is a folder of scripts, no package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"


def load_script(relative: str) -> ModuleType:
    """Import one script under build/ by path, once per test session."""
    path = BUILD / relative
    name = "_packaging_" + path.stem
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def build_bundle() -> ModuleType:
    return load_script("build_bundle.py")


@pytest.fixture(scope="session")
def make_icons() -> ModuleType:
    return load_script("make_icons.py")


@pytest.fixture(scope="session")
def make_tarball() -> ModuleType:
    return load_script("linux/make_tarball.py")
