from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdigest.importers.dates import is_relative_time, parse_date, search_date

JST = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("Japan Times16-06-2025", date(2025, 6, 16)),
        ("Atlas Newswire · September 4, 2025", date(2025, 9, 4)),
        ("ENERGY | 2025-07-22", date(2025, 7, 22)),
        ("03-02-2026", date(2026, 2, 3)),
        ("12-25-2025", date(2025, 12, 25)),
        ("16/06/2025", date(2025, 6, 16)),
        ("16.06.2025", date(2025, 6, 16)),
        ("Sept. 4, 2025", date(2025, 9, 4)),
        ("Tuesday, 16th June 2025", date(2025, 6, 16)),
        ("June 16, 2025 10:30 a.m. JST", datetime(2025, 6, 16, 10, 30, tzinfo=JST)),
        ("Published 4 Sep 2025 at 9:05 pm", datetime(2025, 9, 4, 21, 5)),
        ("2025-11-18T07:30:00+00:00", datetime(2025, 11, 18, 7, 30, tzinfo=UTC)),
        ("Jun 16, 2025, 10:30 AM GMT+9", datetime(2025, 6, 16, 10, 30, tzinfo=JST)),
    ],
)
def test_dates_as_printed(line: str, value: object) -> None:
    found = search_date(line)
    assert found is not None and found.value == value


@pytest.mark.parametrize(
    "line", ["31/02/2025", "2025", "Room 12-25", "version 1.2.3", "call 555-1234"]
)
def test_non_dates(line: str) -> None:
    assert search_date(line) is None


@pytest.mark.parametrize(
    "line",
    ["time12 minutes ago", "timean hour ago", "Updated 3 hours ago", "5 hrs ago", "yesterday"],
)
def test_relative_times_are_recognised(line: str) -> None:
    assert is_relative_time(line)
    assert search_date(line) is None


def test_parse_date_needs_the_whole_text() -> None:
    assert parse_date(" 2025-06-16 ") == date(2025, 6, 16)
    assert parse_date("on 2025-06-16") is None


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_printed_forms_of_any_date_parse_back(day: date) -> None:
    months = "January February March April May June July August September October November December"
    name = months.split()[day.month - 1]
    for text in (
        day.isoformat(),
        f"{day.day:02}-{day.month:02}-{day.year}",
        f"{name} {day.day}, {day.year}",
        f"{day.day} {name} {day.year}",
    ):
        assert parse_date(text) == day


@given(st.text())
def test_any_text_is_searched_without_error(text: str) -> None:
    search_date(text)
    is_relative_time(text)
