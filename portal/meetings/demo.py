"""The demo study's meetings."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.accounts.models import User
from portal.db import utcnow
from portal.drafts.models import Draft
from portal.extensions import db
from portal.meetings.models import (
    ActionStatus,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingAction,
    MeetingStatus,
    MinutesRevision,
    Paper,
)
from portal.panels.models import Membership, Panel, Role


def load_meetings_demo(panel: Panel, people: dict[str, User]) -> None:
    """Add the demo meetings if they are not there yet."""
    # Agendas, papers, packs, minutes and actions for whatever meetings the demo has.
    meetings = list(
        db.session.scalars(
            select(Meeting).where(Meeting.panel_id == panel.id).order_by(Meeting.starts_at)
        )
    )
    if meetings:
        load_papers_demo(panel, meetings)


def load_papers_demo(panel: Panel, meetings: list[Meeting]) -> None:
    """Give the demo meetings their agendas, papers, packs, attendance, minutes and actions.

    Past meetings get attendance, minutes (agreed, except the latest, which is out for
    comment) and actions; the next meeting gets an agenda, papers and a published pack. Papers
    link to the demo's published drafts, so no files are written. Safe to run again.
    """
    now = utcnow()
    memberships = list(
        db.session.scalars(
            select(Membership)
            .where(Membership.panel_id == panel.id, Membership.active.is_(True))
            .order_by(Membership.id)
        )
    )
    chair = next((m for m in memberships if m.role is Role.CHAIR), None)
    attendees = [m for m in memberships if m.role in (Role.MEMBER, Role.CHAIR)]
    drafts = list(
        db.session.scalars(
            select(Draft)
            .where(Draft.panel_id == panel.id, Draft.latest_version_number > 0)
            .order_by(Draft.id)
        )
    )
    live = [m for m in meetings if m.status is not MeetingStatus.CANCELLED]
    past = [m for m in live if m.starts_at < now]
    upcoming = next(
        (m for m in sorted(live, key=lambda m: m.starts_at) if m.starts_at >= now), None
    )

    for index, meeting in enumerate(past):
        _demo_agenda(meeting)
        if db.session.scalar(select(Attendance.id).where(Attendance.meeting_id == meeting.id)):
            continue
        for number, person in enumerate(attendees):
            apologies = number == (index % max(len(attendees), 1)) and len(attendees) > 2
            db.session.add(
                Attendance(
                    meeting_id=meeting.id,
                    user_id=person.user_id,
                    attended=not apologies,
                    sent_apologies=apologies,
                )
            )
        latest_past = index == len(past) - 1
        db.session.add(
            MinutesRevision(
                meeting_id=meeting.id,
                number=1,
                body=DEMO_MINUTES.format(title=meeting.title),
                shared_at=meeting.ends_at + timedelta(days=3),
                written_by_id=chair.user_id if chair else None,
                written_at=meeting.ends_at + timedelta(days=2),
            )
        )
        if not latest_past:
            meeting.minutes_agreed_at = meeting.ends_at + timedelta(days=10)
        for description, owner, done in DEMO_ACTIONS:
            db.session.add(
                MeetingAction(
                    meeting_id=meeting.id,
                    description=description,
                    owner=owner,
                    due_on=(meeting.starts_at + timedelta(days=28)).date(),
                    status=ActionStatus.DONE if done or not latest_past else ActionStatus.OPEN,
                )
            )

    if upcoming is not None and upcoming.pack_published_at is None:
        items = _demo_agenda(upcoming)
        if drafts and items:
            db.session.add(
                Paper(
                    meeting_id=upcoming.id,
                    agenda_item_id=items[1].id,
                    title=f"Priority actions: {drafts[0].title}",
                    draft_id=drafts[0].id,
                )
            )
        upcoming.previous_results_summary = DEMO_PREVIOUS_RESULTS
        upcoming.pack_published_at = now
    db.session.flush()


DEMO_AGENDA = (
    ("Welcome, ground rules and how everyone is", 15, "LEAP chair"),
    ("Priority actions: what resonates, what is missing", 45, "Study team"),
    ("Recruitment leaflet: is it clear and welcoming?", 20, "Study team"),
    ("Any other business and thanks", 10, "LEAP chair"),
)

DEMO_ACTIONS = (
    ("Send the shortened recruitment leaflet to the panel for comment", "Study team", True),
    ("Find out how vouchers can be sent by post for people without email", "Study team", False),
    ("Share the panel's comments on peer support with the Sheffield site", "LEAP chair", False),
)

DEMO_MINUTES = """**{title}: minutes**

Present: see the attendance list. Apologies were received.

1. Welcome. The chair reminded everyone that nobody has to give a reason for stepping back.
2. Priority actions. Members said peer support and interpreters came up again and again in
   their own experience. Two actions were reworded to use plainer words.
3. Recruitment leaflet. Members found it too long. The study team will cut it to one page.
4. Any other business. None. Thanks to everyone for their time.
"""

DEMO_PREVIOUS_RESULTS = (
    "At the last meeting you said the recruitment leaflet was too long and used hard words. "
    "We cut it to one page and changed six words. You also said interpreters were missing "
    "from the East London list: we have added them as a new action."
)


def _demo_agenda(meeting: Meeting) -> list[AgendaItem]:
    items = list(
        db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position)
        )
    )
    if items:
        return items
    for position, (title, minutes, lead) in enumerate(DEMO_AGENDA, start=1):
        item = AgendaItem(
            meeting_id=meeting.id, position=position, title=title, minutes=minutes, lead=lead
        )
        db.session.add(item)
        items.append(item)
    db.session.flush()
    return items
