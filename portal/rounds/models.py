"""Review rounds and members' omission checks: what each member said about a published version.

A ``ReviewRound`` opens one ``DraftVersion`` to the panel until a deadline. Each member's answers
are one ``OmissionCheck`` with an ``ItemAnswer`` per item of the version and any number of
``MissingAction`` rows. The tables keep the names they had when these models lived with drafts.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, enum_column, utcnow
from portal.extensions import db
from portal.text import StoredHTML, keep_html

if TYPE_CHECKING:
    from portal.accounts.models import User
    from portal.drafts.models import DraftVersion, VersionItem


class ReviewRound(TimestampMixin, db.Model):
    """A published version opened to the panel, with instructions and a deadline."""

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("draft_version.id", ondelete="CASCADE"), index=True
    )
    instructions: Mapped[str] = mapped_column(default="")
    # ``instructions`` as safe HTML, kept in step by ``keep_html``.
    instructions_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closes_at: Mapped[datetime]
    closed_early_at: Mapped[datetime | None]
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    version: Mapped[DraftVersion] = relationship(lazy="raise")

    def is_open(self, now: datetime) -> bool:
        return self.closed_early_at is None and now < self.closes_at


class Resonance(enum.StrEnum):
    """How far an item matches a member's lived experience."""

    STRONGLY = "strongly"
    PARTLY = "partly"
    NO = "no"
    NOT_SURE = "not_sure"


class OmissionCheck(TimestampMixin, db.Model):
    """One member's answers to one review round: saved as they go, then submitted."""

    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("review_round.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    rewording: Mapped[str] = mapped_column(default="")
    general_comment: Mapped[str] = mapped_column(default="")
    # Safe HTML of the member's words for the results page, kept in step by ``keep_html``.
    rewording_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    general_comment_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    submitted_at: Mapped[datetime | None]
    # The page to take the member back to when they return ("items/12", "missing", "answers"), or
    # "items" when they moved on from an item: the first unanswered one is found on their return.
    resume_page: Mapped[str] = mapped_column(String(40), default="", server_default="")

    round: Mapped[ReviewRound] = relationship(lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")
    answers: Mapped[list[ItemAnswer]] = relationship(
        back_populates="check", cascade="all, delete-orphan", lazy="raise"
    )
    missing_actions: Mapped[list[MissingAction]] = relationship(
        back_populates="check",
        order_by="MissingAction.position",
        cascade="all, delete-orphan",
        lazy="raise",
    )


class ItemAnswer(db.Model):
    """A member's answer about one item: does it match their lived experience?"""

    __table_args__ = (
        UniqueConstraint("check_id", "version_item_id"),
        Index("ix_item_answer_item_resonance", "version_item_id", "resonance"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(
        ForeignKey("omission_check.id", ondelete="CASCADE"), index=True
    )
    version_item_id: Mapped[int] = mapped_column(ForeignKey("version_item.id", ondelete="CASCADE"))
    resonance: Mapped[Resonance | None] = mapped_column(enum_column(Resonance, "resonance"))
    comment: Mapped[str] = mapped_column(default="")
    comment_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")

    check: Mapped[OmissionCheck] = relationship(back_populates="answers", lazy="raise")
    version_item: Mapped[VersionItem] = relationship(lazy="raise")


class MissingAction(db.Model):
    """Something important a member says the draft leaves out."""

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(
        ForeignKey("omission_check.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str]
    why_it_matters: Mapped[str] = mapped_column(default="")
    description_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    why_it_matters_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")

    check: Mapped[OmissionCheck] = relationship(back_populates="missing_actions", lazy="raise")


class RoundItemCount(db.Model):
    """How many of those who sent their answers gave each answer about one item of a round, and
    how many wrote a comment on it: kept by ``portal.rounds.counts`` as answers are sent, changed
    and removed, so the results page reads one row for each item instead of every answer."""

    round_id: Mapped[int] = mapped_column(
        ForeignKey("review_round.id", ondelete="CASCADE"), primary_key=True
    )
    version_item_id: Mapped[int] = mapped_column(
        ForeignKey("version_item.id", ondelete="CASCADE"), primary_key=True
    )
    strongly: Mapped[int] = mapped_column(default=0, server_default="0")
    partly: Mapped[int] = mapped_column(default=0, server_default="0")
    no_match: Mapped[int] = mapped_column(default=0, server_default="0")
    not_sure: Mapped[int] = mapped_column(default=0, server_default="0")
    comments: Mapped[int] = mapped_column(default=0, server_default="0")


keep_html(ReviewRound.instructions, ReviewRound.instructions_html)
keep_html(OmissionCheck.rewording, OmissionCheck.rewording_html)
keep_html(OmissionCheck.general_comment, OmissionCheck.general_comment_html)
keep_html(ItemAnswer.comment, ItemAnswer.comment_html)
keep_html(MissingAction.description, MissingAction.description_html)
keep_html(MissingAction.why_it_matters, MissingAction.why_it_matters_html)
