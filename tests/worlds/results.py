"""Round results and exports: objects and rules for the access matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.extensions import db
from portal.rounds.models import Resonance, ReviewRound
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
