"""Drafts: create, edit the working copy, publish frozen versions, and load them for pages.

Every change to a draft's working copy checks the ``lock_version`` the editor started from.
If someone else saved in between, ``EditConflict`` is raised and nothing is changed, so the
view can show both versions and keep what the second person typed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from portal.db import move_among
from portal.drafts.models import Draft, DraftItem, DraftKind, DraftVersion, VersionItem
from portal.extensions import db


class EditConflict(Exception):
    """Someone else saved this draft after the editor opened it."""


@dataclass(frozen=True)
class DraftDetails:
    kind: DraftKind
    title: str
    site_id: int | None = None
    source: str = ""
    summary: str = ""
    content_note: str = ""


@dataclass(frozen=True)
class ItemDetails:
    title: str
    description: str = ""
    theme: str = ""
    what: str = ""
    who: str = ""
    by_when: str = ""
    resources: str = ""


ITEM_FIELDS = tuple(field.name for field in fields(ItemDetails))


def new_item_key() -> str:
    return secrets.token_hex(8)


# --- loading ------------------------------------------------------------------------------


def drafts_in_panel(panel_id: int, published_only: bool) -> list[Draft]:
    """A panel's drafts, newest first, with their site loaded."""
    query = (
        select(Draft)
        .where(Draft.panel_id == panel_id)
        .options(selectinload(Draft.site))
        .order_by(Draft.updated_at.desc(), Draft.id.desc())
    )
    if published_only:
        query = query.where(Draft.latest_version_number > 0)
    return list(db.session.scalars(query))


# Built once with its values bound when it runs: asked on every page of a draft, a round or an
# omission check, where building a statement costs more than running it (README: "What keeps
# pages fast").
@cache
def _get_draft(with_items: bool) -> Select[Any]:
    query = select(Draft).where(
        Draft.id == bindparam("draft_id"), Draft.panel_id == bindparam("panel_id")
    )
    query = query.options(selectinload(Draft.site))
    if with_items:
        query = query.options(selectinload(Draft.items))
    return query


def get_draft(panel_id: int, draft_id: int, with_items: bool = False) -> Draft | None:
    """The draft if it belongs to this panel, else None (the view answers 404)."""
    return db.session.scalar(_get_draft(with_items), {"draft_id": draft_id, "panel_id": panel_id})


def get_item(draft: Draft, item_id: int) -> DraftItem | None:
    return db.session.scalar(
        select(DraftItem).where(DraftItem.id == item_id, DraftItem.draft_id == draft.id)
    )


def get_version(draft: Draft, number: int) -> DraftVersion | None:
    """A published version of the draft, with its items, or None."""
    return db.session.scalar(
        select(DraftVersion)
        .where(DraftVersion.draft_id == draft.id, DraftVersion.number == number)
        .options(selectinload(DraftVersion.items))
    )


def version_numbers(draft: Draft) -> list[int]:
    return list(
        db.session.scalars(
            select(DraftVersion.number)
            .where(DraftVersion.draft_id == draft.id)
            .order_by(DraftVersion.number)
        )
    )


# --- changing -----------------------------------------------------------------------------


def _expect(draft: Draft, lock_version: int | None) -> None:
    if lock_version is not None and draft.lock_version != lock_version:
        raise EditConflict


def _touch(draft: Draft) -> None:
    """Mark the working copy changed; bumps ``lock_version`` so later stale saves conflict."""
    draft.has_unpublished_changes = True
    draft.lock_version += 1


def flush_or_conflict() -> None:
    """Write pending changes now, turning a concurrent save into ``EditConflict``."""
    try:
        db.session.flush()
    except StaleDataError as error:
        db.session.rollback()
        raise EditConflict from error


def create_draft(panel_id: int, details: DraftDetails, created_by_id: int) -> Draft:
    """Add a new, unpublished draft to a panel; it commits with the request (or the command)."""
    draft = Draft(panel_id=panel_id, created_by_id=created_by_id, **details.__dict__)
    db.session.add(draft)
    db.session.flush()
    return draft


def update_draft(draft: Draft, details: DraftDetails, lock_version: int) -> None:
    """Change the draft's details, unless someone else saved since ``lock_version``."""
    _expect(draft, lock_version)
    for name, value in details.__dict__.items():
        setattr(draft, name, value)
    _touch(draft)
    flush_or_conflict()


def add_item(draft: Draft, details: ItemDetails, lock_version: int) -> DraftItem:
    """Add an item at the end of the draft."""
    _expect(draft, lock_version)
    last = db.session.scalar(
        select(func.max(DraftItem.position)).where(DraftItem.draft_id == draft.id)
    )
    item = DraftItem(
        draft_id=draft.id, key=new_item_key(), position=(last or 0) + 1, **details.__dict__
    )
    db.session.add(item)
    _touch(draft)
    flush_or_conflict()
    return item


def update_item(draft: Draft, item: DraftItem, details: ItemDetails, lock_version: int) -> None:
    _expect(draft, lock_version)
    for name, value in details.__dict__.items():
        setattr(item, name, value)
    _touch(draft)
    flush_or_conflict()


def remove_item(draft: Draft, item: DraftItem, lock_version: int) -> None:
    _expect(draft, lock_version)
    db.session.delete(item)
    _touch(draft)
    flush_or_conflict()


def move_item(draft: Draft, item: DraftItem, direction: str, lock_version: int) -> bool:
    """Swap an item with its neighbour above or below. False when it is already at that end."""
    _expect(draft, lock_version)
    items = list(
        db.session.scalars(
            select(DraftItem).where(DraftItem.draft_id == draft.id).order_by(DraftItem.position)
        )
    )
    if not move_among(items, item, direction):
        return False
    _touch(draft)
    flush_or_conflict()
    return True


def publish(draft: Draft, published_by_id: int, lock_version: int) -> DraftVersion:
    """Freeze the working copy as the next version. The version never changes afterwards."""
    _expect(draft, lock_version)
    items = list(
        db.session.scalars(
            select(DraftItem).where(DraftItem.draft_id == draft.id).order_by(DraftItem.position)
        )
    )
    number = draft.latest_version_number + 1
    version = DraftVersion(
        draft_id=draft.id,
        number=number,
        title=draft.title,
        source=draft.source,
        summary=draft.summary,
        content_note=draft.content_note,
        published_by_id=published_by_id,
    )
    version.items = [
        VersionItem(key=item.key, position=item.position, **_item_values(item)) for item in items
    ]
    db.session.add(version)
    draft.latest_version_number = number
    draft.has_unpublished_changes = False
    draft.lock_version += 1
    flush_or_conflict()
    return version


def _item_values(item: DraftItem | VersionItem) -> dict[str, Any]:
    return {name: getattr(item, name) for name in ITEM_FIELDS}
