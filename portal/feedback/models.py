"""What members say, routed to the study team, and the team's answers ("you said, we did").

Everything a member says to the team (a comment, a missing action, a rewording suggestion, a
comment on an item in an omission check, a general comment) becomes one ``FeedbackEntry`` in the
study team's inbox. The entry carries its own copy of the words, the triage status, the
assignee and the response, so the inbox is one table, filtered and paginated in one query.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, enum_column
from portal.extensions import db
from portal.text import StoredHTML, keep_html, render_preview

if TYPE_CHECKING:
    from portal.accounts.models import User
    from portal.drafts.models import Draft
    from portal.rounds.models import ReviewRound


class Visibility(enum.StrEnum):
    TEAM = "team"  # the study team only (the default)
    PANEL = "panel"  # the whole panel


class ShownAs(enum.StrEnum):
    NAME = "name"
    PSEUDONYM = "pseudonym"


class Comment(TimestampMixin, db.Model):
    """A member's comment on a draft, or on one item of it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("draft.id", ondelete="CASCADE"), index=True
    )
    item_key: Mapped[str | None] = mapped_column(String(32))
    # The published version the member was reading when they wrote it.
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("draft_version.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    body: Mapped[str]
    # ``body`` as safe HTML, kept in step by ``keep_html`` below.
    body_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "visibility"), default=Visibility.TEAM
    )
    shown_as: Mapped[ShownAs] = mapped_column(
        enum_column(ShownAs, "shown_as"), default=ShownAs.NAME
    )
    withdrawn_at: Mapped[datetime | None]
    edited_at: Mapped[datetime | None]

    author: Mapped[User] = relationship(lazy="raise")


class EntryKind(enum.StrEnum):
    COMMENT = "comment"
    ITEM_ANSWER = "item_answer"
    MISSING_ACTION = "missing_action"
    REWORDING = "rewording"
    GENERAL = "general"


class TriageStatus(enum.StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    ACTIONED = "actioned"
    NOT_ACTIONED = "not_actioned"  # a reason is required
    DUPLICATE = "duplicate"  # of another entry


class FeedbackEntry(TimestampMixin, db.Model):
    """One thing a member said, in the study team's inbox, with its triage and response."""

    # The inbox lists a panel's entries newest first, filtered by at most a few of these: an
    # index for each filter, led by the panel, lets both databases find a page without reading
    # every entry (tests/integration/test_inbox_indexes.py proves it with EXPLAIN).
    __table_args__ = (
        Index("ix_feedback_entry_inbox", "panel_id", "status", "created_at"),
        Index("ix_feedback_entry_newest", "panel_id", "created_at", "id"),
        Index("ix_feedback_entry_by_draft", "panel_id", "draft_id", "created_at", "id"),
        Index("ix_feedback_entry_by_site", "panel_id", "site_id", "created_at", "id"),
        Index("ix_feedback_entry_by_round", "panel_id", "round_id", "created_at", "id"),
        Index("ix_feedback_entry_by_assignee", "panel_id", "assignee_id", "created_at", "id"),
        Index("ix_feedback_entry_author", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"))
    kind: Mapped[EntryKind] = mapped_column(enum_column(EntryKind, "entry_kind"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("draft.id", ondelete="CASCADE"), index=True
    )
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id", ondelete="SET NULL"))
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_round.id", ondelete="CASCADE"), index=True
    )
    # Where it came from, so an edit or withdrawal reaches the inbox copy.
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), unique=True
    )
    source_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    item_title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str]
    # ``text`` as safe HTML, whole and cut short for the inbox; kept in step by ``keep_html``.
    text_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    preview_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    withdrawn: Mapped[bool] = mapped_column(default=False)

    status: Mapped[TriageStatus] = mapped_column(
        enum_column(TriageStatus, "triage_status"), default=TriageStatus.NEW
    )
    reason: Mapped[str] = mapped_column(default="")
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback_entry.id", ondelete="SET NULL")
    )
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    response: Mapped[str] = mapped_column(default="")
    response_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    responded_at: Mapped[datetime | None]
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # When the member marked the latest response as read (for "new" on their home page).
    response_seen_at: Mapped[datetime | None]
    # When a researcher marked these words as quoted in a report (only with quote consent).
    quoted_at: Mapped[datetime | None]
    # Goes up with every triage save; a save based on an older number is a conflict.
    lock_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": lock_version, "version_id_generator": False}

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="raise")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="raise")
    draft: Mapped[Draft | None] = relationship(lazy="raise")
    round: Mapped[ReviewRound | None] = relationship(lazy="raise")


keep_html(Comment.body, Comment.body_html)
keep_html(FeedbackEntry.text, FeedbackEntry.text_html)
keep_html(FeedbackEntry.text, FeedbackEntry.preview_html, render_preview)
keep_html(FeedbackEntry.response, FeedbackEntry.response_html)
