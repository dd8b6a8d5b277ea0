"""The chair's list of calls to make: members who asked for a phone call instead of reminders,
for each meeting, review-round deadline and questionnaire deadline in the next two weeks that they
still need to hear about (not declined the meeting; not yet sent their answers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from portal.accounts.models import User
from portal.drafts.models import DraftVersion
from portal.extensions import db
from portal.meetings.models import Attendance, Meeting, MeetingStatus, Rsvp, RsvpAnswer
from portal.notifications.preferences import PHONE_INSTEAD
from portal.panels.service import MEMBERS_AND_CHAIR, active_people
from portal.questionnaires.models import Audience, Completion, Questionnaire
from portal.rounds.models import OmissionCheck, ReviewRound

LOOK_AHEAD = timedelta(days=14)


@dataclass(frozen=True)
class CallsFor:
    """One meeting or deadline and whom to phone about it."""

    what: str  # "meeting" or "deadline"
    title: str
    at: datetime
    people: list[User]


def calls_to_make(panel_id: int, now: datetime) -> list[CallsFor]:
    """Every meeting and deadline soon, with the people to phone; in eight queries."""
    phone_people = [
        person
        for person in active_people(panel_id, MEMBERS_AND_CHAIR, by_name=True)
        if person.contact_preference == PHONE_INSTEAD
    ]
    if not phone_people:
        return []
    ids = [person.id for person in phone_people]
    meetings = list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.panel_id == panel_id,
                Meeting.status == MeetingStatus.PUBLISHED,
                Meeting.starts_at > now,
                Meeting.starts_at <= now + LOOK_AHEAD,
            )
            .order_by(Meeting.starts_at)
        )
    )
    declined = {
        (meeting_id, user_id)
        for meeting_id, user_id in db.session.execute(
            select(Rsvp.meeting_id, Rsvp.user_id).where(
                Rsvp.meeting_id.in_([m.id for m in meetings]),
                Rsvp.user_id.in_(ids),
                Rsvp.answer == RsvpAnswer.NOT_ATTENDING,
            )
        )
    }
    rounds = [
        (review_round, title)
        for review_round, title in db.session.execute(
            select(ReviewRound, DraftVersion.title)
            .join(DraftVersion, DraftVersion.id == ReviewRound.version_id)
            .where(
                ReviewRound.panel_id == panel_id,
                ReviewRound.closed_early_at.is_(None),
                ReviewRound.closes_at > now,
                ReviewRound.closes_at <= now + LOOK_AHEAD,
            )
            .order_by(ReviewRound.closes_at)
        )
    ]
    sent = {
        (round_id, user_id)
        for round_id, user_id in db.session.execute(
            select(OmissionCheck.round_id, OmissionCheck.user_id).where(
                OmissionCheck.round_id.in_([r.id for r, _title in rounds]),
                OmissionCheck.user_id.in_(ids),
                OmissionCheck.submitted_at.is_not(None),
            )
        )
    }
    result = [
        CallsFor(
            "meeting",
            meeting.title,
            meeting.starts_at,
            [p for p in phone_people if (meeting.id, p.id) not in declined],
        )
        for meeting in meetings
    ]
    result += [
        CallsFor(
            "deadline",
            title,
            review_round.closes_at,
            [p for p in phone_people if (review_round.id, p.id) not in sent],
        )
        for review_round, title in rounds
    ]
    result += _questionnaire_calls(panel_id, now, phone_people)
    return sorted((c for c in result if c.people), key=lambda c: c.at)


def _questionnaire_calls(panel_id: int, now: datetime, phone_people: list[User]) -> list[CallsFor]:
    """Open questionnaires closing soon, and who of ``phone_people`` has not answered; only those
    who came to the meeting, for a meeting's feedback questionnaire. Three queries."""
    ids = [person.id for person in phone_people]
    questionnaires = list(
        db.session.scalars(
            select(Questionnaire)
            .where(
                Questionnaire.panel_id == panel_id,
                Questionnaire.is_template.is_(False),
                Questionnaire.opens_at <= now,
                Questionnaire.closes_at > now,
                Questionnaire.closes_at <= now + LOOK_AHEAD,
            )
            .order_by(Questionnaire.closes_at)
        )
    )
    answered = {
        (questionnaire_id, user_id)
        for questionnaire_id, user_id in db.session.execute(
            select(Completion.questionnaire_id, Completion.user_id).where(
                Completion.questionnaire_id.in_([q.id for q in questionnaires]),
                Completion.user_id.in_(ids),
            )
        )
    }
    came = {
        (meeting_id, user_id)
        for meeting_id, user_id in db.session.execute(
            select(Attendance.meeting_id, Attendance.user_id).where(
                Attendance.meeting_id.in_([q.meeting_id for q in questionnaires if q.meeting_id]),
                Attendance.user_id.in_(ids),
                Attendance.attended.is_(True),
            )
        )
    }
    calls = []
    for questionnaire in questionnaires:
        people = [
            person
            for person in phone_people
            if (questionnaire.id, person.id) not in answered
            and (
                questionnaire.audience is not Audience.MEETING_ATTENDEES
                or (questionnaire.meeting_id, person.id) in came
            )
        ]
        closes_at = questionnaire.closes_at or now  # never None: the query asked for one
        calls.append(CallsFor("deadline", questionnaire.title, closes_at, people))
    return calls
