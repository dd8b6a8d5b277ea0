"""Panels, their sites, and who belongs to them in which role."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, enum_column
from portal.extensions import db
from portal.panels.roles import Role
from portal.text import StoredHTML, keep_html

if TYPE_CHECKING:
    from portal.accounts.models import User


class Panel(TimestampMixin, db.Model):
    """A Lived Experience Advisory Panel for one study."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    study_name: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(default="")
    # ``description`` as safe HTML, kept in step by ``keep_html`` (and by ``update_panel``, whose
    # one UPDATE skips it).
    description_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    pseudonym_prefix: Mapped[str] = mapped_column(String(16), default="LEAP")
    next_pseudonym_number: Mapped[int] = mapped_column(default=1)
    # Goes up with every change to the name or description, so two administrators editing at
    # once cannot overwrite each other without seeing it.
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # An archived panel is finished: it is kept for the record but no longer offered to people.
    archived_at: Mapped[datetime | None]

    sites: Mapped[list[Site]] = relationship(
        back_populates="panel", order_by="Site.name", lazy="raise"
    )
    memberships: Mapped[list[Membership]] = relationship(back_populates="panel", lazy="raise")


class Site(TimestampMixin, db.Model):
    """A study area, such as "East London"."""

    __table_args__ = (UniqueConstraint("panel_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    panel: Mapped[Panel] = relationship(back_populates="sites", lazy="raise")


class Membership(TimestampMixin, db.Model):
    """One person's place in one panel: their role and their stable pseudonym code."""

    __table_args__ = (
        UniqueConstraint("panel_id", "user_id"),
        UniqueConstraint("panel_id", "pseudonym_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    pseudonym_code: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)
    # A member who paused their involvement: since when, and until which day (UK date; none:
    # until they come back). Nobody is ever asked or told why.
    paused_at: Mapped[datetime | None]
    paused_until: Mapped[date | None]
    # When the member chose to stop being a member (the record is kept).
    left_at: Mapped[datetime | None]

    panel: Mapped[Panel] = relationship(back_populates="memberships", lazy="raise")
    user: Mapped[User] = relationship(back_populates="memberships", lazy="raise")


keep_html(Panel.description, Panel.description_html)
