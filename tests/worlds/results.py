"""Round results and exports: objects and rules for the access matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.drafts.models import Resonance
from tests.results_data import answer_round, make_round

if TYPE_CHECKING:
    from tests.world import World

RESEARCHERS = {"researcher"}

# Panel endpoint -> the panel roles ("member", "chair", "researcher") that may open it.
ALLOWED: dict[str, set[str]] = {
    "drafts.show_results": RESEARCHERS,
    "drafts.remind_round": RESEARCHERS,
    "drafts.export_results_xlsx": RESEARCHERS,
    "drafts.export_results_csv": RESEARCHERS,
}

# Fields a real form of this domain would send, for the forged-POST test.
FORM: dict[str, str] = {}


def add(world: World) -> None:
    """An open round with one member's answers; the rounds part may already have made one."""
    if "round_id" in world.values:
        return
    cast = world.cast
    review_round = make_round(cast.panel, cast.people["researcher"], draft_title="Results world")
    answer_round(review_round, cast.people["member"], [Resonance.STRONGLY, Resonance.NO])
    world.values["round_id"] = review_round.id
