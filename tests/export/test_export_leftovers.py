"""Leftovers of a killed save (ours, recognisably named) are removed by the next save; nothing else."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

from app.export import open_writer
from app.export.atomic import computer_tag
from app.models import ColumnSpec, OutputFormat

HOUR = 3600.0


def _age(path: Path, seconds: float) -> None:
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


def _export(target: Path) -> None:
    with open_writer(target, OutputFormat.XLSX) as writer:
        writer.add_sheet("S", [ColumnSpec("n", "N")]).write_row(["1"])


def test_a_killed_saves_leftovers_go_and_everything_else_stays(
    tmp_path: Path, temp_folder: Path, dead_pid: int
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    live = os.getpid()
    here = computer_tag()
    elsewhere = "ffff" if here != "ffff" else "eeee"
    killed = [
        out / f".sales.xlsx.partial-{here}-{dead_pid}-0a1b2c3d",  # a run that was killed while saving
        out / f".stock.csv.partial-{here}-{dead_pid}-4e5f6a7b",  # ... of another export, same folder
        out / ".sales.xlsx.partial-1a2b3c4d",  # the older naming (no process ID), hours old
        out / f".shared.xlsx.partial-{elsewhere}-{dead_pid}-5a6b7c8d",  # another computer's, hours old
    ]
    for path in killed:
        path.write_bytes(b"half a workbook")
    _age(killed[2], 2 * HOUR)
    _age(killed[3], 2 * HOUR)
    kept = [
        out / "sales.xlsx",  # the user's files, whatever they are called
        out / "notes.partial-1.txt",
        out / ".hidden",
        out / f".other.xlsx.partial-{here}-{live}-9f8e7d6c",  # a save still running in a live process
        out / ".fresh.xlsx.partial-5d6e7f80",  # older naming, but just written: may be running
        # another computer's save into a shared folder: its process IDs mean nothing here
        out / f".shared.xlsx.partial-{elsewhere}-{dead_pid}-9a8b7c6d",
    ]
    for path in kept:
        path.write_bytes(b"keep me")
    scratch = temp_folder / f"dear-export-{dead_pid}-abc123"
    scratch.mkdir()
    (scratch / "sheet1.xml").write_bytes(b"<row/>" * 1000)
    running = temp_folder / f"dear-export-{live}-def456"
    running.mkdir()
    (running / "sheet1.xml").write_bytes(b"<row/>")
    others = [temp_folder / "openpyxl.x1y2z3.xml", temp_folder / "dear-export-notes.txt"]
    for path in others:
        path.write_bytes(b"not ours to remove")

    _export(out / "report.xlsx")

    assert not [path.name for path in killed if path.exists()]
    assert all(path.read_bytes() == b"keep me" for path in kept)
    assert not scratch.exists()
    assert (running / "sheet1.xml").exists()
    assert all(path.exists() for path in others)
    assert sorted(p.name for p in out.iterdir()) == sorted([*(p.name for p in kept), "report.xlsx"])
    assert sorted(p.name for p in temp_folder.iterdir()) == sorted([running.name, *(p.name for p in others)])


def test_a_save_leaves_no_folder_of_its_own_in_the_temporary_folder(
    tmp_path: Path, temp_folder: Path
) -> None:
    _export(tmp_path / "report.xlsx")
    assert list(temp_folder.iterdir()) == []


def test_a_writer_dropped_without_commit_or_discard_leaves_no_folder(
    tmp_path: Path, temp_folder: Path
) -> None:
    writer = open_writer(tmp_path / "report.xlsx", OutputFormat.XLSX)
    writer.add_sheet("S", [ColumnSpec("n", "N")]).write_row(["1"])
    assert list(temp_folder.iterdir())
    del writer
    gc.collect()
    assert list(temp_folder.iterdir()) == []
