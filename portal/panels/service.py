"""Panels and memberships: the queries other domains use to know who is where."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.panels.models import Membership, Panel, Site


def memberships_of(user_id: int) -> list[Membership]:
    """A person's active memberships, each with its panel loaded, by panel name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.panel)
            .options(joinedload(Membership.panel))
            .where(Membership.user_id == user_id, Membership.active.is_(True))
            .order_by(Panel.name)
        )
    )


def next_pseudonym_code(panel: Panel) -> str:
    """Give out the panel's next pseudonym code, such as ``LEAP-07``. Codes are never reused."""
    number = panel.next_pseudonym_number
    panel.next_pseudonym_number = number + 1
    return f"{panel.pseudonym_prefix}-{number:02d}"


def get_panel(panel_id: int) -> Panel | None:
    return db.session.get(Panel, panel_id)


def sites_of(panel_id: int) -> list[Site]:
    """A panel's sites, by name."""
    return list(
        db.session.scalars(select(Site).where(Site.panel_id == panel_id).order_by(Site.name))
    )
