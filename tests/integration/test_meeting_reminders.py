"""Meeting reminders: sent by the worker before each published meeting to everyone who has not
said no, never twice, even with two workers at once; invitations reach a real SMTP server with
their calendar file attached."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.db import utcnow
from portal.extensions import db
from portal.meetings import jobs, service
from portal.meetings.models import Meeting, MeetingStatus, ReminderSent, RsvpAnswer
from portal.notifications.models import OutboxMessage
from portal.notifications.worker import deliver_due
from tests import ical
from tests.mail_server import MailServer
from tests.outbox import mail_to
from tests.roles import Cast

Clients = Callable[[str], FlaskClient]


def published_meeting(cast: Cast, starts_in: timedelta, title: str = "Panel meeting 5") -> Meeting:
    start = utcnow() + starts_in
    meeting = service.create_meeting(
        cast.panel.id,
        service.MeetingDetails(title=title, starts_at=start, ends_at=start + timedelta(hours=1)),
        None,
    )
    meeting.status = MeetingStatus.PUBLISHED
    db.session.commit()
    return meeting


def reminders_to(address: str) -> list[OutboxMessage]:
    return [message for message in mail_to(address) if message.subject.startswith("Reminder")]


def test_reminders_go_a_week_and_a_day_before_to_everyone_who_has_not_said_no(
    app: Flask, cast: Cast
) -> None:
    meeting = published_meeting(cast, timedelta(days=6, hours=23))
    service.set_rsvp(meeting, cast.people["researcher"].id, RsvpAnswer.NOT_ATTENDING, "")
    service.set_rsvp(meeting, cast.people["member"].id, RsvpAnswer.MAYBE, "")
    db.session.commit()
    far = published_meeting(cast, timedelta(days=9), title="Not yet")
    cancelled = published_meeting(cast, timedelta(days=2), title="Called off")
    cancelled.status = MeetingStatus.CANCELLED
    db.session.commit()

    assert jobs.run_due(app) == 2
    for role in ("member", "chair"):
        (reminder,) = reminders_to(cast.people[role].email)
        assert "Panel meeting 5" in reminder.subject
        assert f"/meetings/{meeting.id}" in reminder.text_body
    assert reminders_to(cast.people["researcher"].email) == []
    assert reminders_to(cast.people["other_panel_member"].email) == []

    # Running again sends nothing new.
    assert jobs.run_due(app) == 0

    # A day before, the second reminder goes.
    db.session.get(Meeting, meeting.id).starts_at = utcnow() + timedelta(hours=20)  # type: ignore[union-attr]
    db.session.commit()
    assert jobs.run_due(app) == 2
    assert len(reminders_to(cast.people["member"].email)) == 2
    assert jobs.run_due(app) == 0
    assert far.id and cancelled.id  # neither was reminded
    assert all(
        "Not yet" not in m.subject and "Called off" not in m.subject
        for m in mail_to(cast.people["chair"].email)
    )


def test_a_meeting_published_late_gets_only_the_closest_reminder(app: Flask, cast: Cast) -> None:
    published_meeting(cast, timedelta(hours=10))
    assert jobs.run_due(app) == 3
    kinds = set(db.session.scalars(select(ReminderSent.kind)))
    assert kinds == {"days-1"}
    assert jobs.run_due(app) == 0


def test_two_workers_at_once_remind_each_person_once(app: Flask, cast: Cast) -> None:
    published_meeting(cast, timedelta(days=1, hours=-1))
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            jobs.run_due(app)
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db.session.expire_all()
    assert db.session.scalar(select(func.count(ReminderSent.id))) == 3
    for role in ("member", "chair", "researcher"):
        assert len(reminders_to(cast.people[role].email)) == 1


@pytest.fixture
def smtp_server(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    for name, value in {
        "SMTP_HOST": server.host,
        "SMTP_PORT": server.port,
        "SMTP_STARTTLS": False,
        "SMTP_SSL": False,
        "SMTP_USERNAME": "",
        "SMTP_TIMEOUT": 10,
    }.items():
        monkeypatch.setitem(app.config, name, value)
    try:
        yield server
    finally:
        server.stop()


def test_the_invitation_arrives_with_its_calendar_file_attached(
    app: Flask, cast: Cast, smtp_server: MailServer
) -> None:
    start = utcnow() + timedelta(days=20)
    meeting = service.create_meeting(
        cast.panel.id,
        service.MeetingDetails(
            title="Panel meeting 6", starts_at=start, ends_at=start + timedelta(hours=2)
        ),
        None,
    )
    service.publish_meeting(meeting)
    db.session.commit()
    summary = deliver_due(app)
    assert summary.sent == 3
    received = {mail.rcpt_tos[0]: mail.message for mail in smtp_server.received}
    message = received[cast.people["member"].email]
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_filename() == "meeting.ics"
    body = attachment.get_content()
    (event,) = ical.parse(body.replace("\r\n", "\n").replace("\n", "\r\n")).events()
    assert event.get("UID") == meeting.calendar_uid
    assert "Panel meeting 6" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
