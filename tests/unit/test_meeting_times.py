"""Reading typed dates and times, London time across clock changes, and times in words."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from portal.meetings.forms import parse_date, parse_time, safe_web_link
from portal.meetings.reminders import reminder_days
from portal.meetings.times import NoSuchLocalTime, london_to_utc, when_in_words


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("6pm", time(18)),
        ("6:30pm", time(18, 30)),
        ("6.30 PM", time(18, 30)),
        ("18:30", time(18, 30)),
        ("12pm", time(12)),
        ("12am", time(0)),
        ("noon", time(12)),
        ("6", None),
        ("25:00", None),
        ("13pm", None),
        ("teatime", None),
        ("", None),
    ],
)
def test_times_are_read_as_people_type_them(typed: str, expected: time | None) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14 3 2027", date(2027, 3, 14)),
        ("14/03/2027", date(2027, 3, 14)),
        ("2027-03-14", date(2027, 3, 14)),
        ("31 2 2027", None),
        ("next Tuesday", None),
    ],
)
def test_dates_are_read_day_month_year(typed: str, expected: date | None) -> None:
    assert parse_date(typed) == expected


def test_london_times_across_the_clock_changes() -> None:
    assert london_to_utc(date(2027, 3, 28), time(18)) == datetime(2027, 3, 28, 17, tzinfo=UTC)
    assert london_to_utc(date(2027, 10, 31), time(18)) == datetime(2027, 10, 31, 18, tzinfo=UTC)
    assert london_to_utc(date(2027, 1, 5), time(18)) == datetime(2027, 1, 5, 18, tzinfo=UTC)
    with pytest.raises(NoSuchLocalTime):
        london_to_utc(date(2027, 3, 28), time(1, 30))


def test_times_in_words() -> None:
    start = datetime(2023, 3, 14, 18, tzinfo=UTC)
    end = datetime(2023, 3, 14, 19, 30, tzinfo=UTC)
    assert when_in_words(start, end) == "Tuesday 14 March, 6pm to 7:30pm"
    summer = datetime(2027, 7, 6, 11, tzinfo=UTC)  # noon in London
    assert when_in_words(summer, summer.replace(hour=13)) == "Tuesday 6 July, 12 noon to 2pm"


def test_only_web_links_are_allowed() -> None:
    assert safe_web_link("https://meet.example.org/x")
    assert safe_web_link("http://meet.example.org")
    for bad in (
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "//x.org",
        "ftp://x",
    ):
        assert not safe_web_link(bad)


def test_reminder_days_setting() -> None:
    assert reminder_days("7,1") == [7, 1]
    assert reminder_days(" 1, 3 ,x,,0,999") == [3, 1]
    assert reminder_days("") == []
