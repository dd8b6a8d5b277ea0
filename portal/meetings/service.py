"""Meetings: the operations behind the meeting pages.

Publishing, moving and cancelling a meeting email everyone in the panel a calendar file with the
meeting's one UID and a higher SEQUENCE each time, in the same transaction as the change.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.audit.service import AuditAction, record
from portal.db import claim_edit, utcnow
from portal.extensions import db
from portal.meetings import calendar
from portal.meetings.models import (
    AvailabilityPoll,
    Meeting,
    MeetingStatus,
    PollAnswer,
    PollSlot,
    PollStatus,
    Rsvp,
    RsvpAnswer,
)
from portal.meetings.times import when_in_words
from portal.notifications.kinds import Kind
from portal.notifications.service import Attachment
from portal.notifications.tell import tell
from portal.panels.models import Membership
from portal.panels.service import active_people


@dataclass(frozen=True)
class MeetingDetails:
    title: str
    starts_at: datetime
    ends_at: datetime
    joining_link: str = ""
    venue: str = ""
    accessibility_info: str = ""
    content_note: str = ""


def get_meeting(panel_id: int, meeting_id: int) -> Meeting | None:
    """The meeting if it belongs to this panel, else None (the view answers 404)."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.panel_id != panel_id:
        return None
    return meeting


def meetings_in_panel(panel_id: int, include_drafts: bool) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming soonest first, past latest first), in one query whatever their number."""
    query = select(Meeting).where(Meeting.panel_id == panel_id).order_by(Meeting.starts_at)
    if not include_drafts:
        query = query.where(Meeting.status != MeetingStatus.DRAFT)
    now = utcnow()
    meetings = list(db.session.scalars(query))
    upcoming = [meeting for meeting in meetings if meeting.ends_at >= now]
    past = [meeting for meeting in reversed(meetings) if meeting.ends_at < now]
    return upcoming, past


def new_calendar_uid() -> str:
    return f"{secrets.token_hex(16)}@leap-portal"


def create_meeting(panel_id: int, details: MeetingDetails, user_id: int | None) -> Meeting:
    """A new draft meeting; nobody is told until it is published."""
    meeting = Meeting(
        panel_id=panel_id,
        calendar_uid=new_calendar_uid(),
        calendar_sequence=0,
        status=MeetingStatus.DRAFT,
        created_by_id=user_id,
        **details.__dict__,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


class MeetingEditConflict(Exception):
    """Someone saved the meeting since the person opened it; nothing was changed."""


def update_meeting(meeting: Meeting, details: MeetingDetails, seen_version: int) -> bool:
    """Save new details, unless someone saved the meeting since ``seen_version`` (then raise
    ``MeetingEditConflict``). When a published meeting's time or place changes, everyone is sent
    an updated calendar entry; returns whether they were."""
    if meeting.status is MeetingStatus.CANCELLED:
        raise ValueError("a cancelled meeting cannot be changed")
    if not claim_edit(meeting, seen_version):
        raise MeetingEditConflict
    noticed = ("starts_at", "ends_at", "joining_link", "venue", "title")
    changed = any(getattr(meeting, name) != getattr(details, name) for name in noticed)
    for name, value in details.__dict__.items():
        setattr(meeting, name, value)
    if meeting.status is MeetingStatus.PUBLISHED and changed:
        meeting.calendar_sequence += 1
        notify_members(meeting, "changed")
        return True
    return False


def publish_meeting(meeting: Meeting) -> None:
    """Make a draft meeting visible to members and send each of them the invitation."""
    if meeting.status is not MeetingStatus.DRAFT:
        raise ValueError("only a draft meeting can be published")
    meeting.status = MeetingStatus.PUBLISHED
    notify_members(meeting, "published")
    record(AuditAction.MEETING_PUBLISHED, panel_id=meeting.panel_id, detail=f"meeting {meeting.id}")


def cancel_meeting(meeting: Meeting) -> None:
    """Cancel a meeting; if members knew of it, their calendars are told to remove it."""
    if meeting.status is MeetingStatus.CANCELLED:
        return
    was_published = meeting.status is MeetingStatus.PUBLISHED
    meeting.status = MeetingStatus.CANCELLED
    meeting.calendar_sequence += 1
    record(AuditAction.MEETING_CANCELLED, panel_id=meeting.panel_id, detail=f"meeting {meeting.id}")
    if was_published:
        notify_members(meeting, "cancelled")


def panel_people(panel_id: int) -> list[User]:
    """Everyone active in the panel, by name."""
    return active_people(panel_id, by_name=True)


def _subject(kind: str, title: str, when: str) -> str:
    if kind == "published":
        return gettext("New meeting: %(title)s, %(when)s", title=title, when=when)
    if kind == "changed":
        return gettext("Meeting changed: %(title)s, now %(when)s", title=title, when=when)
    return gettext("Meeting cancelled: %(title)s, %(when)s", title=title, when=when)


def notify_members(meeting: Meeting, kind: str) -> int:
    """Queue the email about ``kind`` ("published", "changed", "cancelled") with the calendar
    file to everyone in the panel; returns how many were queued."""
    method = "CANCEL" if meeting.status is MeetingStatus.CANCELLED else "REQUEST"
    # A new meeting is an invitation, which a paused member does not get; a change to or the
    # cancellation of one they may already have in their calendar still reaches them.
    people = active_people(meeting.panel_id, by_name=True, skip_paused=kind == "published")
    url = calendar.meeting_url(meeting)
    for person in people:
        with force_locale(person.language or current_app.config["DEFAULT_LOCALE"]):
            when = when_in_words(meeting.starts_at, meeting.ends_at, with_year=True)
            subject = _subject(kind, meeting.title, when)
            text = _text(kind, when)
            invitation = calendar.invitation(meeting, attendee=person.email)
        tell(
            person,
            Kind.MEETING_CHANGE,
            subject=subject,
            template=f"meeting_{kind}",
            link=url,
            panel_id=meeting.panel_id,
            text=text,
            attachment=Attachment(
                name="meeting.ics",
                content_type=f"{calendar.ICS_TYPE}; method={method}",
                body=invitation,
            ),
            meeting=meeting,
            when=when,
            name=person.display_name,
            url=url,
        )
    return len(people)


def _text(kind: str, when: str) -> str:
    """The words of a text about a meeting: when it is, never what it is about."""
    if kind == "published":
        return gettext("New panel meeting: %(when)s.", when=when)
    if kind == "changed":
        return gettext("A panel meeting has changed. It is now %(when)s.", when=when)
    return gettext("The panel meeting on %(when)s is cancelled.", when=when)


# --- replies (RSVP) -----------------------------------------------------------------------


# Built once with its values bound when it runs: on the meeting page, asked for often, building a
# statement costs more than running it (README: "What keeps pages fast").
@cache
def _rsvp_of() -> Select[Any]:
    return select(Rsvp).where(
        Rsvp.meeting_id == bindparam("meeting_id"), Rsvp.user_id == bindparam("user_id")
    )


def rsvp_of(meeting_id: int, user_id: int) -> Rsvp | None:
    return db.session.scalar(_rsvp_of(), {"meeting_id": meeting_id, "user_id": user_id})


def set_rsvp(meeting: Meeting, user_id: int, answer: RsvpAnswer, access_note: str) -> Rsvp:
    """Record or change someone's reply to a published meeting."""
    if meeting.status is not MeetingStatus.PUBLISHED:
        raise ValueError("replies are only for published meetings")
    rsvp = rsvp_of(meeting.id, user_id)
    if rsvp is None:
        rsvp = Rsvp(meeting_id=meeting.id, user_id=user_id, answer=answer)
        db.session.add(rsvp)
    rsvp.answer = answer
    rsvp.access_note = access_note
    db.session.flush()
    return rsvp


