"""Making meetings the way the chair does, through the pages, for the meetings tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.meetings.models import Meeting
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
