"""Value conversion rules: every DEAR date shape, numbers, yes/no, text cleaning, CSV text."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from app.export.values import (
    ILLEGAL_CHARACTERS_RE,
    MAX_CELL_CHARS,
    clean_text,
    csv_text,
    looks_like_formula,
    plain_decimal,
    to_csv,
    to_xlsx,
)
from app.models import ValueKind as K


def test_date_columns_accept_python_dates_and_aware_datetimes() -> None:
    aware = datetime(2024, 6, 1, 10, 15, tzinfo=timezone(timedelta(hours=2)))
    assert to_xlsx(aware, K.DATETIME) == datetime(2024, 6, 1, 8, 15)
    assert to_xlsx(datetime(2024, 6, 1, 8, 15, tzinfo=UTC), K.DATETIME) == datetime(2024, 6, 1, 8, 15)
    assert to_xlsx(date(2024, 6, 1), K.DATE) == datetime(2024, 6, 1)


def test_dates_excel_cannot_show_and_wrong_shapes_become_text() -> None:
    assert to_xlsx("0001-01-01T00:00:00", K.DATE) == "0001-01-01T00:00:00"
    assert to_xlsx("soon", K.DATETIME) == "soon"
    assert to_xlsx(20240301, K.DATE) == "20240301"


def test_numbers_keep_their_decimals_and_numeric_strings_convert() -> None:
    assert to_xlsx(25.2803, K.NUMBER) == 25.2803
    assert to_xlsx(8, K.NUMBER) == 8
    assert to_xlsx("25.2803", K.NUMBER) == Decimal("25.2803")
    assert to_xlsx(" -0.0001 ", K.NUMBER) == Decimal("-0.0001")
    assert to_xlsx(Decimal("1.0000000000"), K.NUMBER) == Decimal("1.0000000000")
    assert to_xlsx("12", K.INTEGER) == 12
    assert isinstance(to_xlsx("12", K.INTEGER), int)
    assert to_xlsx(3.0, K.INTEGER) == 3
    assert isinstance(to_xlsx(3.0, K.INTEGER), int)
    assert to_xlsx(2.5, K.INTEGER) == 2.5  # never rounded away


@pytest.mark.parametrize("raw", ["N2", "1,5", "1_000", "NaN", "Infinity", True, float("inf"), [1]])
def test_numbers_of_the_wrong_shape_are_written_as_text(raw: object) -> None:
    result = to_xlsx(raw, K.NUMBER)
    assert isinstance(result, str)
    assert result != ""


def test_yes_no() -> None:
    assert to_xlsx(True, K.BOOL) is True
    assert to_xlsx(False, K.BOOL) is False
    assert to_xlsx("true", K.BOOL) is True
    assert to_xlsx(" FALSE ", K.BOOL) is False
    assert to_xlsx("maybe", K.BOOL) == "maybe"
    assert to_xlsx(1, K.BOOL) == "1"


@pytest.mark.parametrize("kind", list(K))
def test_none_and_empty_string_are_empty_cells(kind: K) -> None:
    assert to_xlsx(None, kind) is None
    assert to_xlsx("", kind) is None
    assert to_csv(None, kind) == ""
    assert to_csv("", kind) == ""


def test_codes_and_guids_stay_text() -> None:
    guid = "5F8EE220-0B6C-4A3C-9C1E-3B8B1E2A8D11"
    assert to_xlsx(guid, K.ID) == guid
    assert to_xlsx("00123", K.TEXT) == "00123"
    assert to_xlsx(12345, K.TEXT) == "12345"
    assert to_xlsx({"a": 1}, K.TEXT) == '{"a": 1}'


def test_clean_text_removes_xml_illegal_characters_but_keeps_tabs_and_newlines() -> None:
    assert clean_text("a\x00b\x07c\x1fd\te\nf\rg") == "abcd\te\nf\rg"


def test_our_illegal_characters_are_exactly_the_ones_openpyxl_refuses() -> None:
    # values.py keeps its own copy so that importing it does not load openpyxl; every code point
    # (surrogates included) must be treated alike, or a workbook write could fail on a cell.
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as OPENPYXL_ILLEGAL

    every_character = "".join(map(chr, range(sys.maxunicode + 1)))
    ours = ILLEGAL_CHARACTERS_RE.findall(every_character)
    assert ours == OPENPYXL_ILLEGAL.findall(every_character)
    assert len(ours) == 29  # C0 controls but tab, line feed and carriage return
    assert ILLEGAL_CHARACTERS_RE.sub("", every_character) == OPENPYXL_ILLEGAL.sub("", every_character)


def test_clean_text_cuts_long_text_to_exactly_the_cell_limit_with_a_marker() -> None:
    text = clean_text("y" * 40_000)
    assert len(text) == MAX_CELL_CHARS
    assert text.endswith("… [truncated: 40,000 characters in DEAR]")
    assert text.startswith("y" * 30_000)
    assert clean_text("z" * MAX_CELL_CHARS) == "z" * MAX_CELL_CHARS


@pytest.mark.parametrize("text", ["=1+1", "+1", "-x", "@foo", "\tx", "\r=1"])
def test_formula_triggers(text: str) -> None:
    assert looks_like_formula(text)
    assert csv_text(text, K.TEXT) == "'" + text


def test_csv_text_shapes() -> None:
    assert to_csv("2024-03-05T00:00:00", K.DATE) == "2024-03-05"
    assert to_csv("2024-03-05T13:28:33.363", K.DATE) == "2024-03-05 13:28:33"
    assert to_csv("2024-03-05T00:00:00Z", K.DATETIME) == "2024-03-05 00:00:00"
    assert to_csv("2017-12-05T06:54:54.9289846Z", K.DATETIME) == "2017-12-05 06:54:54"
    assert to_csv(25.2803, K.NUMBER) == "25.2803"
    assert to_csv(0.00001, K.NUMBER) == "0.00001"
    assert to_csv(1e21, K.NUMBER) == "1000000000000000000000"
    assert to_csv("1E-7", K.NUMBER) == "0.0000001"
    assert to_csv(-5, K.INTEGER) == "-5"  # a number, not text: no quote
    assert to_csv(25.2803, K.MONEY) == "25.2803"  # CSV keeps every digit, unformatted
    assert to_csv("1234.56789", K.MONEY) == "1234.56789"
    assert to_csv(2.5, K.QUANTITY) == "2.5"
    assert to_csv("true", K.BOOL) == "TRUE"
    assert to_csv(False, K.BOOL) == "FALSE"
    assert to_csv('Müller & Co "Ltd"', K.TEXT) == 'Müller & Co "Ltd"'
    assert to_csv("a\x00b", K.TEXT) == "ab"


def test_plain_decimal_never_uses_exponents() -> None:
    assert plain_decimal(Decimal("1E+3")) == "1000"
    assert plain_decimal(1.5e-10) == "0.00000000015"
    assert plain_decimal(12) == "12"
