"""The demo study's meetings: the panel met six times online (five are past, one is coming up),
and a poll is open to find a date for a thank-you get-together."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from portal.accounts.models import User
from portal.db import utcnow
from portal.drafts.models import Draft
from portal.extensions import db
from portal.meetings import polls, service
from portal.meetings.models import (
    ActionStatus,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingAction,
    MeetingStatus,
    MinutesRevision,
    Paper,
    Rsvp,
    RsvpAnswer,
)
from portal.meetings.times import london_to_utc
from portal.panels.models import Panel, Role
from portal.panels.service import active_memberships

TITLES = (
    "Meeting 1: welcome, the study and how we work together",
    "Meeting 2: ethics and how people are invited to take part",
    "Meeting 3: recruitment materials and the consent form",
    "Meeting 4: the four sites' priority-action lists",
    "Meeting 5: which actions resonate, and what is missing",
    "Meeting 6: the implementation plans and what happens next",
)

ACCESS_INFO = (
    "Captions are switched on. You can keep your camera off. We take a 10-minute break "
    "half way. Shopping vouchers are sent after the meeting."
)


def _evening(
    day: date, start: time = time(18), end: time = time(19, 30)
) -> tuple[datetime, datetime]:
    return london_to_utc(day, start), london_to_utc(day, end)


def load_meetings_demo(panel: Panel, people: dict[str, User]) -> None:
    """Add the demo meetings if they are not there yet."""
    if not db.session.scalar(select(Meeting.id).where(Meeting.panel_id == panel.id).limit(1)):
        _add_demo_meetings(panel, people)
    # Agendas, papers, packs, minutes and actions for whatever meetings the demo has.
    meetings = list(
        db.session.scalars(
            select(Meeting).where(Meeting.panel_id == panel.id).order_by(Meeting.starts_at)
        )
    )
    if meetings:
        load_papers_demo(panel, meetings)


def _add_demo_meetings(panel: Panel, people: dict[str, User]) -> None:
    chair = people.get("chair@demo.invalid")
    chair_id = chair.id if chair else None
    today = utcnow().date()
    # Five past meetings about four weeks apart, and the sixth in nine days' time.
    days = [today - timedelta(weeks=4 * n) for n in range(5, 0, -1)] + [today + timedelta(days=9)]
    members = [person for email, person in people.items() if email.startswith("member")]
    for number, (title, day) in enumerate(zip(TITLES, days, strict=True), start=1):
        starts_at, ends_at = _evening(day)
        meeting = service.create_meeting(
            panel.id,
            service.MeetingDetails(
                title=title,
                starts_at=starts_at,
                ends_at=ends_at,
                joining_link=f"https://meet.example.org/leap-demo-{number}",
                accessibility_info=ACCESS_INFO,
            ),
            chair_id,
        )
        meeting.status = MeetingStatus.PUBLISHED
        for index, person in enumerate(members):
            answer = RsvpAnswer.NOT_ATTENDING if (index + number) % 5 == 0 else RsvpAnswer.ATTENDING
            note = "I would like the slides a day before." if index == 0 else ""
            db.session.add(
                Rsvp(meeting_id=meeting.id, user_id=person.id, answer=answer, access_note=note)
            )
    first_choice = today + timedelta(days=30)
    spans = [_evening(first_choice + timedelta(days=offset)) for offset in (0, 2, 7)]
    spans.append(_evening(first_choice + timedelta(days=9), time(13), time(15)))
    polls.create_poll(
        panel.id,
        "Thank-you get-together",
        "A relaxed meeting to thank everyone and hear what the study will do next.",
        polls.closing_moment(today + timedelta(days=14)),
        spans,
        chair_id,
    )
    db.session.flush()


def load_papers_demo(panel: Panel, meetings: list[Meeting]) -> None:
    """Give the demo meetings their agendas, papers, packs, attendance, minutes and actions.

    Past meetings get attendance, minutes (agreed, except the latest, which is out for
    comment) and actions; the next meeting gets an agenda, papers and a published pack. Papers
    link to the demo's published drafts, so no files are written. Safe to run again.
    """
    now = utcnow()
    memberships = active_memberships(panel.id)
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
