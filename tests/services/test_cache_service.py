"""CacheService: one file per DEAR company, info, clear, and removal with the connection."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app import paths
from app.api import DearClient
from app.catalogue import get
from app.errors import AppError
from app.models import Connection, RateLimit
from app.sandbox import Sandbox
from app.services.cache import CacheService, cache_key, format_age, format_size
from app.wiring import user_services

ACCOUNT = "0b1f5a4e-2c4d-4e5f-8a9b-0c1d2e3f4a5b"
KEY = "9f8e7d6c-5b4a-4392-8172-6f5e4d3c2b1a"
ORDER_LINES = get("sale-order-lines")


def connection(
    name: str = "Main", account: str = ACCOUNT, url: str = "https://example.test/v2/"
) -> Connection:
    return Connection(name, account, KEY, base_url=url, rate_limit=RateLimit(100_000, 1.0))


def fill(service: CacheService, conn: Connection, records: int = 3) -> Path:
    """Give a connection a cache file holding ``records`` documents."""
    with service.open(conn) as cache:
        store = cache._store
        assert store is not None
        for n in range(records):
            store.put(
                "sale?id|Updated", f"id-{n}", "2026-01-01T00:00:00.0000000Z", {"n": n, "pad": "x" * 500}
            )
    return service.path_for(conn)


def test_the_data_folder_is_always_given_never_the_users_by_default(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        CacheService()  # type: ignore[call-arg]
    service = CacheService(tmp_path / "elsewhere")
    assert service.folder == tmp_path / "elsewhere" / "cache"
    fill(service, connection())
    assert [info.path.parent for info in service.info()] == [service.folder]


def test_one_file_per_company_named_without_the_key(app_home: Path) -> None:
    service = CacheService(paths.data_dir())
    path = service.path_for(connection())
    assert path.parent == app_home / "data" / "cache"
    assert path.name == cache_key(ACCOUNT, "https://example.test/v2/") + ".sqlite3"
    assert KEY not in path.name and ACCOUNT not in path.name
    # the same company however the URL or ID is typed; another company or server gets its own file
    assert service.path_for(connection("Other name", ACCOUNT.upper(), "https://EXAMPLE.test/v2")) == path
    assert service.path_for(connection(account="1" + ACCOUNT[1:])) != path
    assert service.path_for(connection(url="https://other.test/v2/")) != path


def test_info_reports_size_records_and_age(app_home: Path) -> None:
    service = CacheService(paths.data_dir())
    assert service.info() == []
    fill(service, connection("Main"), 4)
    fill(service, connection("Second", account="1" + ACCOUNT[1:]), 2)
    infos = service.info()
    assert [(i.connection, i.records) for i in infos] == [("Main", 4), ("Second", 2)]
    main = infos[0]
    assert main.size_bytes == main.path.stat().st_size > 0
    assert main.base_url == "https://example.test/v2/"
    assert main.last_saved is not None
    assert abs(datetime.now(UTC) - main.last_saved) < timedelta(minutes=1)
    assert main.age_text() == "just now"
    assert main.last_refreshed is None  # nothing was checked against a list yet
    assert main.size_text.endswith(("KB", "bytes"))


def test_info_uses_todays_connection_names(app_home: Path) -> None:
    store = user_services().connections
    store.add("Renamed company", ACCOUNT, KEY, base_url="https://example.test/v2/")
    service = CacheService(paths.data_dir(), connections=store)
    fill(service, connection("Old name"))
    assert [i.connection for i in service.info()] == ["Renamed company"]
    assert [i.connection for i in CacheService(paths.data_dir()).info()] == [
        "Old name"
    ]  # without the store: as saved


def test_clear_one_by_connection_or_name_or_everything(app_home: Path) -> None:
    service = CacheService(paths.data_dir())
    main = fill(service, connection("Main"))
    second = fill(service, connection("Second", account="1" + ACCOUNT[1:]))
    third = fill(service, connection("Third", account="2" + ACCOUNT[1:]))
    assert service.clear(connection("Main")) == 1
    assert not main.exists() and second.exists()
    assert service.clear(connection("Main")) == 0
    assert service.clear("second") == 1  # names match regardless of case
    assert not second.exists() and third.exists()
    assert service.clear("Nobody") == 0
    assert service.clear(None) == 1
    assert not third.exists()
    assert not list(service.folder.iterdir())  # no -wal or -shm files left either


def test_removing_a_connection_removes_its_cache(app_home: Path) -> None:
    store = user_services().connections
    store.add("Main", ACCOUNT, KEY, base_url="https://example.test/v2/")
    store.add("Other", "1" + ACCOUNT[1:], KEY, base_url="https://example.test/v2/")
    service = CacheService(paths.data_dir(), connections=store)
    service.attach(store)
    service.attach(store)  # once is enough; twice changes nothing
    assert store.on_removed.count(service.connection_removed) == 1
    main = fill(service, store.get("Main"))
    other = fill(service, store.get("Other"))
    store.remove("Main")
    assert not main.exists()
    assert other.exists()


def test_a_cache_shared_by_two_connections_stays_until_the_last_goes(app_home: Path) -> None:
    store = user_services().connections
    store.add("Main", ACCOUNT, KEY, base_url="https://example.test/v2/")
    store.add("Main (reports key)", ACCOUNT, KEY, base_url="https://example.test/v2/")
    service = CacheService(paths.data_dir(), connections=store)
    service.attach(store)
    path = fill(service, store.get("Main"))
    store.remove("Main")
    assert path.exists()
    store.remove("Main (reports key)")
    assert not path.exists()


def test_last_refreshed_follows_a_complete_pass(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None, counts={"sale": 10})
    conn = Connection("Sandbox", sb.account_id, sb.application_key, base_url=sb.base_url)
    conn = Connection(
        conn.name, conn.account_id, conn.application_key, conn.base_url, RateLimit(100_000, 1.0)
    )
    service = CacheService(paths.data_dir())
    with DearClient(conn) as client:
        rows = [
            row for batch in client.list_pager("saleList", "SaleList", id_field="SaleID") for row in batch
        ]
        listed = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
        with service.open(conn) as cache:
            assert cache.last_refreshed(ORDER_LINES) is None
            for _ in cache.fetch_details(client, ORDER_LINES, rows, listed_at=listed):
                pass
            assert cache.stats.checked_at == listed
            assert cache.last_refreshed(ORDER_LINES) == listed
            assert cache.known_records(ORDER_LINES) == 10
    (info,) = service.info()
    assert info.last_refreshed == listed and info.records == 10 and info.connection == "Sandbox"


@pytest.mark.parametrize(
    ("size", "text"), [(0, "0 bytes"), (900, "900 bytes"), (2048, "2.0 KB"), (5 * 1024**2, "5.0 MB")]
)
def test_sizes_in_words(size: int, text: str) -> None:
    assert format_size(size) == text


def test_ages_in_words() -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert format_age(None, now) == "never"
    assert format_age(now - timedelta(seconds=20), now) == "just now"
    assert format_age(now - timedelta(minutes=1), now) == "1 minute ago"
    assert format_age(now - timedelta(hours=5, minutes=3), now) == "5 hours ago"
    assert format_age(now - timedelta(days=3), now) == "3 days ago"


def test_info_reads_without_touching_files(app_home: Path) -> None:
    service = CacheService(paths.data_dir())
    service.folder.mkdir(parents=True)
    damaged = service.folder / ("0" * 32 + ".sqlite3")
    damaged.write_bytes(b"not a database" * 10)
    path = fill(service, connection("Main"), 2)
    with service.open(connection("Main")) as busy:  # an export is writing right now
        assert busy._store is not None
        busy._store.put("sale?id|Updated", "new", "2026-01-01T00:00:00.0000000Z", {"n": 9})
        busy._store.flush()
        infos = {info.path: info for info in service.info()}
        assert infos[path].records == 3
    assert infos[damaged].records == 0 and infos[damaged].connection == ""
    assert damaged.read_bytes() == b"not a database" * 10  # left alone: clearing removes it
    assert service.clear(None) == 2


def test_clearing_a_cache_in_use_says_so(app_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    service = CacheService(paths.data_dir())
    path = fill(service, connection("Main"))

    def locked(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "The process cannot access the file because it is being used", str(self))

    with monkeypatch.context() as patch, pytest.raises(AppError) as caught:
        patch.setattr(Path, "unlink", locked)  # what Windows does while an export has the file open
        service.clear(connection("Main"))
    assert "in use by an export" in caught.value.message
    assert "Wait for the export to finish" in caught.value.hint
    assert path.exists() and service.clear(connection("Main")) == 1
