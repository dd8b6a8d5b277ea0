"""The words a page shows in a test's language, read from the compiled catalogues as the portal
reads them: a message with no translation is the English, never a blank or a message id.

``tr`` and ``ntr`` answer in the language a test speaks: English unless the browser tests'
``language`` fixture (or ``speaking``) chose another. Build a sentence the way the template does:
``tr("Hello, %(name)s", name="Nia")``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from gettext import NullTranslations
from pathlib import Path

from babel.support import Translations

from portal.languages import CATALOGUES, ENGLISH, direction

_speaking = [ENGLISH]


@functools.cache
def catalogue(code: str, directory: Path = CATALOGUES) -> NullTranslations:
    """The compiled catalogue for ``code``; English (no catalogue) gives every message as is."""
    if code == ENGLISH:
        return NullTranslations()
    return Translations.load(str(directory), [code])


def require_compiled(code: str) -> None:
    """Fail, with how to fix it, when a language's catalogue is not compiled: otherwise every
    message would quietly be the English and a test in that language would prove nothing."""
    if code == ENGLISH:
        return
    mo = CATALOGUES / code / "LC_MESSAGES" / "messages.mo"
    assert mo.is_file(), (
        f"the {code} catalogue is not compiled: run `make {mo.relative_to(CATALOGUES.parent)}`"
    )
    assert isinstance(catalogue(code), Translations), f"the {code} catalogue could not be read"


def current() -> str:
    """The language the test speaks now."""
    return _speaking[-1]


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak ``code`` inside the block (an English-speaking researcher in a member's test, say)."""
    _speaking.append(code or ENGLISH)
    try:
        yield
    finally:
        _speaking.pop()


def tr(msgid: str, **values: object) -> str:
    """The message as the page shows it in the test's language, with ``values`` put in."""
    text = catalogue(current()).gettext(msgid)
    return text % values if values else text


def ntr(singular: str, plural: str, n: int, **values: object) -> str:
    """The singular or plural message for ``n``, as ``ngettext`` gives it (``num`` is ``n``)."""
    text = catalogue(current()).ngettext(singular, plural, n)
    return text % {"num": n, **values}


def is_right_to_left() -> bool:
    return direction(current()) == "rtl"
