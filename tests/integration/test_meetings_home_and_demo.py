"""The home page's meetings section and the demo study's meetings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.meetings import polls, service
from portal.meetings.models import AvailabilityPoll, Meeting, MeetingStatus, PollStatus
from tests.roles import Cast

Clients = Callable[[str], FlaskClient]


def _meeting(cast: Cast, title: str, days: int, status: MeetingStatus) -> Meeting:
    start = utcnow() + timedelta(days=days)
    meeting = service.create_meeting(
        cast.panel.id,
        service.MeetingDetails(title=title, starts_at=start, ends_at=start + timedelta(hours=1)),
        None,
    )
    meeting.status = status
    return meeting


def _poll(cast: Cast, title: str) -> AvailabilityPoll:
    start = utcnow() + timedelta(days=20)
    return polls.create_poll(
        cast.panel.id,
        title,
        "",
        utcnow() + timedelta(days=5),
        [
            (start, start + timedelta(hours=1)),
            (start + timedelta(days=1), start + timedelta(days=1, hours=1)),
        ],
        None,
    )


def test_home_shows_next_meetings_and_polls_waiting_for_an_answer(
    cast: Cast, client_as: Clients, count_queries: Callable[[], object]
) -> None:
    _meeting(cast, "Next published meeting", 3, MeetingStatus.PUBLISHED)
    _meeting(cast, "Secret draft meeting", 2, MeetingStatus.DRAFT)
    _meeting(cast, "Old meeting", -3, MeetingStatus.PUBLISHED)
    _poll(cast, "Pick a date for meeting 7")
    db.session.commit()
    member = client_as("member")
    page = member.get("/").get_data(as_text=True)
    assert "Next published meeting" in page
    assert "Pick a date for meeting 7" in page
    assert "Secret draft meeting" not in page and "Old meeting" not in page
    assert "Pick a date" not in client_as("other_panel_member").get("/").get_data(as_text=True)

    with count_queries() as few:  # type: ignore[attr-defined]
        member.get("/")
    # The exact count: a new query on this page must be a deliberate change. (The page and the
    # header share one load of the memberships.)
    assert few.queries == 11  # type: ignore[attr-defined]  (3 of them: involvement)
    for number in range(20):
        _meeting(cast, f"Meeting {number}", 5 + number, MeetingStatus.PUBLISHED)
        _poll(cast, f"Poll {number}")
    db.session.commit()
    with count_queries() as many:  # type: ignore[attr-defined]
        member.get("/")
    assert many.count == few.count  # type: ignore[attr-defined]


def test_demo_has_six_meetings_one_upcoming_and_an_open_poll(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["portal", "demo"]).exit_code == 0
    assert runner.invoke(args=["portal", "demo"]).exit_code == 0
    meetings = list(db.session.scalars(select(Meeting).order_by(Meeting.starts_at)))
    assert len(meetings) == 6
    assert all(meeting.status is MeetingStatus.PUBLISHED for meeting in meetings)
    now = utcnow()
    assert [meeting.starts_at > now for meeting in meetings] == [False] * 5 + [True]
    (poll,) = db.session.scalars(select(AvailabilityPoll))
    assert poll.status is PollStatus.OPEN and poll.closes_at > now
