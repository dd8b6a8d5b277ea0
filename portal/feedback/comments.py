"""Comments on a published version of a draft, or on one of its items.

A comment is text in the Markdown subset (shown through ``portal.text`` only). It is seen by the
study team, and by the rest of the panel only when its author chose "the whole panel". Other
members see it under the author's name or pseudonym code, as the author chose. Authors may change
a comment for ``EDIT_WINDOW`` after posting it, and withdraw it at any time; a withdrawn comment's
text is shown to nobody, and the study team sees that it was withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.db import utcnow
from portal.drafts.models import Draft, DraftVersion
from portal.extensions import db
from portal.feedback.models import Comment, ShownAs, Visibility
from portal.feedback.routing import route_comment
from portal.panels.models import Membership
from portal.rounds.models import ReviewRound

EDIT_WINDOW = timedelta(minutes=15)
COMMENT_MAX_LENGTH = 2000


class EditWindowClosed(Exception):
    """The comment was posted more than ``EDIT_WINDOW`` ago, so it can no longer be changed."""


@dataclass(frozen=True)
class CommentDetails:
    body: str
    item_key: str | None = None
    visibility: Visibility = Visibility.TEAM
    shown_as: ShownAs = ShownAs.NAME


@dataclass(frozen=True)
class ShownComment:
    """A comment as one person sees it on a version page."""

    comment: Comment
    author_label: str
    item_title: str
    is_own: bool
    can_edit: bool

    @property
    def withdrawn(self) -> bool:
        return self.comment.withdrawn_at is not None


def _item_title(version: DraftVersion, item_key: str | None) -> str:
    if not item_key:
        return ""
    for item in version.items:
        if item.key == item_key:
            return item.title
    raise ValueError("no such item in this version")


def can_still_edit(comment: Comment, now: datetime | None = None) -> bool:
    """True while the author may still change the comment."""
    return comment.withdrawn_at is None and (now or utcnow()) < comment.created_at + EDIT_WINDOW


def add_comment(
    draft: Draft, version: DraftVersion, author_id: int, details: CommentDetails
) -> Comment:
    """Post a comment on a version (or one of its items) and put it in the team's inbox.

    ``version.items`` must be loaded; an ``item_key`` not in the version raises ValueError.
    """
    title = _item_title(version, details.item_key)
    comment = Comment(
        panel_id=draft.panel_id,
        draft_id=draft.id,
        version_id=version.id,
        item_key=details.item_key or None,
        author_id=author_id,
        body=details.body,
        visibility=details.visibility,
        shown_as=details.shown_as,
    )
    db.session.add(comment)
    db.session.flush()
    entry = route_comment(comment, draft, title)
    entry.round_id = _open_round_id(version)
    return comment


def _open_round_id(version: DraftVersion) -> int | None:
    """The review round open on this version now, if any, so the inbox can filter by round."""
    now = utcnow()
    return db.session.scalar(
        select(ReviewRound.id)
        .where(
            ReviewRound.version_id == version.id,
            ReviewRound.closed_early_at.is_(None),
            ReviewRound.closes_at > now,
        )
        .order_by(ReviewRound.opened_at.desc())
        .limit(1)
    )


def edit_comment(
    comment: Comment, draft: Draft | None, details: CommentDetails, now: datetime | None = None
) -> None:
    """Change a comment's words and who sees it; raises ``EditWindowClosed`` when too late.

    What the comment is about (the draft or an item) does not change.
    """
    now = now or utcnow()
    if not can_still_edit(comment, now):
        raise EditWindowClosed
    comment.body = details.body
    comment.visibility = details.visibility
    comment.shown_as = details.shown_as
    comment.edited_at = now
    route_comment(comment, draft)


def withdraw_comment(comment: Comment, draft: Draft | None) -> None:
    """Take a comment back: its text is no longer shown anywhere; the team sees it was withdrawn."""
    if comment.withdrawn_at is None:
        comment.withdrawn_at = utcnow()
    route_comment(comment, draft)


def get_comment(panel_id: int, comment_id: int) -> Comment | None:
    """The comment if it belongs to this panel, else None (the view answers 404)."""
    return db.session.scalar(
        select(Comment).where(Comment.id == comment_id, Comment.panel_id == panel_id)
    )


def version_of(comment: Comment) -> DraftVersion | None:
    """The version a comment was written on, with its items."""
    return db.session.scalar(
        select(DraftVersion)
        .where(DraftVersion.id == comment.version_id, DraftVersion.draft_id == comment.draft_id)
        .options(selectinload(DraftVersion.items))
    )


def comments_on_version(
    version: DraftVersion, viewer_id: int, study_team: bool
) -> list[ShownComment]:
    """The comments on a version that this person may see, oldest first, in one query.

    The study team sees every comment (withdrawn ones as withdrawn). Anyone else sees their own
    comments and the ones shared with the whole panel that are not withdrawn; a "study team only"
    comment by someone else is never loaded for them.
    """
    query = (
        select(Comment, User.display_name, Membership.pseudonym_code)
        .join(User, User.id == Comment.author_id)
        .outerjoin(
            Membership,
            and_(Membership.panel_id == Comment.panel_id, Membership.user_id == Comment.author_id),
        )
        .where(Comment.version_id == version.id)
        .order_by(Comment.created_at, Comment.id)
    )
    if not study_team:
        query = query.where(
            or_(
                Comment.author_id == viewer_id,
                and_(Comment.visibility == Visibility.PANEL, Comment.withdrawn_at.is_(None)),
            )
        )
    titles = {item.key: item.title for item in version.items}
    now = utcnow()
    shown = []
    for comment, name, code in db.session.execute(query):
        own = comment.author_id == viewer_id
        shown.append(
            ShownComment(
                comment=comment,
                author_label=author_label(name, code, comment.shown_as, study_team),
                item_title=titles.get(comment.item_key or "", ""),
                is_own=own,
                can_edit=own and can_still_edit(comment, now),
            )
        )
    return shown


def author_label(name: str, code: str | None, shown_as: ShownAs, study_team: bool) -> str:
    """How an author is named: to the team by name and code; to the panel as they chose."""
    if study_team:
        return f"{name} ({code})" if code else name
    if shown_as is ShownAs.PSEUDONYM and code:
        return code
    return name
