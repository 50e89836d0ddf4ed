"""``python -m app connections ...`` end to end: real parser, real keyring wrapper, real sandbox."""

from __future__ import annotations

import io
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from app.main import run
from app.sandbox import COMPANY, Sandbox
from app.services.credentials import SERVICE_NAME
from app.wiring import user_services

ACCOUNT = "0c6f5a8e-1111-4a2b-9c3d-2e4f6a8b0c1d"
KEY = "b7d1e2f3-a4b5-46c7-98d9-0a1b2c3d4e5f"


@pytest.fixture(autouse=True)
def fresh_logging() -> Iterator[None]:
    """Let each run configure logging into this test's own app home, then undo it."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    flag = root.__dict__.pop("_dear_export_configured", None)
    yield
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    root.__dict__.pop("_dear_export_configured", None)
    if flag is not None:
        root.__dict__["_dear_export_configured"] = flag


def _cli(monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return run(list(argv))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_add_reads_the_key_from_stdin_and_tests_it(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], memory_keyring: Any
) -> None:
    code = _cli(
        monkeypatch,
        "connections", "add", "Demo Co", "--account-id", sandbox.account_id,
        "--base-url", sandbox.base_url, "--rate-limit", "30/60",
        stdin=f"{sandbox.application_key}\nignored second line\n",
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Saved connection 'Demo Co'." in out
    assert f"Connected to {COMPANY}." in out
    assert sandbox.application_key not in out + err
    info = user_services().connections.info("Demo Co")
    assert memory_keyring.entries == {(SERVICE_NAME, info.id): sandbox.application_key}
    assert str(info.rate_limit) == "30/60"


def test_add_with_a_hidden_prompt_on_a_terminal(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts: list[str] = []

    def fake_getpass(prompt: str) -> str:
        prompts.append(prompt)
        return sandbox.application_key

    monkeypatch.setattr("sys.stdin", _Terminal(f"{sandbox.account_id}\n"))
    monkeypatch.setattr("getpass.getpass", fake_getpass)
    code = run(["connections", "add", "Demo Co", "--base-url", sandbox.base_url])
    out, _ = capsys.readouterr()
    assert code == 0
    assert prompts == ["Application Key (typing is hidden): "]
    assert "Account ID: " in out  # asked for on the terminal, not given as an option
    assert user_services().connections.get("Demo Co").account_id == sandbox.account_id


def test_the_key_is_never_taken_from_the_arguments(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], memory_keyring: Any
) -> None:
    code = _cli(monkeypatch, "connections", "add", "Acme", "--account-id", ACCOUNT, "--key", KEY, stdin=KEY)
    _, err = capsys.readouterr()
    assert code == 2
    assert "never typed on the command line" in err
    assert KEY not in err
    assert memory_keyring.entries == {}


@pytest.mark.parametrize(
    ("argv", "stdin", "words"),
    [
        (["--account-id", ACCOUNT], "\n", "No Application Key was given."),
        ([], KEY, "The Account ID is missing."),
        (["--account-id", ACCOUNT, "--rate-limit", "fast"], KEY, "'fast' is not a rate limit"),
    ],
)
def test_add_usage_problems_exit_2(
    argv: list[str],
    stdin: str,
    words: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = _cli(monkeypatch, "connections", "add", "Acme", "--no-test", *argv, stdin=stdin)
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("Error: ")
    assert words in err
    assert user_services().connections.list() == []


def test_without_a_keyring_add_explains_and_asks_for_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    keyring.set_keyring(fail.Keyring())
    stdin = io.StringIO(KEY)
    monkeypatch.setattr("sys.stdin", stdin)
    code = run(["connections", "add", "Acme", "--account-id", ACCOUNT])
    _, err = capsys.readouterr()
    assert code == 2
    assert "Application Keys cannot be stored safely" in err
    assert "DEAR_ACCOUNT_ID and DEAR_APPLICATION_KEY environment variables" in err
    assert "session only" not in err  # a command line cannot keep one
    assert stdin.tell() == 0  # the key was not even read
    capsys.readouterr()
    assert run(["connections", "list"]) == 0
    assert "Keys are stored in: Nowhere safe" in capsys.readouterr().out


def test_list_rename_remove(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], memory_keyring: Any
) -> None:
    for name in ("Beta", "Acme"):
        _cli(
            monkeypatch,
            "connections",
            "add",
            name,
            "--account-id",
            f"acc-{name}",
            "--no-test",
            stdin=f"{KEY}-{name}",
        )
    capsys.readouterr()
    assert run(["connections", "list"]) == 0
    out = capsys.readouterr().out
    assert out.index("Acme") < out.index("Beta")
    assert "Account ID acc-Acme" in out and "limit 60/60" in out
    assert KEY not in out

    assert run(["connections", "rename", "acme", "Acme NZ"]) == 0
    assert "Renamed the connection to 'Acme NZ'." in capsys.readouterr().out

    acme = user_services().connections.info("Acme NZ")
    cache_file = user_services().cache.path_for(acme)
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_bytes(b"")
    assert run(["connections", "remove", "Acme NZ"]) == 0
    assert "Removed connection 'Acme NZ'" in capsys.readouterr().out
    assert not cache_file.exists()  # the cache's clean-up hook ran
    assert [key[1] for key in memory_keyring.entries] == [user_services().connections.info("Beta").id]

    assert run(["connections", "remove", "Acme NZ"]) == 2
    assert "No connection named 'Acme NZ'. Saved connections: 'Beta'." in capsys.readouterr().err


def test_update_with_a_new_key(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _cli(monkeypatch, "connections", "add", "Acme", "--account-id", ACCOUNT, "--no-test", stdin=KEY)
    code = _cli(
        monkeypatch,
        "connections",
        "update",
        "Acme",
        "--new-key",
        "--rate-limit",
        "10/60",
        stdin="new-key-123\n",
    )
    assert code == 0
    connection = user_services().connections.get("Acme")
    assert connection.application_key == "new-key-123"
    assert str(connection.rate_limit) == "10/60"
    assert connection.account_id == ACCOUNT


def test_test_command_exit_codes(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    store = user_services().connections
    store.add("Good", sandbox.account_id, sandbox.application_key, base_url=sandbox.base_url)
    store.add("Wrong key", sandbox.account_id, KEY, base_url=sandbox.base_url)
    store.add("Offline", ACCOUNT, KEY, base_url=f"http://127.0.0.1:{closed_port}/ExternalApi/v2/")

    assert run(["connections", "test", "good"]) == 0
    assert capsys.readouterr().out.strip() == f"Connected to {COMPANY}."
    assert run(["connections", "test", "Wrong key"]) == 3
    err = capsys.readouterr().err
    assert "DEAR did not accept the Account ID and Application Key of 'Wrong key'." in err
    assert run(["connections", "test", "Offline"]) == 4
    assert f"Could not reach DEAR at 127.0.0.1:{closed_port}." in capsys.readouterr().err
    assert run(["connections", "test", "Nobody"]) == 2
    assert "No connection named 'Nobody'" in capsys.readouterr().err


def test_log_file_never_holds_the_key(
    app_home: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _cli(monkeypatch, "connections", "add", "Demo", "--account-id", sandbox.account_id, "--base-url",
         sandbox.base_url, stdin=sandbox.application_key)  # fmt: skip
    run(["connections", "test", "Demo"])
    logs = list((app_home / "logs").glob("*.log"))
    assert logs, "the run should log to the user log folder"
    text = "".join(p.read_text(encoding="utf-8") for p in logs)
    assert "Saved connection 'Demo'" in text
    assert sandbox.application_key not in text


def test_update_needs_something_to_change_and_a_known_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(monkeypatch, "connections", "update", "Acme") == 2
    assert "Nothing to change was given." in capsys.readouterr().err
    stdin = io.StringIO(KEY)
    monkeypatch.setattr("sys.stdin", stdin)
    assert run(["connections", "update", "Acme", "--new-key"]) == 2
    assert "No connection named 'Acme'" in capsys.readouterr().err
    assert stdin.tell() == 0


def test_a_settings_file_that_is_not_utf8_is_set_aside_and_the_command_runs(
    app_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = app_home / "config" / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_bytes(b'\xff\xfe{\x00"\x00c\x00o\x00n\x00')
    assert _cli(monkeypatch, "connections", "list") == 0
    _, err = capsys.readouterr()
    assert "The settings file was damaged, so default settings are used." in err
    assert "Traceback" not in err
    assert len(list(settings.parent.glob("settings.json.damaged-*"))) == 1
