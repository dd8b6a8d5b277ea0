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
