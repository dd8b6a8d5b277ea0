"""Meetings, polls, RSVPs and calendars: objects and rules for the access matrix."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.world import World

EVERYONE = {"member", "chair", "researcher"}
ARRANGERS = {"chair", "researcher"}

# Panel endpoint -> the panel roles ("member", "chair", "researcher") that may open it.
ALLOWED: dict[str, set[str]] = {
    "meetings.list_meetings": EVERYONE,
    "meetings.new_meeting": ARRANGERS,
    "meetings.show_meeting": EVERYONE,
    "meetings.edit_meeting": ARRANGERS,
    "meetings.publish_meeting": ARRANGERS,
    "meetings.cancel_meeting": ARRANGERS,
    "meetings.reply_to_meeting": EVERYONE,
    "meetings.meeting_replies": ARRANGERS,
    "meetings.download_calendar": EVERYONE,
    "meetings.reset_calendar_feed": EVERYONE,
    "meetings.new_poll": ARRANGERS,
    "meetings.answer_poll": EVERYONE,
    "meetings.poll_results": ARRANGERS,
    "meetings.choose_slot": ARRANGERS,
    "meetings.remind_poll": ARRANGERS,
}

# Fields a real form of this domain would send, for the forged-POST test.
FORM: dict[str, str] = {
    "when-day": "14 3 2030",
    "when-start": "6pm",
    "when-end": "7pm",
    "joining_link": "https://meet.example.org/forged",
    "answer": "attending",
    "access_note": "Forged note",
    "closes_on": "1 3 2030",
    "slots-0-day": "14 3 2030",
    "slots-0-start": "6pm",
    "slots-0-end": "7pm",
    "slots-1-day": "15 3 2030",
    "slots-1-start": "6pm",
    "slots-1-end": "7pm",
}


def add(world: World) -> None:
    """Add this domain's objects to ``world.values`` (URL arguments) and any exceptions."""
    from portal.extensions import db
    from portal.meetings import polls, service

    panel_id = world.cast.panel.id
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    meeting = service.create_meeting(
        panel_id,
        service.MeetingDetails(
            title="World meeting", starts_at=start, ends_at=start + timedelta(hours=1)
        ),
        world.cast.people["chair"].id,
    )
    meeting.status = service.MeetingStatus.PUBLISHED
    poll = polls.create_poll(
        panel_id,
        "World poll",
        "",
        start - timedelta(days=10),
        [
            (start, start + timedelta(hours=1)),
            (start + timedelta(days=1), start + timedelta(days=1, hours=1)),
        ],
        world.cast.people["chair"].id,
    )
    slot_id = poll.slots[0].id
    db.session.commit()
    world.values.update(meeting_id=meeting.id, poll_id=poll.id, slot_id=slot_id)
    # The feed's address is its own permission: a made-up one is not found, whoever asks.
    for role in ("anonymous", *world.cast.people.keys()):
        world.exceptions[("meetings.calendar_feed", role)] = {"404"}


def grow(world: World, count: int) -> None:
    """``count`` more meetings (past, coming, draft and cancelled) and polls in the panel, and
    as many more members' replies to the world meeting and answers to the world poll."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.meetings.models import (
        Availability,
        AvailabilityPoll,
        Meeting,
        MeetingStatus,
        PollAnswer,
        PollSlot,
        Rsvp,
        RsvpAnswer,
    )
    from tests.growth import Wording, insert_rows, people_for, token

    panel_id = world.cast.panel.id
    now = datetime.now(UTC).replace(microsecond=0)
    statuses = list(MeetingStatus)
    starts = [now + timedelta(days=number % 60 - 20, hours=number % 5) for number in range(count)]
    insert_rows(
        Meeting,
        [
            {
                "panel_id": panel_id,
                "title": f"Grown meeting {number}",
                "starts_at": start,
                "ends_at": start + timedelta(hours=1),
                "joining_link": "https://meet.example.org/grown",
                "status": statuses[number % len(statuses)],
                "calendar_uid": f"{token()}@test",
            }
            for number, start in enumerate(starts)
        ],
    )
    poll_ids = insert_rows(
        AvailabilityPoll,
        [
            {"panel_id": panel_id, "title": f"Grown poll {number}", "closes_at": start}
            for number, start in enumerate(starts)
        ],
    )
    insert_rows(
        PollSlot,
        [
            {"poll_id": poll_id, "starts_at": start + shift, "ends_at": start + shift + hour}
            for poll_id, start in zip(poll_ids, starts, strict=True)
            for hour in (timedelta(hours=1),)
            for shift in (timedelta(days=1), timedelta(days=2))
        ],
    )
    people = people_for(world, "meetings", count)
    answers = list(RsvpAnswer)
    access_note = Wording("I need captions.")
    insert_rows(
        Rsvp,
        [
            {
                "meeting_id": world.values["meeting_id"],
                "user_id": user_id,
                "answer": answers[number % len(answers)],
                "access_note": access_note.text(number) if number % 4 == 0 else "",
                "access_note_html": access_note.html(number) if number % 4 == 0 else "",
            }
            for number, user_id in enumerate(people)
        ],
    )
    slot_ids = db.session.scalars(
        select(PollSlot.id).where(PollSlot.poll_id == world.values["poll_id"])
    ).all()
    availabilities = list(Availability)
    insert_rows(
        PollAnswer,
        [
            {
                "slot_id": slot_id,
                "user_id": user_id,
                "availability": availabilities[(number + index) % len(availabilities)],
                "note": "After 6pm only." if number % 5 == 0 else "",
            }
            for number, user_id in enumerate(people)
            for index, slot_id in enumerate(slot_ids)
        ],
    )
    db.session.commit()
