"""The omission check's pages in order, and where a member goes next, back, or on their return.

Each page has a key, the one kept in ``OmissionCheck.resume_page``: ``items/<id>`` for each item
of the round's version, then ``missing``, ``rewording``, ``general`` and ``answers`` (check your
answers). The view modules turn keys into addresses; nothing here reads the request.
"""

from __future__ import annotations

from flask_babel import gettext

from portal.rounds.models import OmissionCheck, ReviewRound

QUESTIONS = ("rewording", "general")
ANSWERS = "answers"
# Kept as the resume page when a member moves on from an item: where they pick up is worked out
# from their answers when they come back, so going back to change an earlier item, or skipping
# one, never sends them to the wrong place.
AFTER_AN_ITEM = "items"


def question_text(question: str) -> dict[str, str]:
    """The heading and hint of one of the two free-text questions."""
    if question == "rewording":
        return {
            "heading": gettext("Should anything be worded differently?"),
            "hint": gettext(
                "Tell us which action, and how you would say it. Leave this empty if not."
            ),
        }
    return {
        "heading": gettext("Is there anything else you want to tell us?"),
        "hint": gettext("This is optional."),
    }


def page_keys(review_round: ReviewRound) -> list[str]:
    """The omission check's pages, in order, as keys kept in ``resume_page``."""
    items = [f"items/{item.id}" for item in review_round.version.items]
    return [*items, "missing", *QUESTIONS, ANSWERS]


def next_page(review_round: ReviewRound, key: str, changing: bool) -> str:
    """The page after ``key``; back to check your answers when the member came from there."""
    if changing:
        return ANSWERS
    order = page_keys(review_round)
    return order[order.index(key) + 1] if key in order[:-1] else ANSWERS


def previous_page(review_round: ReviewRound, key: str) -> str | None:
    """The page before ``key``, or None for the first page (the round's start page is before it)."""
    order = page_keys(review_round)
    index = order.index(key)
    return order[index - 1] if index > 0 else None


def resume_page(review_round: ReviewRound, key: str, later: bool, changing: bool) -> str:
    """The place to keep for a member saving ``key``: the page itself when they stop there."""
    if later:
        return key
    following = next_page(review_round, key, changing)
    if key.startswith("items/") and following != ANSWERS:
        return AFTER_AN_ITEM
    return following


def resume_key(review_round: ReviewRound, check: OmissionCheck) -> str | None:
    """Where "Continue where you left off" goes: the page they stopped on, or, after moving on
    from an item, the first unanswered item after the last one answered."""
    if check.resume_page != AFTER_AN_ITEM:
        return check.resume_page if check.resume_page in page_keys(review_round) else None
    answered = {
        answer.version_item_id
        for answer in check.answers
        if answer.resonance is not None or answer.comment
    }
    items = review_round.version.items
    last = max((index for index, item in enumerate(items) if item.id in answered), default=-1)
    return f"items/{items[last + 1].id}" if last + 1 < len(items) else "missing"
