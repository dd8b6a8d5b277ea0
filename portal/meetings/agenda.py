"""A meeting's agenda: its items in order, and the meeting loaded with them.

Nothing here commits: changes commit with the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.orm import joinedload, selectinload

from portal.db import move_among
from portal.extensions import db
from portal.meetings.models import AgendaItem, Meeting, Paper


@dataclass(frozen=True)
class AgendaItemDetails:
    title: str
    description: str = ""
    minutes: int = 10
    lead: str = ""


def get_meeting(panel_id: int, meeting_id: int, with_agenda: bool = False) -> Meeting | None:
    """The meeting if it is in this panel; with its agenda, papers and their files if asked."""
    query = select(Meeting).where(Meeting.id == meeting_id, Meeting.panel_id == panel_id)
    if with_agenda:
        # Each paper's files and draft come joined to the papers: selectin loading would ask
        # again for every 500 papers, so a long list would take more queries.
        query = query.options(
            selectinload(Meeting.agenda_items),
            selectinload(Meeting.papers).options(joinedload(Paper.files), joinedload(Paper.draft)),
        )
    return db.session.scalar(query)


def total_minutes(items: list[AgendaItem]) -> int:
    return sum(item.minutes for item in items)


def get_agenda_item(meeting: Meeting, item_id: int) -> AgendaItem | None:
    return db.session.scalar(
        select(AgendaItem).where(AgendaItem.id == item_id, AgendaItem.meeting_id == meeting.id)
    )


# Built once with its values bound when it runs: on the meeting page, asked for often, building a
# statement costs more than running it (README: "What keeps pages fast").
@cache
def _items_in_order() -> Select[Any]:
    return (
        select(AgendaItem)
        .where(AgendaItem.meeting_id == bindparam("meeting_id"))
        .order_by(AgendaItem.position, AgendaItem.id)
    )


def items_in_order(meeting: Meeting) -> list[AgendaItem]:
    return list(db.session.scalars(_items_in_order(), {"meeting_id": meeting.id}))


def add_agenda_item(meeting: Meeting, details: AgendaItemDetails) -> AgendaItem:
    """Add an item at the end of the agenda."""
    items = items_in_order(meeting)
    item = AgendaItem(
        meeting_id=meeting.id,
        position=(items[-1].position + 1) if items else 1,
        title=details.title,
        description=details.description,
        minutes=details.minutes,
        lead=details.lead,
    )
    db.session.add(item)
    db.session.flush()
    return item


def update_agenda_item(item: AgendaItem, details: AgendaItemDetails) -> None:
    item.title = details.title
    item.description = details.description
    item.minutes = details.minutes
    item.lead = details.lead


def remove_agenda_item(meeting: Meeting, item: AgendaItem) -> None:
    """Take an item off the agenda; its papers stay with the meeting, linked to no item."""
    db.session.execute(
        update(Paper).where(Paper.agenda_item_id == item.id).values(agenda_item_id=None)
    )
    db.session.delete(item)
    db.session.flush()
    for position, other in enumerate(items_in_order(meeting), start=1):
        other.position = position


def move_agenda_item(meeting: Meeting, item: AgendaItem, direction: str) -> bool:
    """Swap an item with the one above or below. False when it is already at that end."""
    return move_among(items_in_order(meeting), item, direction)
