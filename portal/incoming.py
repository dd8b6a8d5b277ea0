"""The one place text comes in: every form field and query parameter, cleaned as it is read.

Control characters other than tab, newline and carriage return are removed. They are never
meant (a NUL cannot even be stored by PostgreSQL) and can hide words from people and programs
reading them later. Everything else, including Urdu, emoji and zero-width joiners, is kept as
typed.
"""

from __future__ import annotations

import re

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

# Unicode's "Cc" characters (C0, DEL and C1), less tab, newline and carriage return.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_control_characters(text: str) -> str:
    """``text`` with every control character except tab, newline and carriage return removed."""
    return CONTROL_CHARACTERS.sub("", text)


def _cleaned(values: MultiDict[str, str]) -> ImmutableMultiDict[str, str]:
    return ImmutableMultiDict(
        [
            (without_control_characters(key), without_control_characters(value))
            for key, value in values.items(multi=True)
        ]
    )


class PortalRequest(Request):
    """A request whose ``form`` and ``args`` hold only text that can be stored and shown."""

    def _load_form_data(self) -> None:
        if "form" in self.__dict__:
            return
        super()._load_form_data()
        self.__dict__["form"] = _cleaned(self.__dict__["form"])

    @cached_property
    def args(self) -> ImmutableMultiDict[str, str]:  # type: ignore[override]
        return _cleaned(Request.args.fget(self))  # type: ignore[attr-defined]


def init_incoming(app: Flask) -> None:
    app.request_class = PortalRequest
