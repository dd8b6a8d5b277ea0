"""Drafts the study team puts in front of the panel, and their frozen versions.

A draft is edited as a working copy (``Draft`` and its ``DraftItem`` rows). Publishing copies the
working copy into a ``DraftVersion`` with ``VersionItem`` rows, which never change again. Each
item keeps a stable ``key`` across versions, so versions can be compared item by item.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, enum_column, utcnow
from portal.extensions import db
from portal.text import StoredHTML, keep_html

if TYPE_CHECKING:
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
    # ``description``, ``what`` and ``resources`` as safe HTML, kept in step by ``keep_html``.
    description_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    what_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    resources_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")


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
    # ``summary`` as safe HTML, kept in step by ``keep_html``.
    summary_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
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
    # ``summary`` as safe HTML, kept in step by ``keep_html``.
    summary_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
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


keep_html(Draft.summary, Draft.summary_html)
keep_html(DraftVersion.summary, DraftVersion.summary_html)
keep_html(DraftItem.description, DraftItem.description_html)
keep_html(DraftItem.what, DraftItem.what_html)
keep_html(DraftItem.resources, DraftItem.resources_html)
keep_html(VersionItem.description, VersionItem.description_html)
keep_html(VersionItem.what, VersionItem.what_html)
keep_html(VersionItem.resources, VersionItem.resources_html)
