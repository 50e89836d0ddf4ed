"""``dear-export cache info`` and ``cache clear [--connection NAME]``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli, paths
from app.errors import EXIT_OK, EXIT_USAGE
from app.models import Connection
from app.services.cache import CacheService
from app.wiring import user_services

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "0b1f5a4e-2c4d-4e5f-8a9b-0c1d2e3f4a5b"
OTHER_ACCOUNT = "1b1f5a4e-2c4d-4e5f-8a9b-0c1d2e3f4a5b"
KEY = "9f8e7d6c-5b4a-4392-8172-6f5e4d3c2b1a"
URL = "https://example.test/ExternalApi/v2/"


def run(*argv: str) -> int:
    return cli.dispatch(cli.parse(list(argv)))


def fill(name: str, account: str, records: int) -> Path:
    conn = Connection(name, account, KEY, base_url=URL)
    service = CacheService(paths.data_dir())
    with service.open(conn) as cache:
        store = cache._store
        assert store is not None
        for n in range(records):
            store.put("sale?id|Updated", f"id-{n}", "2026-01-01T00:00:00.0000000Z", {"n": n})
    return service.path_for(conn)


def test_info_with_no_cache(capsys: pytest.CaptureFixture[str], app_home: Path) -> None:
    assert run("cache", "info") == EXIT_OK
    out = capsys.readouterr().out
    assert "There is no local cache yet" in out
    assert str(app_home / "data" / "cache") in out


def test_info_lists_each_connection(capsys: pytest.CaptureFixture[str]) -> None:
    user_services().connections.add("Main company", ACCOUNT, KEY, base_url=URL)
    fill("Main company", ACCOUNT, 1234)
    fill("Branch", OTHER_ACCOUNT, 2)
    assert run("cache", "info") == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Connection", "Records", "Size", "Last", "updated"]
    branch = next(line for line in lines if line.startswith("Branch"))
    main = next(line for line in lines if line.startswith("Main company"))
    assert " 2 " in branch and "just now" in branch
    assert "1,234" in main and "just now" in main
    assert KEY not in "\n".join(lines)


def test_info_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    path = fill("Main company", ACCOUNT, 3)
    assert run("cache", "info", "--json") == EXIT_OK
    (item,) = json.loads(capsys.readouterr().out)
    assert item["connection"] == "Main company"
    assert item["records"] == 3
    assert item["file"] == str(path)
    assert item["size_bytes"] == path.stat().st_size
    assert item["last_saved"] is not None and item["last_refreshed"] is None


def test_clear_one_connection(capsys: pytest.CaptureFixture[str]) -> None:
    user_services().connections.add("Main company", ACCOUNT, KEY, base_url=URL)
    main = fill("Main company", ACCOUNT, 3)
    branch = fill("Branch", OTHER_ACCOUNT, 2)
    assert run("cache", "clear", "--connection", "Main company") == EXIT_OK
    assert "Cleared the local cache of 'Main company'" in capsys.readouterr().out
    assert not main.exists() and branch.exists()
    # the connection still exists, its cache is simply gone
    assert run("cache", "clear", "--connection", "Main company") == EXIT_OK
    assert "There was no local cache for 'Main company'" in capsys.readouterr().out
    # a cache whose connection was deleted elsewhere is still found by its saved name
    assert run("cache", "clear", "--connection", "Branch") == EXIT_OK
    assert not branch.exists()


def test_clear_an_unknown_name_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    fill("Main company", ACCOUNT, 1)
    assert run("cache", "clear", "--connection", "Nobody") == EXIT_USAGE
    err = capsys.readouterr().err
    assert "no connection or local cache named 'Nobody'" in err


def test_clear_everything(capsys: pytest.CaptureFixture[str]) -> None:
    fill("Main company", ACCOUNT, 1)
    fill("Branch", OTHER_ACCOUNT, 1)
    assert run("cache", "clear") == EXIT_OK
    assert "Cleared 2 local caches" in capsys.readouterr().out
    assert run("cache", "clear") == EXIT_OK
    assert "There was no local cache to clear" in capsys.readouterr().out
    assert not any(CacheService(paths.data_dir()).folder.iterdir())


def test_the_real_command_line(app_home: Path) -> None:
    fill("Main company", ACCOUNT, 5)
    env = {**os.environ, "DEAR_EXPORT_HOME": str(app_home), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "app", "cache", "info"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if line.startswith("Main company"))
    assert row.split()[2] == "5"  # Connection (two words), Records, Size, ...
