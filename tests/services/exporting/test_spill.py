"""Sorting on disk: the same stable order as one sort, bounded memory, and no file left behind."""

from __future__ import annotations

import math
import os
import random
import time
from pathlib import Path

import pytest

from app.errors import Cancelled, ExportError
from app.models import CancelToken
from app.services.exporting.spill import (
    READ_BUFFER_BUDGET,
    SPILL_PREFIX,
    WRITE_BUFFER,
    SortedSpill,
    read_buffer_size,
    remove_stale_spills,
)

THREAD_IO = Path("/proc/thread-self/io")


def ours(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{SPILL_PREFIX}*"))


def test_runs_on_disk_merge_to_the_order_of_one_stable_sort(tmp_path: Path) -> None:
    rng = random.Random(3)
    # Few distinct keys, so many ties: stability across runs is what is being checked.
    items = [((rng.randrange(40), "x"), [position, {"nested": position}]) for position in range(5_003)]
    with SortedSpill[list[object]](run_weight=700, folder=tmp_path) as spill:
        for key, item in items:
            spill.add(key, item)
        assert len(spill) == len(items)
        assert len(ours(tmp_path)) == 7  # 5,003 rows past a bound of 700 went to disk
        expected = [item for _, item in sorted(items, key=lambda pair: pair[0])]
        assert list(spill.items()) == expected
        assert list(spill.items()) == expected  # and can be read again
        if os.name == "posix":
            assert all(path.stat().st_mode & 0o077 == 0 for path in ours(tmp_path))  # the user's only
    assert ours(tmp_path) == []


def test_a_short_list_never_touches_the_disk(tmp_path: Path) -> None:
    with SortedSpill[str](run_weight=100, folder=tmp_path) as spill:
        for word in ("pear", "apple", "fig"):
            spill.add(word, word.upper())
        assert list(spill.items()) == ["APPLE", "FIG", "PEAR"]
        assert spill.files == ()


def test_files_go_on_an_error_or_a_cancel_half_way_through_reading(tmp_path: Path) -> None:
    cancel = CancelToken()
    with pytest.raises(Cancelled), SortedSpill[int](run_weight=10, folder=tmp_path, cancel=cancel) as spill:
        for number in range(5_000):
            spill.add(-number, number)
        for count, _ in enumerate(spill.items()):
            if count == 1_200:
                cancel.cancel()
    assert ours(tmp_path) == []
    with pytest.raises(RuntimeError), SortedSpill[int](run_weight=10, folder=tmp_path) as spill:
        for number in range(100):
            spill.add(number, number)
        raise RuntimeError("boom")
    assert ours(tmp_path) == []


def test_an_unusable_temporary_folder_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "gone"
    with pytest.raises(ExportError) as caught, SortedSpill[int](run_weight=2, folder=missing) as spill:
        for number in range(3):
            spill.add(number, number)
    assert str(missing) in caught.value.message


def test_files_left_by_a_killed_export_are_removed_by_a_later_one(tmp_path: Path) -> None:
    old = tmp_path / f"{SPILL_PREFIX}dead.tmp"
    fresh = tmp_path / f"{SPILL_PREFIX}running.tmp"
    other = tmp_path / "someone-elses.tmp"
    for path in (old, fresh, other):
        path.write_bytes(b"x")
    week_ago = time.time() - 7 * 24 * 3600
    os.utime(old, (week_ago, week_ago))
    os.utime(other, (week_ago, week_ago))
    assert remove_stale_spills(tmp_path) == 1
    assert not old.exists() and fresh.exists() and other.exists()


def system_calls() -> tuple[int, int]:
    """Read and write system calls this thread has made so far (Linux)."""
    fields = dict(line.split(": ") for line in THREAD_IO.read_text().splitlines())
    return int(fields["syscr"]), int(fields["syscw"])


@pytest.mark.skipif(not THREAD_IO.exists(), reason="counts system calls through Linux's /proc")
def test_runs_go_to_disk_and_come_back_in_few_system_calls(tmp_path: Path) -> None:
    # Each system call hands the interpreter lock over; one every few rows (4 KB reads) kept
    # the window's thread from getting it for 50-130 ms at a time while rows were merged.
    rng = random.Random(5)
    rows = [
        [f"TX-{number:07d}", "2026-03-01T00:00:00", rng.random() * 1000, "Sales account", number, "AUD"] * 2
        for number in range(20_000)
    ]
    rng.shuffle(rows)
    with SortedSpill[list[object]](run_weight=5_000, folder=tmp_path) as spill:
        _, writes = system_calls()
        for row in rows:
            spill.add(row[0], row, values=len(row))
        runs = len(spill.files)
        sizes = [path.stat().st_size for path in spill.files]
        reads_adding, writes_adding = system_calls()
        merged = list(spill.items())
        reads_merging, writes_merging = system_calls()
    assert runs == 4 and sum(sizes) > 1_000_000  # with 4 KB at a time: 250 calls or more each way
    assert merged == sorted(rows, key=lambda row: row[0])
    # A call or two per buffer's worth (and two at the end of a file), not one per block of rows.
    assert writes_adding - writes <= sum(math.ceil(size / WRITE_BUFFER) + 1 for size in sizes)
    buffer = read_buffer_size(runs)
    assert reads_merging - reads_adding <= sum(2 * math.ceil(size / buffer) + 2 for size in sizes)
    assert writes_merging == writes_adding


def test_the_read_buffer_shares_a_fixed_budget_within_bounds() -> None:
    assert read_buffer_size(1) == read_buffer_size(8) == 256 * 1024
    assert read_buffer_size(16) == READ_BUFFER_BUDGET // 16
    assert read_buffer_size(10_000) == 64 * 1024  # very many runs: still hundreds of rows per call
