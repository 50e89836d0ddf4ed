"""Merging the progress of companies read side by side: a line each, counts added, the slowest's time."""

from __future__ import annotations

from app.models import Progress
from app.services.exporting.company_progress import CompanyBoard
from app.services.exporting.progress import ProgressFeed


def board_with_events() -> tuple[CompanyBoard, list[Progress]]:
    events: list[Progress] = []
    board = CompanyBoard(ProgressFeed(events.append, interval=0.0), ["North", "South"])
    return board, events


def test_each_company_has_its_line_counts_add_up_and_time_left_is_the_slowest() -> None:
    board, events = board_with_events()
    board.lane(0).push(Progress("details", "Reading sales: 5 of 10", 5, 10, calls_used=7, seconds_left=4.0))
    board.lane(1).push(
        Progress("listing", "Reading the list of sales", 0, None, calls_used=1, seconds_left=9.0)
    )
    last = events[-1]
    assert last.companies == ("North: Reading sales: 5 of 10", "South: Reading the list of sales")
    assert last.message == "North: Reading sales: 5 of 10\nSouth: Reading the list of sales"
    assert (last.records_done, last.records_total, last.calls_used) == (5, 10, 8)
    assert last.seconds_left == 9.0  # side by side: the slowest company, not the sum
    assert last.phase == "listing"  # the least advanced company


def test_a_wait_is_the_whole_export_s_only_when_every_company_waits() -> None:
    board, events = board_with_events()
    board.lane(0).push(Progress("waiting", "DEAR limits us; continuing in 5 s", waiting_seconds=5.0))
    board.lane(1).push(Progress("details", "Reading sales: 1 of 3", 1, 3))
    assert events[-1].phase == "details" and events[-1].waiting_seconds == 0.0
    board.lane(1).push(Progress("waiting", "DEAR limits us; continuing in 3 s", waiting_seconds=3.0))
    assert events[-1].phase == "waiting" and events[-1].waiting_seconds == 3.0


def test_an_ended_company_keeps_its_line_and_leaves_the_phase_to_the_others() -> None:
    board, events = board_with_events()
    board.lane(0).push(Progress("details", "Reading sales: 10 of 10", 10, 10))
    board.lane(1).push(Progress("waiting", "DEAR limits us; continuing in 2 s", waiting_seconds=2.0))
    board.end(0, "read, 31 rows")
    assert events[-1].companies[0] == "North: read, 31 rows"
    assert events[-1].phase == "waiting"  # the only company still reading waits
    assert board.lines()[1] == "South: DEAR limits us; continuing in 2 s"
