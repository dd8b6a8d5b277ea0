"""The languages the portal speaks, and whether a fluent speaker has checked each translation.

English is the language of record. Each other language has a message catalogue in
``translations/<code>/LC_MESSAGES/messages.po``; its first comment lines carry a ``Status:`` line
that says "awaiting review by a fluent speaker" until one signs it off (see the README's guide for
translators). Until then the language menus show "(being checked)" beside its name.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

ENGLISH = "en"

# Each language named in itself, in the order the menus show them.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "ur": "اردو",
    "bn": "বাংলা",
    "pa": "ਪੰਜਾਬੀ",
}
TRANSLATED = tuple(code for code in LANGUAGES if code != ENGLISH)
RIGHT_TO_LEFT = frozenset({"ur"})

CATALOGUES = Path(__file__).resolve().parent.parent / "translations"
_STATUS = re.compile(r"^#\s*Status:\s*(.+?)\s*$", re.MULTILINE)
REVIEWED = "reviewed"


def direction(code: str | None) -> str:
    """``rtl`` for a language written right to left, otherwise ``ltr``."""
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


def catalogue_path(code: str) -> Path:
    return CATALOGUES / code / "LC_MESSAGES" / "messages.po"


@functools.cache
def is_reviewed(code: str) -> bool:
    """Has a fluent speaker signed this language's catalogue off? English always is.

    Only the header is read: the ``Status:`` comment must begin with "reviewed".
    """
    if code == ENGLISH:
        return True
    try:
        with catalogue_path(code).open(encoding="utf-8") as handle:
            return status_is_reviewed(handle.read(4096))
    except OSError:
        return False


def status_is_reviewed(header: str) -> bool:
    """Does a catalogue's header comment say a fluent speaker has reviewed it?"""
    found = _STATUS.search(header)
    return bool(found) and found.group(1).lower().startswith(REVIEWED)


def supported(code: str | None) -> bool:
    return code in LANGUAGES


# A language chosen before signing in (on the sign-in page or in the footer) is kept in this
# cookie; a signed-in person's choice is kept on their account as well.
COOKIE = "portal_language"
COOKIE_SECONDS = 365 * 24 * 3600


def menu_name(code: str) -> str:
    """A language named in itself, with "(being checked)" until a fluent speaker signs it off."""
    from flask_babel import gettext

    name = LANGUAGES[code]
    return name if is_reviewed(code) else f"{name} {gettext('(being checked)')}"
