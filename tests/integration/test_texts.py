"""Text messages through GOV.UK Notify's own Python client, against a loopback stand-in for
Notify that checks each request (path, JSON body, JWT signed with the key) and answers as Notify
does, errors included: texts go after quiet hours, are retried when Notify is busy, are never
sent twice, carry no sensitive detail, and a number Notify cannot deliver to is shown."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.notifications import text_worker
from portal.notifications.kinds import Delivery, Kind
from portal.notifications.models import ContactSettings, TextMessage, TextStatus
from portal.notifications.tell import tell
from portal.notifications.text_worker import deliver_due_texts
from portal.notifications.texts import after_quiet_hours, uk_mobile
from portal.notifications.worker import RunSummary
from tests.conftest import submit_form
from tests.factories import add_to_panel, make_panel, make_user, sign_in
from tests.integration.notification_helpers import choose, give_mobile
from tests.notify_server import SERVICE_ID, TEMPLATE_ID, NotifyServer
from tests.roles import Cast

CALLBACK = "/notify/delivery-status"


@pytest.fixture
def kim() -> User:
    panel = make_panel()
    person = make_user("kim@example.org", name="Kim")
    add_to_panel(panel, person)
    choose(person, Kind.MEETING_REMINDER, Delivery.NOW, by_text=True)
    give_mobile(person)
    return person


def _remind(person: User, key: str = "one") -> None:
    tell(
        person,
        Kind.MEETING_REMINDER,
        subject="Reminder: Secret strategy meeting, Thursday 6pm",
        template="test_message",
        link="http://localhost/panels/1/meetings/4",
        dedupe_key=f"reminder:{key}",
        text="Reminder: you have a panel meeting on Thursday at 6pm.",
    )
    db.session.commit()


def _texts() -> list[TextMessage]:
    db.session.expire_all()
    texts = list(db.session.scalars(select(TextMessage).order_by(TextMessage.id)))
    db.session.rollback()
    return texts


def _make_due() -> None:
    db.session.execute(update(TextMessage).values(next_attempt_at=utcnow()))
    db.session.commit()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07700 900982", "+447700900982"),
        ("+44 7700 900982", "+447700900982"),
        ("0044 (7700) 900-982", "+447700900982"),
        ("+44 (0)7700 900982", "+447700900982"),
        ("020 7946 0000", None),
        ("0770090098", None),
        ("+1 202 555 0100", None),
    ],
)
def test_uk_mobile_numbers_are_stored_in_e164(typed: str, stored: str | None) -> None:
    assert uk_mobile(typed) == stored


def test_a_text_goes_through_notify_s_client_with_a_signed_token_and_no_sensitive_detail(
    app: Flask, kim: User, notify: NotifyServer
) -> None:
    _remind(kim)
    _remind(kim)  # the same reminder again: queued once
    assert deliver_due_texts(app) == RunSummary(sent=1)
    assert notify.state.refused == []
    [sent] = notify.state.texts
    assert sent.phone_number == "+447700900982"
    assert sent.template_id == TEMPLATE_ID
    assert sent.personalisation == {
        "message": "Reminder: you have a panel meeting on Thursday at 6pm.",
        "link": "http://localhost/panels/1/meetings/4",
    }
    assert "Secret" not in str(sent.personalisation)
    [text] = _texts()
    assert (text.status, text.notify_id, text.reference) == (
        TextStatus.SENT,
        sent.id,
        sent.reference,
    )
    assert deliver_due_texts(app) == RunSummary()  # never twice


def test_a_wrong_key_is_refused_by_notify_and_the_text_waits(
    app: Flask, kim: User, notify: NotifyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        app.config, "NOTIFY_API_KEY", f"other-{SERVICE_ID}-00000000-0000-0000-0000-000000000000"
    )
    _remind(kim)
    assert deliver_due_texts(app) == RunSummary(failed=1)
    assert notify.state.texts == [] and "bad token" in notify.state.refused[0]


@pytest.mark.parametrize("status", [429, 500])
def test_when_notify_is_busy_or_failing_the_text_is_tried_again_later_and_sent_once(
    app: Flask, kim: User, notify: NotifyServer, status: int
) -> None:
    _remind(kim)
    notify.state.answers = [status]
    assert deliver_due_texts(app) == RunSummary(retried=1)
    [text] = _texts()
    assert (text.status, text.last_error) == (TextStatus.PENDING, f"Notify {status}")
    assert text.next_attempt_at > utcnow()
    assert deliver_due_texts(app) == RunSummary()  # not due yet
    _make_due()
    assert deliver_due_texts(app) == RunSummary(sent=1)
    assert len(notify.state.texts) == 1


def test_a_number_notify_cannot_text_is_shown_on_the_account_page_and_the_members_page(
    app: Flask, cast: Cast, notify: NotifyServer, client_as
) -> None:
    member = cast.people["member"]
    choose(member, Kind.MEETING_REMINDER, Delivery.NOW, by_text=True)
    give_mobile(member, "+447700900111")
    _remind(member)
    notify.state.answers = [400]
    assert deliver_due_texts(app) == RunSummary(failed=1)
    member_page = client_as("member").get("/account").get_data(as_text=True)
    assert "Texts to +447700900111 are not being delivered" in member_page
    settings_page = client_as("member").get("/account/notifications").get_data(as_text=True)
    assert "Texts to your mobile are not arriving" in settings_page
    members = client_as("chair").get(f"/panels/{cast.panel.id}/members").get_data(as_text=True)
    assert "Texts are not being delivered" in members
    # Nothing more is texted to a failing number until the person saves a number again.
    _remind(member, key="two")
    assert [t.status for t in _texts()] == [TextStatus.FAILED]


def test_a_text_left_by_a_stopped_worker_is_not_sent_again_if_notify_already_has_it(
    app: Flask, kim: User, notify: NotifyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _remind(kim, "first")
    _remind(kim, "second")
    assert deliver_due_texts(app) == RunSummary(sent=2)
    # As if both workers stopped after Notify answered, before the outcome was recorded; and a
    # third text was claimed but Notify never got it.
    _remind(kim, "third")
    db.session.execute(update(TextMessage).values(status=TextStatus.SENDING, locked_until=utcnow()))
    db.session.commit()
    later = utcnow() + text_worker.LEASE + timedelta(seconds=1)
    monkeypatch.setattr(text_worker, "utcnow", lambda: later)
    assert deliver_due_texts(app) == RunSummary(sent=3)
    assert len(notify.state.texts) == 3  # only the third was sent now
    assert {t.status for t in _texts()} == {TextStatus.SENT}


def test_texts_wait_for_the_end_of_the_person_s_quiet_hours() -> None:
    ten_pm_in_winter = datetime(2026, 12, 3, 22, 0, tzinfo=UTC)
    assert after_quiet_hours(ten_pm_in_winter, 21, 8) == datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    half_past_seven_in_summer = datetime(2026, 7, 3, 6, 30, tzinfo=UTC)  # 7:30am in London
    assert after_quiet_hours(half_past_seven_in_summer, 21, 8) == datetime(
        2026, 7, 3, 7, 0, tzinfo=UTC
    )
    noon = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    assert after_quiet_hours(noon, 21, 8) == noon


def test_without_notify_settings_texts_are_written_to_the_log(
    app: Flask, kim: User, caplog: pytest.LogCaptureFixture
) -> None:
    _remind(kim)
    with caplog.at_level(logging.INFO, logger="portal.worker"):
        assert deliver_due_texts(app) == RunSummary(sent=1)
    assert "text not sent (no Notify API key set)" in caplog.text
    assert "+447700900982" in caplog.text


def _callback(client: FlaskClient, body: dict[str, str], token: str) -> int:
    return client.post(
        CALLBACK, json=body, headers={"Authorization": f"Bearer {token}"}
    ).status_code


def test_delivery_receipts_need_the_bearer_token_and_a_permanent_failure_marks_the_number(
    app: Flask, client: FlaskClient, kim: User, notify: NotifyServer
) -> None:
    _remind(kim)
    deliver_due_texts(app)
    [text] = _texts()
    receipt = {"id": text.notify_id or "", "reference": text.reference, "status": "delivered"}
    assert _callback(client, receipt, "guessed") == 401
    assert client.post(CALLBACK, json=receipt).status_code == 401
    assert _texts()[0].status is TextStatus.SENT
    assert _callback(client, receipt, "callback-secret-for-tests") == 204
    assert _texts()[0].status is TextStatus.DELIVERED
    failed = receipt | {"status": "permanent-failure"}
    assert _callback(client, failed, "callback-secret-for-tests") == 204
    db.session.expire_all()
    assert db.session.get_one(ContactSettings, kim.id).mobile_failed_at is not None
    unknown = receipt | {"id": "nope", "reference": "nope"}
    assert _callback(client, unknown, "callback-secret-for-tests") == 404


def test_the_receipt_endpoint_is_off_without_a_token_set(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "NOTIFY_CALLBACK_TOKEN", "")
    assert _callback(client, {"id": "x", "status": "delivered"}, "") == 404


def test_saving_a_new_number_clears_the_failure(client: FlaskClient, kim: User) -> None:
    db.session.get_one(ContactSettings, kim.id).mobile_failed_at = utcnow()
    db.session.commit()
    sign_in(client, kim)
    submit_form(
        client, "/account/notifications", {"mobile": "07700 900123", "text_meeting_reminder": "y"}
    )
    db.session.expire_all()
    settings = db.session.get_one(ContactSettings, kim.id)
    assert (settings.mobile, settings.mobile_failed_at) == ("+447700900123", None)


def test_a_text_waiting_for_quiet_hours_is_held_if_it_may_no_longer_reach_the_person(
    app: Flask, kim: User, notify: NotifyServer
) -> None:
    _remind(kim)
    kim.is_active_account = False  # closed while the text waited
    db.session.commit()
    _make_due()
    assert deliver_due_texts(app) == RunSummary()
    assert [t.status for t in _texts()] == [TextStatus.HELD]
    assert notify.state.texts == []
