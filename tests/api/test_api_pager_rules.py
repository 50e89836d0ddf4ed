"""The pager's stopping rules, fed by a small in-memory fake of DEAR's list answers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from app.api.paging import ListPager
from app.models import CancelToken


class FakeList:
    """Answers ``Page``/``Limit`` requests from a list; ``grow`` adds rows after a given page."""

    def __init__(self, rows: int, *, with_total: bool = True, grow: tuple[int, int] | None = None) -> None:
        self.rows = [{"ID": f"ID-{i:04d}"} for i in range(rows)]
        self.with_total = with_total
        self.grow = grow
        self.requested: list[int] = []

    def get(
        self, path: str, params: Mapping[str, Any] | None = None, *, cancel: CancelToken | None = None
    ) -> Any:
        assert params is not None
        page, limit = int(params["Page"]), int(params["Limit"])
        self.requested.append(page)
        chosen = self.rows[(page - 1) * limit : page * limit]
        if self.grow and page == self.grow[0]:
            start = len(self.rows)
            self.rows += [{"ID": f"ID-{i:04d}"} for i in range(start, start + self.grow[1])]
        body: dict[str, Any] = {"Page": page, "ThingList": chosen}
        if self.with_total:
            body["Total"] = len(self.rows)
        return body

    def map_ordered(
        self, fn: Callable[[int, CancelToken], Any], items: Iterable[int], cancel: CancelToken | None
    ) -> Iterator[tuple[int, Any]]:
        token = cancel or CancelToken()
        for item in items:
            yield item, fn(item, token)


def walk(source: FakeList, page_size: int) -> tuple[list[str], Any]:
    pager = ListPager(source, "things", "ThingList", page_size=page_size)
    ids = [row["ID"] for batch in pager for row in batch]
    return ids, pager.stats


def test_without_total_pages_until_a_short_page() -> None:
    source = FakeList(25, with_total=False)
    ids, stats = walk(source, 10)
    assert len(ids) == 25 == len(set(ids))
    assert source.requested == [1, 2, 3]
    assert stats.total == 25 and stats.complete


def test_without_total_an_exact_multiple_needs_one_empty_page() -> None:
    source = FakeList(20, with_total=False)
    ids, _ = walk(source, 10)
    assert len(ids) == 20
    assert source.requested == [1, 2, 3]


def test_rows_added_while_walking_are_followed() -> None:
    source = FakeList(30, grow=(2, 10))  # Total says 30 on page 1, 40 from page 2 on
    ids, stats = walk(source, 10)
    assert len(ids) == 40 == len(set(ids))
    assert source.requested == [1, 2, 3, 4]
    assert stats.total == 40 and stats.complete and stats.rewalks == 0


def test_page_and_limit_from_the_caller_are_replaced() -> None:
    source = FakeList(5)
    pager = ListPager(
        source, "things", "ThingList", params={"page": 9, "LIMIT": 1, "Name": "x"}, page_size=10
    )
    assert sum(len(b) for b in pager) == 5
    assert source.requested == [1]
