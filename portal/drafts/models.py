"""Drafts the study team puts in front of the panel, their frozen versions, and review rounds.

A draft is edited as a working copy (``Draft`` and its ``DraftItem`` rows). Publishing copies the
working copy into a ``DraftVersion`` with ``VersionItem`` rows, which never change again. Each
item keeps a stable ``key`` across versions, so versions can be compared item by item.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, utcnow
from portal.extensions import db
from portal.panels.models import enum_column

if TYPE_CHECKING:
    from portal.accounts.models import User
    from portal.panels.models import Panel, Site


class DraftKind(enum.StrEnum):
    PRIORITY_ACTIONS = "priority_actions"
    IMPLEMENTATION_PLAN = "implementation_plan"
    RESULTS_SUMMARY = "results_summary"
    OTHER = "other"


class ItemFields:
    """What every item holds, in the working copy and in a frozen version alike."""

    key: Mapped[str] = mapped_column(String(32))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(default="")
    theme: Mapped[str] = mapped_column(String(200), default="")
    # Implementation plans only: what will be done, by whom, by when, with what.
    what: Mapped[str] = mapped_column(default="")
    who: Mapped[str] = mapped_column(String(300), default="")
    by_when: Mapped[str] = mapped_column(String(100), default="")
    resources: Mapped[str] = mapped_column(default="")


class Draft(TimestampMixin, db.Model):
    """The working copy of a document the study team wants the panel to look at.

    ``lock_version`` goes up with every saved change; a save based on an older number is a
    conflict, shown to the person instead of overwriting someone else's work.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("site.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[DraftKind] = mapped_column(enum_column(DraftKind, "draft_kind"))
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(default="")
    content_note: Mapped[str] = mapped_column(default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    lock_version: Mapped[int] = mapped_column(default=1)
    # The UPDATE also checks lock_version, so two saves racing each other cannot both win.
    __mapper_args__ = {"version_id_col": lock_version, "version_id_generator": False}
    latest_version_number: Mapped[int] = mapped_column(default=0)
    has_unpublished_changes: Mapped[bool] = mapped_column(default=True)

    panel: Mapped[Panel] = relationship(lazy="raise")
    site: Mapped[Site | None] = relationship(lazy="raise")
    items: Mapped[list[DraftItem]] = relationship(
        back_populates="draft",
        order_by="DraftItem.position",
        cascade="all, delete-orphan",
        lazy="raise",
    )
    versions: Mapped[list[DraftVersion]] = relationship(
        back_populates="draft", order_by="DraftVersion.number", lazy="raise"
    )


class DraftItem(ItemFields, db.Model):
    """One item of a draft's working copy."""

    __table_args__ = (UniqueConstraint("draft_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)

    draft: Mapped[Draft] = relationship(back_populates="items", lazy="raise")


class DraftVersion(db.Model):
    """A published, frozen version of a draft. Never changed after it is made."""

    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(default="")
    content_note: Mapped[str] = mapped_column(default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    draft: Mapped[Draft] = relationship(back_populates="versions", lazy="raise")
    items: Mapped[list[VersionItem]] = relationship(
        back_populates="version",
        order_by="VersionItem.position",
        cascade="all, delete-orphan",
        lazy="raise",
    )


class VersionItem(ItemFields, db.Model):
    """One item as it was published in a version."""

    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("draft_version.id", ondelete="CASCADE"), index=True
    )

    version: Mapped[DraftVersion] = relationship(back_populates="items", lazy="raise")


class ReviewRound(TimestampMixin, db.Model):
    """A published version opened to the panel, with instructions and a deadline."""

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("draft_version.id", ondelete="CASCADE"), index=True
    )
    instructions: Mapped[str] = mapped_column(default="")
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

    check: Mapped[OmissionCheck] = relationship(back_populates="missing_actions", lazy="raise")
