"""Round results and exports: objects and rules for the access matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from portal.db import utcnow
from portal.drafts.models import VersionItem
from portal.extensions import db
from portal.rounds.models import ItemAnswer, MissingAction, OmissionCheck, Resonance, ReviewRound
from tests.growth import Wording, insert_rows, people_for
from tests.results_data import answer_round

if TYPE_CHECKING:
    from tests.world import World

RESEARCHERS = {"researcher"}

# Panel endpoint -> the panel roles ("member", "chair", "researcher") that may open it.
ALLOWED: dict[str, set[str]] = {
    "rounds.show_results": RESEARCHERS,
    "rounds.remind_round": RESEARCHERS,
    "rounds.export_results_xlsx": RESEARCHERS,
    "rounds.export_results_csv": RESEARCHERS,
}

# Fields a real form of this domain would send, for the forged-POST test.
FORM: dict[str, str] = {}


def add(world: World) -> None:
    """One member's answers in the world's review round (made by the rounds part)."""
    review_round = db.session.get(ReviewRound, world.values["round_id"])
    assert review_round is not None, "the rounds part of the world makes the review round"
    answer_round(review_round, world.cast.people["member"], [Resonance.STRONGLY, Resonance.NO])


REWORDING = Wording("Say 'people' rather than 'patients' (NUMBER).")
GENERAL = Wording("Thank you for *asking us* (NUMBER).")
ITEM_COMMENT = Wording("This matters to me because of what happened (NUMBER).")
MISSING = Wording("Support for **carers** and families (NUMBER)")
WHY = Wording("Carers are often left out (NUMBER).")


def grow(world: World, count: int) -> None:
    """``count`` more members' omission checks in the world's round, most of them sent, each
    with an answer about one of its items, a missing action, a rewording and a comment."""
    review_round = db.session.get(ReviewRound, world.values["round_id"])
    assert review_round is not None
    item_ids = db.session.scalars(
        select(VersionItem.id)
        .where(VersionItem.version_id == review_round.version_id)
        .order_by(VersionItem.position)
    ).all()
    people = people_for(world, "results", count)
    first = world.people_used["results"] - count
    numbers = range(first, first + count)
    now = utcnow()
    check_ids = insert_rows(
        OmissionCheck,
        [
            {
                "round_id": review_round.id,
                "user_id": user_id,
                "rewording": REWORDING.text(number),
                "rewording_html": REWORDING.html(number),
                "general_comment": GENERAL.text(number),
                "general_comment_html": GENERAL.html(number),
                "submitted_at": now if number % 5 else None,
                "resume_page": "" if number % 5 else "missing",
            }
            for number, user_id in zip(numbers, people, strict=True)
        ],
    )
    resonances = list(Resonance)
    insert_rows(
        ItemAnswer,
        [
            {
                "check_id": check_id,
                "version_item_id": item_ids[number % len(item_ids)],
                "resonance": resonances[number % len(resonances)],
                "comment": ITEM_COMMENT.text(number),
                "comment_html": ITEM_COMMENT.html(number),
            }
            for number, check_id in zip(numbers, check_ids, strict=True)
        ],
    )
    insert_rows(
        MissingAction,
        [
            {
                "check_id": check_id,
                "position": 1,
                "description": MISSING.text(number),
                "description_html": MISSING.html(number),
                "why_it_matters": WHY.text(number),
                "why_it_matters_html": WHY.html(number),
            }
            for number, check_id in zip(numbers, check_ids, strict=True)
        ],
    )
    db.session.commit()
