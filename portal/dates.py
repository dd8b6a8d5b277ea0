"""Dates and times written out in the reader's language, the way Flask-Babel writes them.

The portal writes dates with a few fixed patterns ("14 March 2027", "Sunday 14 March 2027,
3:05PM"). Babel needs its data for the whole world to write one: its global file (every
language's likely scripts, territories' languages and currencies, time zone aliases) and the
language's own file (names of every language, territory, currency, unit and time zone), about
4 MB in every web worker. For the languages the portal speaks, the few names those patterns use
are kept here instead, as Babel's own data gives them; ``tests/unit/test_dates.py`` compares
every one with Babel's, so the two cannot drift apart.

Anything else goes to Flask-Babel as before: another language, a pattern with other fields (or
quoted text), a value that is not a date, or no application to say whose language it is.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

import flask_babel


class Names(NamedTuple):
    """What the patterns need from a language, as Babel's "format" forms."""

    months: tuple[str, ...]  # wide, January first ("MMMM")
    short_months: tuple[str, ...]  # abbreviated ("MMM")
    weekdays: tuple[str, ...]  # wide, Monday first as ``date.weekday()`` counts ("EEEE")
    am: str  # abbreviated day periods ("a")
    pm: str


NAMES: dict[str, Names] = {
    "en": Names(
        months=(
            "January", "February", "March", "April", "May", "June",
            "July", "August", "September", "October", "November", "December",
        ),
        short_months=(
            "Jan", "Feb", "Mar", "Apr", "May", "Jun",
            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ),
        weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        am="AM",
        pm="PM",
    ),
    "ur": Names(
        months=(
            "جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون",
            "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر", "دسمبر",
        ),
        short_months=(
            "جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون",
            "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر", "دسمبر",
        ),
        weekdays=("پیر", "منگل", "بدھ", "جمعرات", "جمعہ", "ہفتہ", "اتوار"),
        am="AM",
        pm="PM",
    ),
    "bn": Names(
        months=(
            "জানুয়ারী", "ফেব্রুয়ারী", "মার্চ", "এপ্রিল", "মে", "জুন",
            "জুলাই", "আগস্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর",
        ),
        short_months=(
            "জানু", "ফেব", "মার্চ", "এপ্রি", "মে", "জুন",
            "জুল", "আগ", "সেপ", "অক্টো", "নভে", "ডিসে",
        ),
        weekdays=(
            "সোমবার", "মঙ্গলবার", "বুধবার", "বৃহস্পতিবার", "শুক্রবার", "শনিবার", "রবিবার",
        ),
        am="AM",
        pm="PM",
    ),
    "pa": Names(
        months=(
            "ਜਨਵਰੀ", "ਫ਼ਰਵਰੀ", "ਮਾਰਚ", "ਅਪ੍ਰੈਲ", "ਮਈ", "ਜੂਨ",
            "ਜੁਲਾਈ", "ਅਗਸਤ", "ਸਤੰਬਰ", "ਅਕਤੂਬਰ", "ਨਵੰਬਰ", "ਦਸੰਬਰ",
        ),
        short_months=(
            "ਜਨ", "ਫ਼ਰ", "ਮਾਰਚ", "ਅਪ੍ਰੈ", "ਮਈ", "ਜੂਨ",
            "ਜੁਲਾ", "ਅਗ", "ਸਤੰ", "ਅਕਤੂ", "ਨਵੰ", "ਦਸੰ",
        ),
        weekdays=(
            "ਸੋਮਵਾਰ", "ਮੰਗਲਵਾਰ", "ਬੁੱਧਵਾਰ", "ਵੀਰਵਾਰ", "ਸ਼ੁੱਕਰਵਾਰ", "ਸ਼ਨਿੱਚਰਵਾਰ", "ਐਤਵਾਰ",
        ),
        am="ਪੂ.ਦੁ.",
        pm="ਬਾ.ਦੁ.",
    ),
}  # fmt: skip

DATE_FIELDS = frozenset({"d", "MMM", "MMMM", "yyyy", "EEEE"})
TIME_FIELDS = frozenset({"h", "HH", "mm", "ss", "a"})
_PIECE = re.compile(r"([A-Za-z])\1*|[^A-Za-z]+")


@lru_cache(maxsize=64)
def fields_of(pattern: str, with_time: bool) -> tuple[str, ...] | None:
    """``pattern`` cut into fields and the text between them, as Babel reads it; None when it
    has a field this module does not write (or quoted text), so Babel writes it instead."""
    if "'" in pattern:
        return None
    allowed = DATE_FIELDS | TIME_FIELDS if with_time else DATE_FIELDS
    pieces = tuple(match.group(0) for match in _PIECE.finditer(pattern))
    if any(piece[0].isalpha() and piece not in allowed for piece in pieces):
        return None
    return pieces


def _write(pieces: tuple[str, ...], value: date, names: Names) -> str:
    written = []
    for piece in pieces:
        if piece == "d":
            written.append(str(value.day))
        elif piece == "MMMM":
            written.append(names.months[value.month - 1])
        elif piece == "MMM":
            written.append(names.short_months[value.month - 1])
        elif piece == "yyyy":
            written.append(f"{value.year:04d}")
        elif piece == "EEEE":
            written.append(names.weekdays[value.weekday()])
        elif isinstance(value, datetime) and piece in TIME_FIELDS:
            written.append(_time_field(piece, value, names))
        else:
            written.append(piece)  # the text between fields: spaces, commas, colons
    return "".join(written)


def _time_field(piece: str, value: datetime, names: Names) -> str:
    if piece == "h":
        return str(value.hour % 12 or 12)
    if piece == "HH":
        return f"{value.hour:02d}"
    if piece == "mm":
        return f"{value.minute:02d}"
    if piece == "ss":
        return f"{value.second:02d}"
    return names.pm if value.hour >= 12 else names.am


def _readers_names() -> Names | None:
    """The names for the language Flask-Babel would write in now, if they are kept here."""
    locale = flask_babel.get_locale()  # None outside an application
    return NAMES.get(str(locale)) if locale is not None else None


def format_date(value: date, pattern: str) -> str:
    """``flask_babel.format_date(value, pattern)``: a moment is first put in the reader's time
    zone, as Flask-Babel does."""
    names = _readers_names()
    pieces = fields_of(pattern, with_time=False)
    if names is None or pieces is None or not isinstance(value, date):
        return flask_babel.format_date(value, pattern)
    if isinstance(value, datetime):
        value = flask_babel.to_user_timezone(value)
    return _write(pieces, value, names)


def format_datetime(value: datetime, pattern: str) -> str:
    """``flask_babel.format_datetime(value, pattern)``, in the reader's time zone (a moment
    without one is read as UTC, as Flask-Babel reads it)."""
    names = _readers_names()
    pieces = fields_of(pattern, with_time=True)
    if names is None or pieces is None or not isinstance(value, datetime):
        return flask_babel.format_datetime(value, pattern)
    return _write(pieces, flask_babel.to_user_timezone(value), names)
