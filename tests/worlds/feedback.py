"""Comments, the triage inbox and My feedback: objects and rules for the access matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from portal.drafts.models import Draft, DraftVersion
from portal.extensions import db
from portal.feedback.comments import CommentDetails, add_comment
from portal.feedback.models import FeedbackEntry, Visibility

if TYPE_CHECKING:
    from tests.world import World

EVERYONE = {"member", "chair", "researcher"}
MEMBERS_AND_CHAIR = {"member", "chair"}
RESEARCHERS = {"researcher"}

# Panel endpoint -> the panel roles ("member", "chair", "researcher") that may open it.
ALLOWED: dict[str, set[str]] = {
    "feedback.new_comment": MEMBERS_AND_CHAIR,
    "feedback.edit_comment": MEMBERS_AND_CHAIR,
    "feedback.withdraw_comment": MEMBERS_AND_CHAIR,
    "feedback.inbox": RESEARCHERS,
    "feedback.bulk_triage": RESEARCHERS,
    "feedback.triage_entry": RESEARCHERS,
    "feedback.my_feedback": EVERYONE,
    "feedback.mark_responses_read": EVERYONE,
}

# Fields a real form of this domain would send, for the forged-POST test.
FORM: dict[str, str] = {
    "visibility": "panel",
    "shown_as": "name",
    "about": "",
    "entry_ids": "1",
    "reason": "Forged reason",
    "response": "Forged response",
    "assignee_id": "",
}


def add(world: World) -> None:
    """A member's comment on the world draft's first version, and its inbox entry."""
    draft = db.session.get(Draft, world.values["draft_id"])
    assert draft is not None
    version = db.session.scalars(
        select(DraftVersion).where(DraftVersion.draft_id == draft.id, DraftVersion.number == 1)
    ).one()
    db.session.refresh(version, ["items"])
    comment = add_comment(
        draft,
        version,
        world.cast.people["member"].id,
        CommentDetails(body="World comment", visibility=Visibility.PANEL),
    )
    db.session.commit()
    entry = db.session.scalars(
        select(FeedbackEntry).where(FeedbackEntry.comment_id == comment.id)
    ).one()
    world.values["comment_id"] = comment.id
    world.values["entry_id"] = entry.id
    # A comment can be changed or withdrawn only by its author; to anyone else in the panel it
    # does not exist.
    for endpoint in ("feedback.edit_comment", "feedback.withdraw_comment"):
        world.exceptions[(endpoint, "chair")] = {"404"}
    # Marking responses read is a button, not a form to show again: a forged press is a 400.
    for role in ("member", "chair", "researcher"):
        world.forged_exceptions[("feedback.mark_responses_read", role)] = {"status 400"}
