"""The demo study's meetings: the panel met six times online (five are past, one is coming up),
and a poll is open to find a date for a thank-you get-together."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.meetings import polls, service
from portal.meetings.models import Meeting, MeetingStatus, Rsvp, RsvpAnswer
from portal.meetings.times import london_to_utc
from portal.panels.models import Panel

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
    if db.session.scalar(select(Meeting.id).where(Meeting.panel_id == panel.id).limit(1)):
        return
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
