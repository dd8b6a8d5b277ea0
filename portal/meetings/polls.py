"""Availability polls: the chair offers 2 to 12 times, members say when they can come, the chair
picks a time and the meeting is made from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.links import portal_url
from portal.meetings import service
from portal.meetings.models import (
    Availability,
    AvailabilityPoll,
    Meeting,
    PollAnswer,
    PollSlot,
    PollStatus,
)
from portal.meetings.times import day_in_words, in_london, london_to_utc
from portal.notifications.kinds import Kind
from portal.notifications.tell import tell

MIN_SLOTS = 2
MAX_SLOTS = 12
NOTE_LIMIT = 500  # the column's length


class PollClosed(Exception):
    """The poll no longer takes answers."""


def closing_moment(day: date) -> datetime:
    """A poll closing "on" a day takes answers until the end of that day in London."""
    return london_to_utc(day + timedelta(days=1), datetime.min.time())


def closing_day(poll: AvailabilityPoll) -> str:
    """The last day people can answer, in words: "Friday 14 March"."""
    return day_in_words(in_london(poll.closes_at - timedelta(seconds=1)))


def create_poll(
    panel_id: int,
    title: str,
    description: str,
    closes_at: datetime,
    spans: list[tuple[datetime, datetime]],
    user_id: int | None,
) -> AvailabilityPoll:
    """A new open poll with its times; the caller has checked there are 2 to 12 of them."""
    if not MIN_SLOTS <= len(spans) <= MAX_SLOTS:
        raise ValueError("a poll offers 2 to 12 times")
    poll = AvailabilityPoll(
        panel_id=panel_id,
        title=title,
        description=description,
        closes_at=closes_at,
        status=PollStatus.OPEN,
        created_by_id=user_id,
    )
    poll.slots = [PollSlot(starts_at=start, ends_at=end) for start, end in sorted(spans)]
    db.session.add(poll)
    db.session.flush()
    return poll


def get_poll(panel_id: int, poll_id: int) -> AvailabilityPoll | None:
    """The poll with its times, if it belongs to this panel."""
    poll = db.session.scalar(
        select(AvailabilityPoll)
        .options(selectinload(AvailabilityPoll.slots))
        .where(AvailabilityPoll.id == poll_id)
    )
    if poll is None or poll.panel_id != panel_id:
        return None
    return poll


def is_open(poll: AvailabilityPoll) -> bool:
    return poll.status is PollStatus.OPEN and poll.closes_at > utcnow()


def open_polls(panel_id: int, user_id: int) -> list[tuple[AvailabilityPoll, bool]]:
    """Polls not yet decided, soonest closing first, each with whether this person answered."""
    polls = list(
        db.session.scalars(
            select(AvailabilityPoll)
            .where(
                AvailabilityPoll.panel_id == panel_id,
                AvailabilityPoll.status == PollStatus.OPEN,
            )
            .order_by(AvailabilityPoll.closes_at)
        )
    )
    answered = set(
        db.session.scalars(
            select(PollSlot.poll_id)
            .join(PollAnswer, PollAnswer.slot_id == PollSlot.id)
            .where(PollAnswer.user_id == user_id, PollSlot.poll_id.in_([p.id for p in polls]))
        )
    )
    return [(poll, poll.id in answered) for poll in polls]


def answers_of(poll: AvailabilityPoll, user_id: int) -> dict[int, PollAnswer]:
    """This person's answers to the poll, by slot id."""
    slot_ids = [slot.id for slot in poll.slots]
    rows = db.session.scalars(
        select(PollAnswer).where(PollAnswer.user_id == user_id, PollAnswer.slot_id.in_(slot_ids))
    )
    return {answer.slot_id: answer for answer in rows}


def save_answers(
    poll: AvailabilityPoll, user_id: int, answers: dict[int, tuple[Availability, str]]
) -> None:
    """Record or change one person's answer to every slot of the poll.

    Only the poll's own slots are touched, whatever ``answers`` holds.
    """
    if not is_open(poll):
        raise PollClosed
    if any(len(note) > NOTE_LIMIT for _, note in answers.values()):
        # Never cut what someone wrote: the form tells them and keeps their words first.
        raise ValueError("a poll note is longer than NOTE_LIMIT")
    existing = answers_of(poll, user_id)
    for slot in poll.slots:
        if slot.id not in answers:
            continue
        availability, note = answers[slot.id]
        answer = existing.get(slot.id)
        if answer is None:
            answer = PollAnswer(slot_id=slot.id, user_id=user_id, availability=availability)
            db.session.add(answer)
        answer.availability = availability
        answer.note = note
    db.session.flush()


@dataclass
class SlotCounts:
    slot: PollSlot
    counts: dict[Availability, int] = field(default_factory=lambda: dict.fromkeys(Availability, 0))


@dataclass
class PollResults:
    people: list[User]
    slots: list[SlotCounts]
    answers: dict[tuple[int, int], PollAnswer]  # (user id, slot id) -> answer

    def not_answered(self) -> list[User]:
        answered = {user_id for user_id, _slot in self.answers}
        return [person for person in self.people if person.id not in answered]


def results(poll: AvailabilityPoll) -> PollResults:
    """Everyone's answers with counts per slot, in two queries."""
    people = service.panel_people(poll.panel_id)
    slot_ids = [slot.id for slot in poll.slots]
    rows = db.session.scalars(select(PollAnswer).where(PollAnswer.slot_id.in_(slot_ids)))
    answers = {(answer.user_id, answer.slot_id): answer for answer in rows}
    counts = {slot.id: SlotCounts(slot) for slot in poll.slots}
    for answer in answers.values():
        counts[answer.slot_id].counts[answer.availability] += 1
    return PollResults(people=people, slots=list(counts.values()), answers=answers)


def choose_slot(
    poll: AvailabilityPoll,
    slot: PollSlot,
    user_id: int | None,
    joining_link: str = "",
    venue: str = "",
    accessibility_info: str = "",
) -> Meeting:
    """Make and publish the meeting at the chosen time; everyone gets the invitation."""
    if poll.status is PollStatus.DECIDED:
        raise PollClosed
    meeting = service.create_meeting(
        poll.panel_id,
        service.MeetingDetails(
            title=poll.title,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            joining_link=joining_link,
            venue=venue,
            accessibility_info=accessibility_info,
        ),
        user_id,
    )
    service.publish_meeting(meeting)
    poll.status = PollStatus.DECIDED
    poll.meeting_id = meeting.id
    return meeting


def remind(poll: AvailabilityPoll) -> int:
    """Email everyone who has not answered yet (once a day at most); returns how many."""
    if not is_open(poll):
        raise PollClosed
    url = portal_url("meetings.answer_poll", panel_id=poll.panel_id, poll_id=poll.id)
    closes = closing_day(poll)
    queued = 0
    today = utcnow().date().isoformat()
    for person in results(poll).not_answered():
        with force_locale(person.language or current_app.config["DEFAULT_LOCALE"]):
            subject = gettext("Tell us when you can come: %(title)s", title=poll.title)
        queued += tell(
            person,
            Kind.POLL,
            subject=subject,
            template="poll_reminder",
            link=url,
            panel_id=poll.panel_id,
            dedupe_key=f"poll-reminder:{poll.id}:{person.id}:{today}",
            poll=poll,
            name=person.display_name,
            url=url,
            closes=closes,
        )
    return queued
