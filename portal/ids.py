"""Whole numbers from addresses and forms that fit the database, or nothing.

Every id column is a signed 64-bit integer. A larger number sent to the database is an error
(SQLite raises OverflowError, PostgreSQL refuses it), so an impossible id never gets that far:
in a URL it does not match any route (a 404); in a query string or form it counts as missing.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

LARGEST_ID = 2**63 - 1
LARGEST_PAGE = 1_000_000  # far past the last page of any list; page x 100 rows still fits


class DatabaseInteger(IntegerConverter):
    """``<int:...>`` for every route: 0 to the largest 64-bit id, digits only (no signs)."""

    def __init__(self, map: Map, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min", 0)
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)  # type: ignore[arg-type]


def number_in_range(value: str | None) -> int | None:
    """``value`` as a whole number that fits the database, or None: for ``type=`` in
    ``request.args.get`` and ``request.form.get``."""
    if value is None:
        return None
    text = value.strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if number <= LARGEST_ID else None


def page_number(value: str | None) -> int | None:
    """A page of a list: a whole number small enough that its offset fits the database."""
    number = number_in_range(value)
    return number if number is not None and number <= LARGEST_PAGE else None


def init_ids(app: Flask) -> None:
    """Replace the ``int`` converter before any route is added, so no route can miss it."""
    app.url_map.converters["int"] = DatabaseInteger
