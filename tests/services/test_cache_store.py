"""The cache's SQLite file and timestamp spelling, without any DEAR traffic."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.services.cache_codec import decode_document, encode_document
from app.services.cache_db import SCHEMA_VERSION, CacheStore, CacheUnavailable
from app.services.cache_files import remove_cache_files
from app.services.cache_stamps import canonical_stamp, parse_stamp

# ---------------------------------------------------------------------------- timestamps


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2018-01-24T05:07:23.917Z", "2018-01-24T05:07:23.9170000Z"),
        ("2018-01-24T05:07:23.9170Z", "2018-01-24T05:07:23.9170000Z"),
        ("2017-11-22T10:10:49.75Z", "2017-11-22T10:10:49.7500000Z"),
        ("2026-08-28T12:59:44.05", "2026-08-28T12:59:44.0500000Z"),  # purchase list: no Z
        ("2026-08-28T12:59:44Z", "2026-08-28T12:59:44.0000000Z"),
        ("2017-12-05T06:54:54.9289846Z", "2017-12-05T06:54:54.9289846Z"),
        ("2026-08-28T14:59:44.05+02:00", "2026-08-28T12:59:44.0500000Z"),
        ("  2026-08-28T12:59:44.050z ", "2026-08-28T12:59:44.0500000Z"),
    ],
)
def test_one_instant_has_one_spelling(raw: str, expected: str) -> None:
    assert canonical_stamp(raw) == expected


def test_different_instants_stay_different() -> None:
    assert canonical_stamp("2026-08-28T12:59:44.05") != canonical_stamp("2026-08-28T12:59:44.051")


def test_missing_and_odd_values() -> None:
    assert canonical_stamp(None) is None
    assert canonical_stamp("") is None
    assert canonical_stamp("   ") is None
    assert canonical_stamp("yesterday") == "yesterday"  # compared exactly; never equal to a real stamp
    assert parse_stamp("yesterday") is None


def test_datetime_values_and_parsing() -> None:
    moment = datetime(2026, 11, 27, 6, 0, 1, 250000, tzinfo=UTC)
    assert canonical_stamp(moment) == "2026-11-27T06:00:01.2500000Z"
    assert parse_stamp("2026-11-27T06:00:01.25Z") == moment


# ---------------------------------------------------------------------------- codec


def test_documents_round_trip_with_their_types() -> None:
    document = {
        "ID": "a",
        "Quantity": 2,
        "Price": 1.25,
        "Exact": Decimal("25.2803"),
        "Empty": None,
        "Blank": "",
        "Name": 'Māori ☕ עברית =HYPERLINK("x")',
        "Lines": [{"Qty": Decimal("1.0000000000"), "Flag": True}],
    }
    back = decode_document(encode_document(document))
    assert back == document
    assert isinstance(back["Exact"], Decimal) and str(back["Exact"]) == "25.2803"
    assert isinstance(back["Lines"][0]["Qty"], Decimal) and str(back["Lines"][0]["Qty"]) == "1.0000000000"
    assert isinstance(back["Quantity"], int) and isinstance(back["Price"], float)
    assert list(back) == list(document)  # key order is kept, so columns come out the same


def test_unknown_types_are_refused() -> None:
    with pytest.raises(TypeError):
        encode_document({"when": datetime.now(UTC)})


# ---------------------------------------------------------------------------- the file


def _count_on_disk(path: Path) -> int:
    # A second connection sees only committed rows: what survives a crash.
    with sqlite3.connect(path) as other:
        return int(other.execute("SELECT COUNT(*) FROM details").fetchone()[0])


def test_documents_are_committed_in_small_batches(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    store = CacheStore(path, batch_size=3, batch_seconds=3600)
    store.put("sale?id|Updated", "a", "s1", {"n": 1})
    store.put("sale?id|Updated", "b", "s1", {"n": 2})
    assert _count_on_disk(path) == 0
    store.put("sale?id|Updated", "c", "s1", {"n": 3})
    assert _count_on_disk(path) == 3
    store.put("sale?id|Updated", "d", "s1", {"n": 4})
    assert _count_on_disk(path) == 3
    store.flush()
    assert _count_on_disk(path) == 4
    store.close()
    store.close()  # twice is fine


def test_entries_and_load(tmp_path: Path) -> None:
    with CacheStore(tmp_path / "c.sqlite3") as store:
        ids = [f"id-{n}" for n in range(1200)]  # more than one IN-chunk
        for n, record_id in enumerate(ids):
            store.put("src", record_id, f"stamp-{n}", {"n": n})
        store.put("other", "id-1", "x", {"n": -1})
        found = store.entries("src", [*ids, "missing"])
        assert len(found) == 1200
        assert found["id-1100"].modified == "stamp-1100"
        assert parse_stamp(found["id-0"].fetched_at) is not None
        assert store.load("src", "id-7") == {"n": 7}
        assert store.load("other", "id-1") == {"n": -1}
        assert store.load("src", "missing") is None
        store.put("src", "id-7", "stamp-new", {"n": 70})  # a newer version replaces the old one
        assert store.entries("src", ["id-7"])["id-7"].modified == "stamp-new"
        assert store.load("src", "id-7") == {"n": 70}
        assert dict(store.iter_sources()) == {"other": 1, "src": 1200}


def test_refresh_marks_and_summary(tmp_path: Path) -> None:
    with CacheStore(tmp_path / "c.sqlite3") as store:
        assert store.refreshed_at("src") is None
        assert store.summary() == (0, None, None)
        store.put("src", "a", "s", {})
        store.mark_refreshed("src", "2026-11-27T06:00:00.0000000Z", 1)
        count, newest, refreshed = store.summary()
        assert count == 1 and newest is not None
        assert refreshed == "2026-11-27T06:00:00.0000000Z"
        assert store.refreshed_at("src") == refreshed


def test_a_damaged_file_is_set_aside_and_replaced_by_an_empty_cache(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with CacheStore(path) as store:
        assert store.summary()[0] == 0
        store.put("src", "a", "s", {"ok": True})
    with CacheStore(path) as store:
        assert store.load("src", "a") == {"ok": True}
    (aside,) = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert aside.name.startswith("c.sqlite3.damaged-")
    assert aside.read_bytes().startswith(b"this is not a database")
    remove_cache_files(path)  # "cache clear" takes the damaged copy too
    assert list(tmp_path.iterdir()) == []


def test_a_busy_file_is_not_taken_for_a_damaged_one(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with CacheStore(path) as store:
        store.put("src", "a", "s", {"ok": True})
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another export holds the file for longer than we wait
    try:
        with pytest.raises(CacheUnavailable, match="locked"):
            CacheStore(path, busy_seconds=0.1)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert not [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    with CacheStore(path) as store:
        assert store.load("src", "a") == {"ok": True}


def test_another_layout_is_started_again(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with CacheStore(path) as store:
        store.put("src", "a", "s", {"ok": True})
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value='0' WHERE key='schema'")
    with CacheStore(path) as store:
        assert store.summary()[0] == 0
        assert store.get_meta("schema") == SCHEMA_VERSION


def test_the_file_uses_wal_and_closing_folds_it_back(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    store = CacheStore(path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.put("src", "a", "s", {"ok": True})
    store.close()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    remove_cache_files(path)
    assert not path.exists()
    remove_cache_files(path)  # nothing left: still fine
