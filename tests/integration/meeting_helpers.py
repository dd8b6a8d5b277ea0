"""Making meetings the way the chair does, through the pages, for the meetings tests."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.meetings.models import (
    AvailabilityPoll,
    Meeting,
)
from portal.notifications.models import OutboxMessage
from tests.conftest import submit_form


def future_day(days: int = 30) -> date:
    return (datetime.now(UTC) + timedelta(days=days)).date()


def typed(day: date) -> str:
    return f"{day.day} {day.month} {day.year}"


def meeting_form(
    title: str = "Panel meeting 3",
    day: date | None = None,
    start: str = "6pm",
    end: str = "7:30pm",
    link: str = "https://meet.example.org/leap-3",
    venue: str = "",
    access_info: str = "Captions are on. Take a break whenever you need.",
) -> dict[str, str]:
    return {
        "title": title,
        "when-day": typed(day or future_day()),
        "when-start": start,
        "when-end": end,
        "joining_link": link,
        "venue": venue,
        "accessibility_info": access_info,
    }


def add_meeting(client: FlaskClient, panel_id: int, **fields: object) -> Meeting:
    response = submit_form(
        client,
        f"/panels/{panel_id}/meetings/new",
        meeting_form(**fields),  # type: ignore[arg-type]
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    meeting_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting_id)
    assert meeting is not None
    return meeting


def publish(client: FlaskClient, meeting: Meeting) -> None:
    url = f"/panels/{meeting.panel_id}/meetings/{meeting.id}/publish"
    assert submit_form(client, url, {}).status_code == 302
    db.session.expire_all()


def attachments_to(address: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == address, OutboxMessage.attachment_body.is_not(None))
            .order_by(OutboxMessage.id)
        )
    )


def poll_form(
    times: int = 3, closes_in: int = 10, title: str = "Panel meeting 4"
) -> dict[str, str]:
    form = {
        "title": title,
        "description": "Online, about 90 minutes.",
        "closes_on": typed(future_day(closes_in)),
    }
    for index in range(times):
        form |= {
            f"slots-{index}-day": typed(future_day(20 + index)),
            f"slots-{index}-start": "6pm",
            f"slots-{index}-end": "7:30pm",
        }
    return form


def open_poll(client: FlaskClient, panel_id: int, **kwargs: object) -> AvailabilityPoll:
    response = submit_form(client, f"/panels/{panel_id}/polls/new", poll_form(**kwargs))  # type: ignore[arg-type]
    assert response.status_code == 302, response.get_data(as_text=True)
    poll_id = int(re.search(r"/polls/(\d+)/results", response.headers["Location"]).group(1))  # type: ignore[union-attr]
    db.session.expire_all()
    poll = db.session.get(AvailabilityPoll, poll_id)
    assert poll is not None
    return poll


def slot_ids(poll_id: int) -> list[int]:
    from portal.meetings.models import PollSlot

    return list(
        db.session.scalars(
            select(PollSlot.id).where(PollSlot.poll_id == poll_id).order_by(PollSlot.starts_at)
        )
    )


def answer(
    client: FlaskClient,
    panel_id: int,
    poll_id: int,
    values: dict[int, str],
    notes: dict[int, str] | None = None,
) -> object:
    data = {f"slot-{slot}": value for slot, value in values.items()}
    data |= {f"note-{slot}": note for slot, note in (notes or {}).items()}
    return submit_form(client, f"/panels/{panel_id}/polls/{poll_id}", data)
