"""Dates written without Babel's locale data read exactly as Flask-Babel writes them."""

from __future__ import annotations

import ast
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import flask_babel
import pytest
from babel.dates import get_day_names, get_month_names, get_period_names
from flask import Flask

from portal import dates
from portal.languages import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
FORMATTERS = {"format_date", "format_datetime", "london_time", "long_date"}


def _patterns_in_code() -> set[str]:
    """Every pattern the portal's code gives a date formatter, and london_time's default."""
    found = set()
    for path in (ROOT / "portal").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                arguments = node.args[1:] if name in FORMATTERS else []
            elif isinstance(node, ast.FunctionDef) and node.name == "london_time":
                arguments = list(node.args.defaults)
            else:
                continue
            for argument in arguments:
                found |= {
                    part.value
                    for part in ast.walk(argument)
                    if isinstance(part, ast.Constant) and isinstance(part.value, str)
                }
    return found


def _patterns_in_templates() -> set[str]:
    given = re.compile(r"""london_time\(\s*["']([^"']+)["']""")
    return {
        pattern
        for path in (ROOT / "templates").rglob("*.html")
        for pattern in given.findall(path.read_text(encoding="utf-8"))
    }


USED = sorted(_patterns_in_code() | _patterns_in_templates())
# Moments 13 hours apart through a year: every month, weekday and hour, both sides of the
# clock changes; and one without a time zone, which Flask-Babel reads as UTC.
MOMENTS = [datetime(2027, 1, 1, 0, 5, 9, tzinfo=UTC) + timedelta(hours=13 * n) for n in range(675)]
MOMENTS.append(datetime(2027, 6, 30, 23, 30))


def test_the_patterns_were_found() -> None:
    assert {"d MMMM yyyy", "EEEE d MMMM yyyy, h:mma", "MMMM yyyy", "EEEE d MMMM"} <= set(USED)


@pytest.mark.parametrize("pattern", USED)
def test_every_pattern_the_portal_uses_is_written_without_babels_data(pattern: str) -> None:
    assert dates.fields_of(pattern, with_time=True) is not None


def test_every_language_the_portal_speaks_has_its_names_kept() -> None:
    assert set(dates.NAMES) == set(LANGUAGES)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_the_names_kept_are_babels(code: str) -> None:
    names = dates.NAMES[code]
    months = get_month_names("wide", "format", code)
    short_months = get_month_names("abbreviated", "format", code)
    weekdays = get_day_names("wide", "format", code)
    periods = get_period_names("abbreviated", "format", code)
    assert names.months == tuple(months[number] for number in range(1, 13))
    assert names.short_months == tuple(short_months[number] for number in range(1, 13))
    assert names.weekdays == tuple(weekdays[number] for number in range(7))
    assert (names.am, names.pm) == (periods["am"], periods["pm"])


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_dates_and_times_read_as_flask_babel_writes_them(app: Flask, code: str) -> None:
    with app.test_request_context(), flask_babel.force_locale(code):
        for pattern in USED:
            with_time = dates.fields_of(pattern, with_time=False) is None
            for moment in MOMENTS:
                if with_time:
                    expected = flask_babel.format_datetime(moment, pattern)
                    assert dates.format_datetime(moment, pattern) == expected
                else:
                    expected = flask_babel.format_date(moment.date(), pattern)
                    assert dates.format_date(moment.date(), pattern) == expected
                    # A moment is put in London time first: 23:30 UTC on 30 June is 1 July.
                    assert dates.format_date(moment, pattern) == flask_babel.format_date(
                        moment, pattern
                    )


@pytest.mark.parametrize(
    "pattern", ["d MMMM y", "dd/MM/yy", "EEE d MMM", "h 'o''clock' a", "HH:mm zzzz", "QQQ yyyy"]
)
def test_any_other_pattern_is_left_to_flask_babel(app: Flask, pattern: str) -> None:
    moment = datetime(2027, 3, 14, 15, 5, tzinfo=UTC)
    with app.test_request_context(), flask_babel.force_locale("ur"):
        assert dates.format_datetime(moment, pattern) == flask_babel.format_datetime(
            moment, pattern
        )
    assert dates.fields_of(pattern, with_time=True) is None


def test_another_language_is_left_to_flask_babel(app: Flask) -> None:
    moment = datetime(2027, 3, 14, 15, 5, tzinfo=UTC)
    with app.test_request_context(), flask_babel.force_locale("cy"):
        written = dates.format_datetime(moment, "EEEE d MMMM yyyy, h:mma")
        assert written == flask_babel.format_datetime(moment, "EEEE d MMMM yyyy, h:mma")
        assert written.startswith("Dydd Sul 14 Mawrth 2027")
        assert dates.format_date(date(2027, 3, 14), "d MMMM yyyy") == "14 Mawrth 2027"
