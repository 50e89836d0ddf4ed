"""Sorting on disk: the same stable order as one sort, bounded memory, and no file left behind."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from app.errors import Cancelled, ExportError
from app.models import CancelToken
from app.services.exporting.spill import SPILL_PREFIX, SortedSpill, remove_stale_spills


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
