"""Sheet names: legal for Excel, unique ignoring case, at most 31 characters."""

from __future__ import annotations

import pytest

from app.export.sheetnames import MAX_SHEET_NAME, SheetNamer, file_safe, legal_sheet_name, with_suffix


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ("Sale order lines", "Sale order lines"),
        ("a/b\\c?d*e[f]g:h", "a-b-c-d-e-f-g-h"),
        ("'Quoted'", "Quoted"),
        ("''", "Sheet"),
        ("", "Sheet"),
        ("   ", "Sheet"),
        ("History", "History data"),
        ("history", "history data"),
        ("Tabs\tand\nnew lines", "Tabs and new lines"),
        ("x" * 40, "x" * 31),
        ("Stock on hand by location 'main'", "Stock on hand by location 'main"),
    ],
)
def test_legal_sheet_name(wanted: str, expected: str) -> None:
    name = legal_sheet_name(wanted)
    assert name == expected
    assert 0 < len(name) <= MAX_SHEET_NAME
    assert not any(ch in name for ch in "\\/?*[]:")
    assert not name.startswith("'") and not name.endswith("'")


def test_names_are_unique_ignoring_case_and_still_fit() -> None:
    namer = SheetNamer(("About this export",))
    long = "Purchase order lines with costs and more"
    names = [namer.claim(n) for n in ("Sales", "sales", "SALES", long, long, "About this export")]
    assert names[:3] == ["Sales", "sales (2)", "SALES (3)"]
    assert names[3] == long[:31]
    assert names[4] == long[:27] + " (2)"
    assert names[5] == "About this export (2)"
    assert len({n.lower() for n in names}) == len(names)
    assert all(len(n) <= MAX_SHEET_NAME for n in names)


def test_continuation_names() -> None:
    namer = SheetNamer()
    first = namer.claim("Sale order lines")
    assert namer.continuation(first, 2) == "Sale order lines (2)"
    assert namer.continuation(first, 3) == "Sale order lines (3)"
    assert with_suffix("y" * 31, 12) == "y" * 26 + " (12)"


def test_file_safe_names() -> None:
    assert file_safe('a<b>c"d|e') == "a-b-c-d-e"
    assert file_safe("Sales.") == "Sales"
