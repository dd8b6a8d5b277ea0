"""Meeting times: typed in and read in Europe/London, stored in UTC.

The conversion goes through ``zoneinfo``, so a meeting on the day the clocks change keeps the
time people typed, and shows it back the same.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import gettext

from portal.dates import format_date

LONDON = ZoneInfo("Europe/London")


class NoSuchLocalTime(ValueError):
    """A wall-clock time that does not happen in London (skipped when the clocks go forward)."""


def london_to_utc(day: date, at: time) -> datetime:
    """The UTC moment of ``at`` on ``day`` in London; refuses a time the clocks skip."""
    local = datetime.combine(day, at, tzinfo=LONDON)
    moment = local.astimezone(UTC)
    # A time in the skipped hour does not survive the round trip back to London.
    if moment.astimezone(LONDON).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NoSuchLocalTime(f"{day} {at} does not happen in London")
    return moment


def in_london(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def clock_in_words(moment: datetime) -> str:
    """ "6pm", "7:30pm", "12 noon" for a moment already in London time."""
    if moment.hour == 12 and moment.minute == 0:
        return gettext("12 noon")
    if moment.hour == 0 and moment.minute == 0:
        return gettext("midnight")
    hour = moment.hour % 12 or 12
    time = f"{hour}:{moment.minute:02d}" if moment.minute else str(hour)
    if moment.hour < 12:
        return gettext("%(time)sam", time=time)
    return gettext("%(time)spm", time=time)


def day_in_words(moment: datetime, with_year: bool = False) -> str:
    """ "Tuesday 14 March" (with the year when asked) for a moment in London time."""
    return format_date(moment.date(), "EEEE d MMMM yyyy" if with_year else "EEEE d MMMM")


def when_in_words(starts_at: datetime, ends_at: datetime, with_year: bool = False) -> str:
    """ "Tuesday 14 March, 6pm to 7:30pm" in London time, across days when it runs over."""
    start, end = in_london(starts_at), in_london(ends_at)
    if start.date() == end.date():
        return gettext(
            "%(day)s, %(start)s to %(end)s",
            day=day_in_words(start, with_year),
            start=clock_in_words(start),
            end=clock_in_words(end),
        )
    return gettext(
        "%(day)s, %(start)s to %(end_day)s, %(end)s",
        day=day_in_words(start, with_year),
        start=clock_in_words(start),
        end_day=day_in_words(end, with_year),
        end=clock_in_words(end),
    )
