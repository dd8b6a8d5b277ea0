"""How easy the study team's writing is to read: advice shown under a field, never a rule.

The NHS aims for a reading age of 9 to 11. The reading age here is the Flesch–Kincaid grade
(US school years) plus 5; the McAlpine EFLAW score is made for readers of English as another
language (short sentences of short, common words score low). Both come from ``textstat``,
pinned to 0.7.3: it works offline, with its easy-word list inside the package, while later
releases download NLTK's pronouncing dictionary on first use. It is imported only when advice is
computed, so a web worker that never shows a form for the study team never loads it.

Nothing here writes HTML or changes what is saved: Markdown syntax is stripped only so that
it does not count as words or hide where sentences end.
"""

from __future__ import annotations

import enum
import re
import warnings
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

from portal.forms import every_field

# Fewer words than this give scores that mean nothing.
FEWEST_WORDS = 10
# The NHS aim: a reading age of 9 to 11, or lower.
HIGHEST_AIMED_AGE = 11
LONG_WORD_SYLLABLES = 3
MOST_LONG_WORDS = 10
LONG_SENTENCE_WORDS = 25
MOST_LONG_SENTENCES = 5
SENTENCE_START_WORDS = 6
YOUNGEST_AGE = 5


class EflawBand(enum.Enum):
    """McAlpine's own scale for the EFLAW score (textstat's docs: aim for 25 or lower)."""

    VERY_EASY = "very_easy"
    QUITE_EASY = "quite_easy"
    A_LITTLE_DIFFICULT = "a_little_difficult"
    CONFUSING = "confusing"

    @classmethod
    def of(cls, score: int) -> EflawBand:
        if score <= 20:
            return cls.VERY_EASY
        if score <= 25:
            return cls.QUITE_EASY
        if score <= 29:
            return cls.A_LITTLE_DIFFICULT
        return cls.CONFUSING


BAND_WORDS = {
    EflawBand.VERY_EASY: _l("very easy"),
    EflawBand.QUITE_EASY: _l("quite easy"),
    EflawBand.A_LITTLE_DIFFICULT: _l("a little difficult"),
    EflawBand.CONFUSING: _l("confusing"),
}


@dataclass(frozen=True)
class Advice:
    """What to tell the writer. ``too_short`` advice carries no scores."""

    too_short: bool = False
    reading_age: int = 0
    eflaw: int = 0
    eflaw_band: EflawBand = EflawBand.VERY_EASY
    long_words: tuple[str, ...] = ()
    long_sentences: tuple[str, ...] = ()

    @property
    def meets_aim(self) -> bool:
        return not self.too_short and self.reading_age <= HIGHEST_AIMED_AGE

    @property
    def band_words(self) -> str:
        return str(BAND_WORDS[self.eflaw_band])


@cache
def _textstat() -> ModuleType:
    # textstat 0.7.3 reads its easy-word list through setuptools' pkg_resources, which warns
    # on import that it is deprecated, and it leaves the list's file for the garbage collector
    # to close: those warnings are for textstat's authors. The list is read here, once.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import textstat

        textstat.is_difficult_word("together", LONG_WORD_SYLLABLES)

    return textstat  # type: ignore[no-any-return]


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ADDRESS = re.compile(r"(?:https?://|mailto:|www\.)\S+|\S+@\S+\.\S+", re.IGNORECASE)
_LINE_START = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|`+|~~)")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


def plain_words(text: str) -> str:
    """``text`` without Markdown syntax or addresses, each line ending as a sentence ends.

    A list item or a heading usually has no full stop; without one, a whole list would read
    as one very long sentence.
    """
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = _LINK.sub(r"\1", line)
        line = _ADDRESS.sub(" ", line)
        line = _LINE_START.sub("", line)
        line = _EMPHASIS.sub("", line).strip()
        if not line:
            continue
        if line[-1] not in ".!?":
            line += "."
        lines.append(line)
    return " ".join(lines)


def _long_words(stats: Any, sentences: list[str]) -> tuple[str, ...]:
    """Words of 3 or more syllables not on textstat's easy-word list, in the order they come.

    A word with a capital letter that does not start its sentence is taken to be a name (or
    an abbreviation) and left out: nobody should reword a place or a service's name.
    """
    found: dict[str, str] = {}
    for sentence in sentences:
        for position, word in enumerate(_WORD.findall(sentence)):
            if position > 0 and word[0].isupper():
                continue
            if word.isupper() and len(word) > 1:
                continue
            key = word.lower()
            if key in found:
                continue
            if stats.is_difficult_word(key, LONG_WORD_SYLLABLES):
                found[key] = key
                if len(found) == MOST_LONG_WORDS:
                    return tuple(found.values())
    return tuple(found.values())


def _long_sentences(stats: Any, sentences: list[str]) -> tuple[str, ...]:
    """The first few words of each sentence of more than ``LONG_SENTENCE_WORDS`` words."""
    starts = []
    for sentence in sentences:
        words = sentence.split()
        if stats.lexicon_count(sentence) > LONG_SENTENCE_WORDS:
            starts.append(" ".join(words[:SENTENCE_START_WORDS]) + " …")
            if len(starts) == MOST_LONG_SENTENCES:
                break
    return tuple(starts)


def advice(text: str | None) -> Advice | None:
    """Reading age, EFLAW score and what to reconsider in ``text`` (Markdown or plain text).

    ``None`` when there is no text; ``too_short`` advice, without scores, for fewer than
    ``FEWEST_WORDS`` words. Never raises for odd input: the advice must never stop a form.
    """
    words = plain_words(text or "")
    if not words:
        return None
    stats = _textstat()
    if stats.lexicon_count(words) < FEWEST_WORDS:
        return Advice(too_short=True)
    grade = stats.flesch_kincaid_grade(words)
    eflaw = round(stats.mcalpine_eflaw(words))
    sentences = [sentence.strip() for sentence in _SENTENCE.findall(words)]
    return Advice(
        reading_age=max(YOUNGEST_AGE, round(grade + 5)),
        eflaw=eflaw,
        eflaw_band=EflawBand.of(eflaw),
        long_words=_long_words(stats, sentences),
        long_sentences=_long_sentences(stats, sentences),
    )


class ReadingAgeCheck:
    """A form mixin for "Check reading age": the button shows the form again with advice on
    what was typed, and saves nothing.

    The view asks ``checking_reading_age()`` before saving; when it is true, it shows the
    form again instead. The CSRF token is still checked, but no other rule is: a half-written
    form is not wrong yet.
    """

    check_reading_age = SubmitField(_l("Check reading age"))

    def checking_reading_age(self) -> bool:
        form: FlaskForm = self  # type: ignore[assignment]
        if not (form.is_submitted() and form.check_reading_age.data):
            return False
        form.validate()
        for field in every_field(form):
            if field.name != "csrf_token":
                field.errors = []
        return True