def replies_to(meeting_id: int) -> list[Rsvp]:
    """Every reply with the person who gave it, in one query."""
    return list(
        db.session.scalars(
            select(Rsvp)
            .join(Rsvp.user)
            .options(joinedload(Rsvp.user))
            .where(Rsvp.meeting_id == meeting_id)
            .order_by(User.display_name, User.id)
        )
    )


# --- the home page --------------------------------------------------------------------------


# The home page's queries, built once with their values bound when they run: on a page asked for
# this often, building a statement costs more than running it (README: "What keeps pages fast").
@cache
def _next_meetings() -> Select[Any]:
    return (
        select(Meeting)
        .where(
            Meeting.panel_id.in_(bindparam("panel_ids", expanding=True)),
            Meeting.status == MeetingStatus.PUBLISHED,
            Meeting.ends_at >= bindparam("now"),
        )
        .order_by(Meeting.starts_at)
        .limit(3)
    )


@cache
def _polls_to_answer() -> Select[Any]:
    return (
        select(AvailabilityPoll)
        .where(
            AvailabilityPoll.panel_id.in_(bindparam("panel_ids", expanding=True)),
            AvailabilityPoll.status == PollStatus.OPEN,
            AvailabilityPoll.closes_at > bindparam("now"),
            AvailabilityPoll.id.not_in(
                select(PollSlot.poll_id)
                .join(PollAnswer, PollAnswer.slot_id == PollSlot.id)
                .where(PollAnswer.user_id == bindparam("user_id"))
            ),
        )
        .order_by(AvailabilityPoll.closes_at)
        .limit(5)
    )


def home_meetings(user_id: int, memberships: list[Membership]) -> dict[str, Any]:
    """What the home page shows about meetings: the next published meetings in the person's
    panels, and open polls they have not answered yet. Three queries at most, whatever the data.
    """
    panel_ids = [membership.panel_id for membership in memberships]
    if not panel_ids:
        return {"meetings": [], "polls": [], "when": when_in_words}
    now = utcnow()
    meetings = list(db.session.scalars(_next_meetings(), {"panel_ids": panel_ids, "now": now}))
    polls = list(
        db.session.scalars(
            _polls_to_answer(), {"panel_ids": panel_ids, "now": now, "user_id": user_id}
        )
    )
    return {"meetings": meetings, "polls": polls, "when": when_in_words}
