"""Recovering rows that moved while a list was read: other page boundaries, and a "changed since" slice."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from app.api import DearClient, RateGovernor
from app.api.paging import ListPager
from app.models import CancelToken, Connection, RateLimit
from app.sandbox import Sandbox

FAST = RateLimit(1000, 1.0)


class SlidingRow:
    """A list of ``rows`` in which one row sits just past the end of page 1 while page 1 is read,
    and just before it for every other request: with the first walk's page size it is never seen.
    """

    def __init__(self, rows: int, boundary: int, *, extra_total: int = 0) -> None:
        self.rows = [{"ID": f"ID-{i:04d}"} for i in range(rows)]
        self.boundary = boundary
        self.extra_total = extra_total
        self.requested: list[tuple[int, int]] = []

    def get(
        self, path: str, params: Mapping[str, Any] | None = None, *, cancel: CancelToken | None = None
    ) -> Any:
        assert params is not None
        page, limit = int(params["Page"]), int(params["Limit"])
        self.requested.append((page, limit))
        order = [r for r in self.rows if r["ID"] != "ID-SLIDE"]
        slider = {"ID": "ID-SLIDE"}
        order.insert(self.boundary if page == 1 else self.boundary - 1, slider)
        chosen = order[(page - 1) * limit : page * limit]
        return {"Total": len(order) + self.extra_total, "Page": page, "ThingList": chosen}

    def map_ordered(
        self, fn: Callable[[int, CancelToken], Any], items: Iterable[int], cancel: CancelToken | None
    ) -> Iterator[tuple[int, Any]]:
        token = cancel or CancelToken()
        for item in items:
            yield item, fn(item, token)


def test_a_row_sliding_across_a_page_boundary_is_found_with_other_boundaries() -> None:
    source = SlidingRow(49, boundary=10)  # 50 rows with the slider, pages of 10
    pager = ListPager(source, "things", "ThingList", page_size=10, max_rewalks=3)
    ids = [row["ID"] for batch in pager for row in batch]
    assert "ID-SLIDE" in ids
    assert len(ids) == len(set(ids)) == 50
    stats = pager.stats
    assert (stats.total, stats.unique, stats.complete, stats.missing) == (50, 50, True, 0)
    assert stats.rewalks == 1
    # The recovery pass used another page size, and stopped once the count was complete.
    recovery = source.requested[5:]
    assert {limit for _, limit in recovery} == {9}
    assert recovery == [(1, 9), (2, 9)]
    assert stats.pages == 5 + 2


def test_recovery_stops_once_a_walk_sees_the_list_exactly_as_the_first_did() -> None:
    source = SlidingRow(49, boundary=10, extra_total=1)  # DEAR's Total says one more than there is
    pager = ListPager(source, "things", "ThingList", page_size=10, max_rewalks=5)
    assert sum(len(b) for b in pager) == 50
    stats = pager.stats
    assert (stats.total, stats.unique, stats.complete, stats.missing) == (51, 50, False, 1)
    # Pass 1 (pages of 9) found the slider; pass 2 (pages of 10) saw the first walk's rows in the
    # first walk's order: nothing is moving, so walking on cannot find the record DEAR counts.
    assert stats.rewalks == 2
    assert [limit for _, limit in source.requested].count(10) == 6 + 6  # Total 51: six pages of 10
    assert pager.finished


# --------------------------------------------------------------------------- the "changed since" slice


class MovedWhenChanged:
    """The real client, except that the first walk does not see ``hidden`` rows: they were changed
    in DEAR while it was read and moved to pages already read (what a busy account does)."""

    def __init__(self, client: DearClient, hidden: set[str], first_limit: int) -> None:
        self.client = client
        self.hidden = hidden
        self.first_limit = first_limit
        self.requests: list[dict[str, Any]] = []

    def get(
        self, path: str, params: Mapping[str, Any] | None = None, *, cancel: CancelToken | None = None
    ) -> Any:
        query = dict(params or {})
        self.requests.append(query)
        body = self.client.get(path, query, cancel=cancel)
        if int(query.get("Limit", 0)) == self.first_limit and "ModifiedSince" not in query:
            # A row moving away pulls a neighbour into its place: the page stays full, with a repeat.
            rows = body["Products"]
            kept = [r for r in rows if str(r["ID"]).lower() not in self.hidden]
            body["Products"] = kept + kept[: len(rows) - len(kept)]
        return body

    def map_ordered(
        self, fn: Callable[[int, CancelToken], Any], items: Iterable[int], cancel: CancelToken | None
    ) -> Iterator[tuple[int, Any]]:
        return self.client.map_ordered(fn, items, cancel)


def sandbox_client(sb: Sandbox) -> DearClient:
    conn = Connection(
        "Test company", sb.account_id, sb.application_key, base_url=sb.base_url, rate_limit=FAST
    )
    return DearClient(conn, governor=RateGovernor(FAST))


def read_products(sb: Sandbox, changed_since: str | None) -> tuple[MovedWhenChanged, ListPager, list[str]]:
    changed = {i.lower() for i in sb.touch("product", 3)}
    with sandbox_client(sb) as client:
        source = MovedWhenChanged(client, changed, first_limit=50)
        pager = ListPager(
            source,
            "product",
            "Products",
            params={"IncludeDeprecated": "true"},
            page_size=50,
            changed_since=changed_since,
        )
        ids = [str(r["ID"]).lower() for batch in pager for r in batch]
    assert changed <= set(ids)
    return source, pager, ids


def test_rows_changed_while_the_list_was_read_come_back_in_one_consistent_answer(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sb = make_sandbox(rate_limit=None)  # 150 products: three pages of 50
    started = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    source, pager, ids = read_products(sb, "ModifiedSince")
    assert len(ids) == len(set(ids)) == 150
    stats = pager.stats
    assert (stats.total, stats.unique, stats.complete, stats.rewalks, stats.pages) == (150, 150, True, 1, 4)
    since = source.requests[-1]["ModifiedSince"]
    assert not since.endswith("Z")  # DEAR wants UTC without the Z
    assert datetime.fromisoformat(since) < started  # reaches back before the walk, for clock skew
    assert source.requests[-1]["IncludeDeprecated"] == "true"  # the caller's filters still apply


def test_without_the_filter_a_walk_with_other_boundaries_recovers_them(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sb = make_sandbox(rate_limit=None)
    source, pager, ids = read_products(sb, None)
    assert len(ids) == 150
    assert pager.stats.complete and pager.stats.rewalks == 1
    assert all("ModifiedSince" not in r for r in source.requests)
    assert {int(r["Limit"]) for r in source.requests[3:]} == {38}  # 150 rows over 4 pages, not 3


def test_a_callers_own_changed_since_filter_is_left_alone(make_sandbox: Callable[..., Sandbox]) -> None:
    sb = make_sandbox(rate_limit=None)
    with sandbox_client(sb) as client:
        pager = client.list_pager(
            "product",
            "Products",
            params={"IncludeDeprecated": "true", "modifiedsince": "2000-01-01"},
            page_size=50,
            changed_since="ModifiedSince",
        )
        assert sum(len(b) for b in pager) == 150
    assert pager._changed_since is None
