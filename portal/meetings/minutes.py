"""After a meeting: attendance, minutes with every revision kept, comments on them, actions.

Nothing here commits; changes commit with the request. Members read the latest shared revision;
the chair and the study team see every revision. Comments go to the study team's inbox through
``portal.feedback.routing``, like every other comment.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.feedback.models import FeedbackEntry
from portal.feedback.routing import route_minutes_comment
from portal.involvement.entries import record_meeting_attendance
from portal.meetings.models import (
    ActionStatus,
    Attendance,
    Meeting,
    MeetingAction,
    MinutesRevision,
)
from portal.notifications.kinds import Kind
from portal.notifications.tell import tell
from portal.panels.models import Membership
from portal.panels.service import MEMBERS_AND_CHAIR, active_in_panel, active_people

ATTENDANCE_STATUSES = ("attended", "apologies", "absent")


class MinutesConflict(Exception):
    """Someone saved a newer revision after this writer started."""


@dataclass(frozen=True)
class AttendanceRow:
    person: User
    pseudonym_code: str
    status: str | None  # None: not recorded yet


def attendance_sheet(meeting: Meeting) -> list[AttendanceRow]:
    """Every current panel member (the chair too) with what was recorded for this meeting."""
    rows = db.session.execute(
        select(User, Membership.pseudonym_code, Attendance)
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(
            Attendance,
            (Attendance.user_id == User.id) & (Attendance.meeting_id == meeting.id),
        )
        .where(*active_in_panel(meeting.panel_id, MEMBERS_AND_CHAIR))
        .order_by(User.display_name, User.id)
    ).all()
    return [
        AttendanceRow(person=user, pseudonym_code=code, status=status_of(record))
        for user, code, record in rows
    ]


def status_of(record: Attendance | None) -> str | None:
    if record is None:
        return None
    if record.attended:
        return "attended"
    return "apologies" if record.sent_apologies else "absent"


def record_attendance(meeting: Meeting, statuses: dict[int, str]) -> None:
    """Record attended, apologies or absent for each person (by user id), replacing the old;
    each person marked attended gets an involvement entry in the same transaction."""
    existing = {
        record.user_id: record
        for record in db.session.scalars(
            select(Attendance).where(Attendance.meeting_id == meeting.id)
        )
    }
    for user_id, status in statuses.items():
        record = existing.get(user_id)
        if record is None:
            record = Attendance(meeting_id=meeting.id, user_id=user_id)
            db.session.add(record)
        record.attended = status == "attended"
        record.sent_apologies = status == "apologies"
    record_meeting_attendance(
        meeting.panel_id,
        meeting.id,
        meeting.title,
        meeting.starts_at,
        meeting.ends_at,
        {user_id: status == "attended" for user_id, status in statuses.items()},
    )


def revisions(meeting: Meeting) -> list[MinutesRevision]:
    return list(
        db.session.scalars(
            select(MinutesRevision)
            .where(MinutesRevision.meeting_id == meeting.id)
            .order_by(MinutesRevision.number)
        )
    )


def latest_shared(all_revisions: list[MinutesRevision]) -> MinutesRevision | None:
    shared = [revision for revision in all_revisions if revision.shared_at is not None]
    return shared[-1] if shared else None


def agreed_revision(
    meeting: Meeting, all_revisions: list[MinutesRevision]
) -> MinutesRevision | None:
    """The revision the panel agreed: the latest one shared before the minutes were agreed."""
    if meeting.minutes_agreed_at is None:
        return None
    shared = [
        revision
        for revision in all_revisions
        if revision.shared_at is not None and revision.shared_at <= meeting.minutes_agreed_at
    ]
    return shared[-1] if shared else None


def get_revision(meeting: Meeting, number: int) -> MinutesRevision | None:
    return db.session.scalar(
        select(MinutesRevision).where(
            MinutesRevision.meeting_id == meeting.id, MinutesRevision.number == number
        )
    )


def save_minutes(
    meeting: Meeting, body: str, based_on: int, user_id: int, share: bool
) -> MinutesRevision:
    """Keep a new revision of the minutes; earlier ones never change.

    ``based_on`` is the revision the writer started from: if a newer one was saved meanwhile,
    ``MinutesConflict`` is raised and nothing is saved. A new revision means the minutes must be
    agreed again.
    """
    latest = db.session.scalar(
        select(MinutesRevision.number)
        .where(MinutesRevision.meeting_id == meeting.id)
        .order_by(MinutesRevision.number.desc())
        .limit(1)
    )
    if (latest or 0) != based_on:
        raise MinutesConflict
    revision = MinutesRevision(
        meeting_id=meeting.id, number=based_on + 1, body=body, written_by_id=user_id
    )
    db.session.add(revision)
    try:
        db.session.flush()
    except IntegrityError as error:  # two writers at the same moment
        raise MinutesConflict from error
    meeting.minutes_agreed_at = None
    if share:
        share_revision(meeting, revision)
    return revision


def share_revision(meeting: Meeting, revision: MinutesRevision) -> None:
    """Let members read this revision and comment on it, and tell them by email."""
    if revision.shared_at is not None:
        return
    revision.shared_at = utcnow()
    base_url = current_app.config["BASE_URL"].rstrip("/")
    link = f"{base_url}/panels/{meeting.panel_id}/meetings/{meeting.id}/minutes"
    people = active_people(meeting.panel_id, MEMBERS_AND_CHAIR, skip_paused=True)
    for person in people:
        with force_locale(person.language or current_app.config["DEFAULT_LOCALE"]):
            subject = gettext("Read the minutes: %(title)s", title=meeting.title)
        tell(
            person,
            Kind.MINUTES,
            subject=subject,
            template="meeting_minutes_shared",
            link=link,
            panel_id=meeting.panel_id,
            dedupe_key=f"minutes-shared:{meeting.id}:{revision.number}:{person.id}",
            person=person,
            meeting=meeting,
            revision=revision,
        )


def agree_minutes(meeting: Meeting) -> None:
    meeting.minutes_agreed_at = utcnow()


def comment_on_minutes(
    meeting: Meeting, revision: MinutesRevision, author_id: int, body: str
) -> FeedbackEntry:
    """A member's comment on shared minutes, sent to the study team's inbox."""
    return route_minutes_comment(
        panel_id=meeting.panel_id,
        author_id=author_id,
        source_key=f"minutes:{meeting.id}:{revision.number}:{secrets.token_hex(8)}",
        heading=gettext(
            "Minutes of %(title)s, version %(number)d",
            title=meeting.title,
            number=revision.number,
        ),
        text=body,
    )


def my_minutes_comments(meeting: Meeting, user_id: int) -> list[FeedbackEntry]:
    return list(
        db.session.scalars(
            select(FeedbackEntry)
            .where(
                FeedbackEntry.author_id == user_id,
                FeedbackEntry.source_key.startswith(f"minutes:{meeting.id}:", autoescape=True),
            )
            .order_by(FeedbackEntry.created_at)
        )
    )


@dataclass(frozen=True)
class ActionDetails:
    description: str
    owner: str
    due_on: date | None
    status: ActionStatus


def actions_of(meeting: Meeting) -> list[MeetingAction]:
    return list(
        db.session.scalars(
            select(MeetingAction)
            .where(MeetingAction.meeting_id == meeting.id)
            .order_by(MeetingAction.id)
        )
    )


def get_action(meeting: Meeting, action_id: int) -> MeetingAction | None:
    return db.session.scalar(
        select(MeetingAction).where(
            MeetingAction.id == action_id, MeetingAction.meeting_id == meeting.id
        )
    )


def add_action(meeting: Meeting, details: ActionDetails) -> MeetingAction:
    action = MeetingAction(meeting_id=meeting.id)
    update_action(action, details)
    db.session.add(action)
    db.session.flush()
    return action


def update_action(action: MeetingAction, details: ActionDetails) -> None:
    action.description = details.description
    action.owner = details.owner
    action.due_on = details.due_on
    action.status = details.status
