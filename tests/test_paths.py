"""The default export folder: Documents when it exists, else the home folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import paths


@pytest.fixture
def fresh_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user whose home has no Documents folder, and no test override of the folders."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.delenv("DEAR_EXPORT_HOME", raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: home))
    monkeypatch.setattr(paths.platformdirs, "user_documents_dir", lambda: str(home / "Documents"))
    return home


def test_documents_when_it_exists_else_home(fresh_account: Path) -> None:
    assert paths.documents_dir() == fresh_account
    (fresh_account / "Documents").mkdir()
    assert paths.documents_dir() == fresh_account / "Documents"


def test_nearest_existing_folder(tmp_path: Path, fresh_account: Path) -> None:
    assert paths.nearest_existing_folder(tmp_path / "a" / "b") == tmp_path
    assert paths.nearest_existing_folder(tmp_path) == tmp_path
    assert paths.nearest_existing_folder(Path("/definitely/not/here")) == Path("/")
