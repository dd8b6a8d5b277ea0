"""Panels and their sites, as administrators set them up.

Every change is recorded in the audit log in the same transaction, which commits with the request.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.extensions import db
from portal.panels.models import Membership, Panel, Site
from portal.text import render_user_text


class PanelEditConflict(RuntimeError):
    """Someone else saved the panel after this person started editing it."""


class SiteNameTaken(ValueError):
    """The panel already has a site with this name."""


@dataclass(frozen=True)
class PanelDetails:
    name: str
    description: str


@dataclass(frozen=True)
class PanelRow:
    """A panel in the administrators' list, with how many people are in it."""

    panel: Panel
    member_count: int


def panel_rows() -> list[PanelRow]:
    """Every panel, open ones first, then by name, each with its number of active members."""
    counts = (
        select(Membership.panel_id, func.count(Membership.id).label("people"))
        .where(Membership.active.is_(True))
        .group_by(Membership.panel_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Panel, func.coalesce(counts.c.people, 0))
        .outerjoin(counts, counts.c.panel_id == Panel.id)
        .order_by(Panel.archived_at.is_not(None), Panel.name, Panel.id)
    ).all()
    return [PanelRow(panel=panel, member_count=count) for panel, count in rows]


def create_panel(details: PanelDetails, created_by_id: int) -> Panel:
    """Add a new, open panel with no sites or members yet. Records ``PANEL_CREATED``."""
    panel = Panel(name=details.name, description=details.description)
    db.session.add(panel)
    db.session.flush()
    record(
        AuditAction.PANEL_CREATED,
        actor_id=created_by_id,
        panel_id=panel.id,
        detail=f"panel {panel.id}",
    )
    return panel


def update_panel(panel: Panel, details: PanelDetails, lock_version: int) -> None:
    """Change the panel's name and description, unless someone saved it since ``lock_version``.

    The check and the change are one UPDATE, so two saves racing each other cannot both win.
    Raises ``PanelEditConflict``. Records ``PANEL_CHANGED``.
    """
    changed = db.session.execute(
        update(Panel)
        .where(Panel.id == panel.id, Panel.lock_version == lock_version)
        .values(
            name=details.name,
            description=details.description,
            # One UPDATE skips ``keep_html``: the description's safe HTML is rendered here.
            description_html=render_user_text(details.description),
            lock_version=lock_version + 1,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if changed != 1:
        raise PanelEditConflict(f"panel {panel.id} changed since version {lock_version}")
    db.session.refresh(panel)
    record(AuditAction.PANEL_CHANGED, panel_id=panel.id, detail=f"panel {panel.id}")


def set_archived(panel: Panel, archived: bool) -> bool:
    """Archive the panel, or bring it back. Returns False when it was already so.
    Records ``PANEL_ARCHIVED`` or ``PANEL_RESTORED``."""
    if (panel.archived_at is not None) == archived:
        return False
    panel.archived_at = utcnow() if archived else None
    action = AuditAction.PANEL_ARCHIVED if archived else AuditAction.PANEL_RESTORED
    record(action, panel_id=panel.id, detail=f"panel {panel.id}")
    return True


def get_site(panel_id: int, site_id: int) -> Site | None:
    """The site, if it belongs to this panel."""
    site = db.session.get(Site, site_id)
    return site if site is not None and site.panel_id == panel_id else None


def _name_taken(panel_id: int, name: str, except_site_id: int | None = None) -> bool:
    query = select(Site.id).where(Site.panel_id == panel_id, func.lower(Site.name) == name.lower())
    if except_site_id is not None:
        query = query.where(Site.id != except_site_id)
    return db.session.scalar(query) is not None


def _flush_site() -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:  # someone added the same name at the same moment
        raise SiteNameTaken from error


def add_site(panel_id: int, name: str) -> Site:
    """Add a site to the panel. Raises ``SiteNameTaken``. Records ``SITE_ADDED``."""
    if _name_taken(panel_id, name):
        raise SiteNameTaken(name)
    site = Site(panel_id=panel_id, name=name)
    db.session.add(site)
    _flush_site()
    record(AuditAction.SITE_ADDED, panel_id=panel_id, detail=f"site {site.id}")
    return site


def rename_site(site: Site, name: str) -> None:
    """Give the site a new name. Raises ``SiteNameTaken``. Records ``SITE_RENAMED``."""
    if _name_taken(site.panel_id, name, except_site_id=site.id):
        raise SiteNameTaken(name)
    site.name = name
    _flush_site()
    record(AuditAction.SITE_RENAMED, panel_id=site.panel_id, detail=f"site {site.id}")


def remove_site(site: Site) -> None:
    """Remove the site. Drafts and comments that named it stay, for all sites.
    Records ``SITE_REMOVED``."""
    record(AuditAction.SITE_REMOVED, panel_id=site.panel_id, detail=f"site {site.id}")
    db.session.delete(site)
    db.session.flush()
