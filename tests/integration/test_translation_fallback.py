"""A message a catalogue lacks is shown in English: never a blank, never a message id.

The catalogue here is Urdu's own, compiled as ``make`` compiles it, with one message removed, one
left untranslated and one marked "fuzzy" (a translation that needs checking again).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from portal.extensions import babel
from portal.languages import COOKIE, catalogue_path
from tests.language import catalogue, require_compiled, speaking, tr

REMOVED = "Email me a link to sign in"
UNTRANSLATED = "I have forgotten my password"
FUZZY = "Other ways to sign in"
KEPT = "(you do not need a password)"


@pytest.fixture
def damaged_urdu(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The portal reads Urdu from a copy of its catalogue with three messages damaged."""
    with catalogue_path("ur").open("rb") as source:
        messages = read_po(source, locale="ur")
    for msgid in (REMOVED, UNTRANSLATED, FUZZY, KEPT):
        assert messages[msgid] is not None and messages[msgid].string, f"{msgid!r} is translated"
    messages.delete(REMOVED)
    messages[UNTRANSLATED].string = ""
    messages[FUZZY].flags.add("fuzzy")
    compiled = tmp_path / "ur" / "LC_MESSAGES" / "messages.mo"
    compiled.parent.mkdir(parents=True)
    with compiled.open("wb") as target:
        write_mo(target, messages)  # as `pybabel compile`: fuzzy and empty messages left out
    with app.app_context():
        from flask_babel import get_babel

        monkeypatch.setattr(get_babel(app), "translation_directories", [str(tmp_path)])
    # Catalogues are cached once read: read them afresh now, and again after this test.
    monkeypatch.setattr(babel.domain_instance, "cache", {})
    return tmp_path


def test_a_missing_translation_is_shown_in_english(damaged_urdu: Path, client: FlaskClient) -> None:
    client.set_cookie(COOKIE, "ur")
    page = html.unescape(client.get("/sign-in").get_data(as_text=True))
    assert re.search(r'<html lang="ur"\s+dir="rtl"', page)
    for english in (REMOVED, UNTRANSLATED, FUZZY):
        assert english in page  # the English, where the translation is missing
    require_compiled("ur")
    with speaking("ur"):
        kept = tr(KEPT)
        assert kept != KEPT and kept in page  # the rest of the page is still Urdu
        assert tr("Sign in") in page


def test_the_tests_own_translations_fall_back_to_english_too(damaged_urdu: Path) -> None:
    damaged = catalogue("ur", damaged_urdu)
    for english in (REMOVED, UNTRANSLATED, FUZZY):
        assert damaged.gettext(english) == english
    assert damaged.gettext(KEPT) not in ("", KEPT)
    with speaking("ur"):
        assert tr("A message no catalogue has, for %(whom)s", whom="a member") == (
            "A message no catalogue has, for a member"
        )
