"""The demo study's feedback: a few comments on a published priority-action list, one of them
already answered by the study team, so "you said, we did" can be seen straight away."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.db import utcnow
from portal.drafts.models import Draft, DraftVersion
from portal.extensions import db
from portal.feedback.comments import CommentDetails, add_comment
from portal.feedback.models import Comment, FeedbackEntry, ShownAs, TriageStatus, Visibility
from portal.panels.models import Panel


def load_feedback_demo(panel: Panel, people: dict[str, User], draft_title: str) -> None:
    """Add the demo comments once; nothing is emailed."""
    if db.session.scalar(select(Comment.id).where(Comment.panel_id == panel.id).limit(1)):
        return
    draft = db.session.scalar(
        select(Draft).where(Draft.panel_id == panel.id, Draft.title == draft_title)
    )
    if draft is None:
        return
    version = db.session.scalar(
        select(DraftVersion)
        .where(DraftVersion.draft_id == draft.id)
        .order_by(DraftVersion.number.desc())
        .options(selectinload(DraftVersion.items))
        .limit(1)
    )
    if version is None or not version.items:
        return
    first_item = version.items[0]
    answered = add_comment(
        draft,
        version,
        people["member1@demo.invalid"].id,
        CommentDetails(
            body="Please say **who** will run the sessions. People trust peer workers more "
            "than staff they have never met.",
            item_key=first_item.key,
        ),
    )
    add_comment(
        draft,
        version,
        people["member2@demo.invalid"].id,
        CommentDetails(
            body="I like that families are included. Could the leaflets come in other "
            "languages too?",
            visibility=Visibility.PANEL,
            shown_as=ShownAs.PSEUDONYM,
        ),
    )
    db.session.flush()
    entry = db.session.scalar(select(FeedbackEntry).where(FeedbackEntry.comment_id == answered.id))
    if entry is not None:
        entry.status = TriageStatus.ACTIONED
        entry.response = (
            "You said people trust peer workers more. We have added peer workers to this "
            "action, and the next version names them as leading the sessions."
        )
        entry.responded_at = utcnow()
        entry.responded_by_id = people["researcher@demo.invalid"].id
        entry.assignee_id = people["researcher@demo.invalid"].id
