"""Every language's catalogue holds every message of the code and templates, each translated,
with the same placeholders as the English, and says whether a fluent speaker has checked it."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from portal import languages

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sd]|%%|%[sd]")


def _keywords() -> dict[str, object]:
    """The extractor's keywords, read from the Makefile so the test and the build agree."""
    recipe = (ROOT / "Makefile").read_text().split("\ntranslations:", 1)[1].split("\n\n", 1)[0]
    names = re.findall(r"-k (\w+)", recipe)
    assert names, "the Makefile's translations target names no keywords"
    return {**DEFAULT_KEYWORDS, **{name: None for name in names}}


@cache
def english() -> dict[str | tuple[str, str], set[str]]:
    """Every message in the code and templates now (the English), with where it is used."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str | tuple[str, str], set[str]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=_keywords()
    ):
        key = message if isinstance(message, str) else (message[0], message[1])
        if key:
            found.setdefault(key, set()).add(f"{filename}:{line}")
    return found


@cache
def catalogue(code: str) -> Catalog:
    with languages.catalogue_path(code).open("rb") as handle:
        return read_po(handle, locale=code)


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def test_the_extraction_finds_the_portals_messages() -> None:
    messages = english()
    assert "Need support?" in messages  # the layout's support link
    assert ("%(num)d hour", "%(num)d hours") in messages  # a plural, from Python
    assert len(messages) > 1000


@pytest.mark.parametrize("code", languages.TRANSLATED)
def test_every_message_is_in_the_catalogue_and_translated(code: str) -> None:
    translated = catalogue(code)
    problems = []
    for key, where in sorted(english().items(), key=lambda item: str(item[0])):
        msgid = key if isinstance(key, str) else key[0]
        message = translated.get(msgid)
        place = sorted(where)[0]
        if message is None:
            problems.append(f"missing: {msgid!r} ({place})")
        elif message.fuzzy:
            problems.append(f"marked fuzzy (the English changed): {msgid!r} ({place})")
        elif not all(form.strip() for form in _forms(message)):
            problems.append(f"not translated: {msgid!r} ({place})")
    assert problems == [], (
        f"{len(problems)} messages need a translation in translations/{code}; run "
        "`make translations` and see the README's guide for translators:\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("code", languages.TRANSLATED)
def test_each_translation_keeps_the_placeholders_of_its_english(code: str) -> None:
    problems = []
    for message in catalogue(code):
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple):
            singular, plural = _placeholders(message.id[0]), _placeholders(message.id[1])
            # A language may word every form like the English plural, or its "one" form like
            # the English singular (which may leave out the number).
            allowed = (singular, plural)
        else:
            plural = _placeholders(message.id)
            allowed = (plural,)
        for form in _forms(message):
            if form and _placeholders(form) not in allowed:
                problems.append(f"{message.id!r}: {form!r}")
    assert problems == [], "placeholders differ from the English:\n" + "\n".join(problems)


@pytest.mark.parametrize("code", languages.TRANSLATED)
def test_each_catalogue_says_whether_a_fluent_speaker_has_checked_it(code: str) -> None:
    head = languages.catalogue_path(code).read_text(encoding="utf-8")[:4096]
    status = re.search(r"^#\s*Status:\s*(.+)$", head, re.MULTILINE)
    assert status, f"translations/{code} has no Status line in its header"
    assert languages.is_reviewed(code) is status.group(1).lower().startswith("reviewed")


def test_a_catalogue_counts_as_reviewed_only_when_its_status_says_so(tmp_path: Path) -> None:
    awaiting = "# Urdu translation.\n# Status: awaiting review by a fluent speaker\n"
    reviewed = "# Urdu translation.\n# Status: reviewed by a fluent speaker on 2027-01-10\n"
    assert languages.status_is_reviewed(awaiting) is False
    assert languages.status_is_reviewed(reviewed) is True
    assert languages.status_is_reviewed("# Urdu translation, no status at all\n") is False


def test_the_compiled_catalogues_are_built_and_not_kept_in_the_repository() -> None:
    ignored = (ROOT / ".gitignore").read_text()
    assert "translations/*/LC_MESSAGES/*.mo" in ignored
    for code in languages.TRANSLATED:
        compiled = languages.catalogue_path(code).with_suffix(".mo")
        assert compiled.exists(), f"{compiled} is missing: `make test` compiles it first"
        assert compiled.stat().st_mtime >= languages.catalogue_path(code).stat().st_mtime, (
            f"{compiled} is older than its catalogue: run make"
        )
