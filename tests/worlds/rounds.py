"""Review rounds and omission checks: objects and rules for the access matrix."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from portal.db import utcnow
from portal.drafts.models import DraftVersion, VersionItem
from portal.extensions import db
from portal.rounds.models import ReviewRound
from tests.growth import Wording, insert_rows

if TYPE_CHECKING:
    from tests.world import World

RESEARCHERS = {"researcher"}
MEMBERS_AND_CHAIR = {"member", "chair"}
INSTRUCTIONS = Wording("Grown round NUMBER: tell us what *matches* your experience.")

# Panel endpoint -> the panel roles ("member", "chair", "researcher") that may open it.
ALLOWED: dict[str, set[str]] = {
    "rounds.new_round": RESEARCHERS,
    "rounds.show_round": RESEARCHERS,
    "rounds.extend_round": RESEARCHERS,
    "rounds.close_round": RESEARCHERS,
    "rounds.start_check": MEMBERS_AND_CHAIR,
    "rounds.answer_item": MEMBERS_AND_CHAIR,
    "rounds.missing_actions": MEMBERS_AND_CHAIR,
    "rounds.answer_question": MEMBERS_AND_CHAIR,
    "rounds.check_answers": MEMBERS_AND_CHAIR,
    "rounds.check_sent": MEMBERS_AND_CHAIR,
}

# Fields a real form of this domain would send, for the forged-POST test.
FORM: dict[str, str] = {
    "version": "1",
    "instructions": "Forged instructions",
    "day": "1",
    "month": "1",
    "year": str(utcnow().year + 1),
    "time": "17:00",
    "resonance": "strongly",
    "comment": "Forged comment",
    "actions-0-description": "Forged missing action",
    "actions-0-why_it_matters": "Forged reason",
    "text": "Forged text",
}


def add(world: World) -> None:
    """An open review round on the world draft's first version."""
    version = db.session.scalars(
        select(DraftVersion).where(
            DraftVersion.draft_id == world.values["draft_id"], DraftVersion.number == 1
        )
    ).one()
    review_round = ReviewRound(
        panel_id=world.cast.panel.id,
        version_id=version.id,
        instructions="World round",
        closes_at=utcnow() + timedelta(days=7),
    )
    db.session.add(review_round)
    db.session.commit()
    item_id = db.session.scalars(
        select(VersionItem.id).where(VersionItem.version_id == version.id)
    ).first()
    world.values["round_id"] = review_round.id
    world.values["version_item_id"] = item_id
    world.values["question"] = "rewording"


def grow(world: World, count: int) -> None:
    """``count`` more review rounds on the world draft's two versions: open, closed early and
    past their deadline."""
    version_ids = db.session.scalars(
        select(DraftVersion.id)
        .where(DraftVersion.draft_id == world.values["draft_id"])
        .order_by(DraftVersion.number)
    ).all()
    now = utcnow()
    insert_rows(
        ReviewRound,
        [
            {
                "panel_id": world.cast.panel.id,
                "version_id": version_ids[number % len(version_ids)],
                "instructions": INSTRUCTIONS.text(number),
                "instructions_html": INSTRUCTIONS.html(number),
                "opened_at": now - timedelta(days=number % 30 + 1),
                "closes_at": now + timedelta(days=number % 30 - 10),
                "closed_early_at": now if number % 7 == 0 else None,
                "opened_by_id": world.cast.people["researcher"].id,
            }
            for number in range(count)
        ],
    )
    db.session.commit()
