"""Comments, the triage inbox and My feedback: objects and rules for the access matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from portal.db import utcnow
from portal.drafts.models import Draft, DraftVersion
from portal.extensions import db
from portal.feedback.comments import CommentDetails, add_comment
from portal.feedback.models import (
    Comment,
    EntryKind,
    FeedbackEntry,
    ShownAs,
    TriageStatus,
    Visibility,
)
from tests.growth import Wording, insert_rows

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


COMMENT = Wording("Comment NUMBER: this **matters** to our community.")
RESPONSE = Wording("You said NUMBER, *we did* something about it.")


def grow(world: World, count: int) -> None:
    """``count`` more comments on the world draft's first version, by the member, the chair and
    the researcher in turn (so each one's My feedback shows more), each in the inbox; some are
    shared with the panel, some withdrawn, and some answered by the study team."""
    draft = db.session.get(Draft, world.values["draft_id"])
    assert draft is not None
    version_id = db.session.scalar(
        select(DraftVersion.id).where(DraftVersion.draft_id == draft.id, DraftVersion.number == 1)
    )
    people = world.cast.people
    authors = [people["member"].id, people["chair"].id, people["researcher"].id]
    researcher_id = people["researcher"].id
    now = utcnow()
    start = db.session.scalar(select(func.count(Comment.id))) or 0
    numbers = range(start + 1, start + 1 + count)
    comment_ids = insert_rows(
        Comment,
        [
            {
                "panel_id": draft.panel_id,
                "draft_id": draft.id,
                "version_id": version_id,
                "author_id": authors[number % len(authors)],
                "body": COMMENT.text(number),
                "body_html": COMMENT.html(number),
                "visibility": Visibility.PANEL if number % 2 else Visibility.TEAM,
                "shown_as": ShownAs.PSEUDONYM if number % 3 == 0 else ShownAs.NAME,
                "withdrawn_at": now if number % 10 == 0 else None,
            }
            for number in numbers
        ],
    )
    statuses = list(TriageStatus)
    insert_rows(
        FeedbackEntry,
        [
            {
                "panel_id": draft.panel_id,
                "kind": EntryKind.COMMENT,
                "author_id": authors[number % len(authors)],
                "draft_id": draft.id,
                "site_id": draft.site_id,
                "round_id": world.values.get("round_id"),
                "comment_id": comment_id,
                "text": COMMENT.text(number),
                "text_html": COMMENT.html(number),
                "preview_html": COMMENT.preview(number),
                "withdrawn": number % 10 == 0,
                "status": statuses[number % len(statuses)],
                "reason": "We have done this already." if number % 5 == 3 else "",
                "assignee_id": researcher_id if number % 4 == 0 else None,
                "response": RESPONSE.text(number) if number % 2 == 0 else "",
                "response_html": RESPONSE.html(number) if number % 2 == 0 else "",
                "responded_at": now if number % 2 == 0 else None,
                "responded_by_id": researcher_id if number % 2 == 0 else None,
            }
            for number, comment_id in zip(numbers, comment_ids, strict=True)
        ],
    )
    db.session.commit()
