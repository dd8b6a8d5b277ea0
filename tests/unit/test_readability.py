"""Reading age advice: textstat's scores, worked out offline, for text as the team types it."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from portal import readability
from portal.readability import Advice, EflawBand, advice, plain_words

# 25 words in 4 sentences, 26 syllables (only "Monday" has two), 12 words of 3 letters or fewer.
EASY = (
    "We will meet in the hall on Monday. Bring a friend if you like. "
    "We will have tea and cake. Tell us what you think."
)
# 28 words in 1 sentence, 91 syllables, 5 words of 3 letters or fewer.
HARD = (
    "The implementation of comprehensive multidisciplinary interventions necessitates "
    "considerable organisational commitment, particularly regarding the establishment of "
    "sustainable collaborative partnerships between statutory organisations and voluntary "
    "community representatives throughout Greater Manchester."
)


def _no_network(*args: Any, **kwargs: Any) -> None:
    raise OSError("no network in this test")


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No connection can be made, and textstat is imported afresh, as on a locked-down server
    the first time anyone asks for advice."""
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", _no_network)
    monkeypatch.setattr(socket, "create_connection", _no_network)
    monkeypatch.setattr(socket, "getaddrinfo", _no_network)
    for name in [name for name in sys.modules if name.split(".")[0] == "textstat"]:
        monkeypatch.delitem(sys.modules, name)
    readability._textstat.cache_clear()
    yield
    readability._textstat.cache_clear()


@pytest.mark.usefixtures("offline")
def test_easy_text_gets_a_low_reading_age_without_the_network() -> None:
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 80))
    # Flesch–Kincaid: 0.39 × 6.3 words a sentence + 11.8 × 1.0 syllables a word − 15.59 is
    # about −1.3 (textstat rounds it to −1.4): far below any school year, so the youngest age.
    # EFLAW: (25 words + 12 short words) ÷ 4 sentences = 9.25.
    assert advice(EASY) == Advice(reading_age=5, eflaw=9, eflaw_band=EflawBand.VERY_EASY)
    assert advice(EASY).meets_aim


@pytest.mark.usefixtures("offline")
def test_hard_text_gets_a_high_reading_age_and_its_long_words_and_sentences() -> None:
    result = advice(HARD)
    assert result is not None
    # 0.39 × 28 + 11.8 × 3.3 (91 ÷ 28, rounded) − 15.59 = 34.27, plus 5.
    assert result.reading_age == 39 and not result.meets_aim
    # (28 + 5) ÷ 1 sentence.
    assert (result.eflaw, result.eflaw_band) == (33, EflawBand.CONFUSING)
    # At most 10, in the order they come; "Greater Manchester" is a name, left out.
    assert result.long_words == (
        "implementation",
        "comprehensive",
        "multidisciplinary",
        "interventions",
        "necessitates",
        "considerable",
        "organisational",
        "commitment",
        "particularly",
        "regarding",
    )
    assert result.long_sentences == (
        "The implementation of comprehensive multidisciplinary interventions …",
    )


def test_a_long_word_is_listed_once_and_names_are_left_out() -> None:
    result = advice(
        "Medication helps some people. Other people find medication hard. "
        "Ask Doctor Abernathy at Homerton about it. Your medication is your choice."
    )
    assert result is not None and result.long_words == ("medication",)


def test_very_short_text_is_too_short_to_judge_and_no_text_gets_nothing() -> None:
    assert advice("Come to the meeting.") == Advice(too_short=True)
    assert not Advice(too_short=True).meets_aim
    assert advice("") is None and advice(None) is None and advice("** _ **") is None


def test_markdown_syntax_and_addresses_are_not_counted_as_words() -> None:
    typed = (
        "## What we heard\n"
        "- **Peer support** on every ward\n"
        "* Read [the full report](https://example.org/report) or email team@example.org\n"
        "1. _More_ time to talk"
    )
    assert plain_words(typed) == (
        "What we heard. Peer support on every ward. Read the full report or email. "
        "More time to talk."
    )


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (20, EflawBand.VERY_EASY),
        (21, EflawBand.QUITE_EASY),
        (25, EflawBand.QUITE_EASY),
        (26, EflawBand.A_LITTLE_DIFFICULT),
        (29, EflawBand.A_LITTLE_DIFFICULT),
        (30, EflawBand.CONFUSING),
    ],
)
def test_eflaw_bands_follow_mcalpines_scale(score: int, band: EflawBand) -> None:
    assert EflawBand.of(score) is band
