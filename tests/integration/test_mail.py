"""The mail outbox and its worker, delivering to a real SMTP server on loopback."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select, text, update

from portal.db import utcnow
from portal.extensions import db
from portal.notifications.models import MailStatus, OutboxMessage
from portal.notifications.service import InvalidMessage, queue_mail
from portal.notifications.worker import RunSummary, build_email, deliver_due, lease
from tests.integration.mail_helpers import NOTHING_DONE, make_everything_due, outbox, queue
from tests.mail_server import MailServer


def test_a_committed_message_is_delivered_with_text_and_html(
    app: Flask, smtp_server: MailServer
) -> None:
    queue_mail("member@example.org", "Your panel meets on Tuesday", "test_message")
    db.session.commit()

    assert deliver_due(app) == RunSummary(sent=1)

    [mail] = smtp_server.received
    assert mail.rcpt_tos == ["member@example.org"]
    assert mail.message["To"] == "member@example.org"
    assert mail.message["Subject"] == "Your panel meets on Tuesday"
    assert mail.message["From"] == app.config["MAIL_FROM"]
    assert mail.mail_from == "portal@example.org"
    plain = mail.message.get_body(preferencelist=("plain",))
    html = mail.message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    assert "This is a test message from LEAP Portal." in plain.get_content()
    assert '<a href="http://localhost/support">' in html.get_content()
    [row] = outbox()
    assert row.status == MailStatus.SENT and row.sent_at is not None and row.attempts == 1
    assert deliver_due(app) == NOTHING_DONE
    assert len(smtp_server.received) == 1


def test_mail_from_a_rolled_back_change_is_never_sent(app: Flask, smtp_server: MailServer) -> None:
    queue()
    db.session.rollback()

    assert deliver_due(app) == NOTHING_DONE
    assert smtp_server.received == []
    assert outbox() == []


def test_mail_queued_while_the_server_is_down_is_retried_with_growing_waits(
    app: Flask, smtp_server: MailServer
) -> None:
    smtp_server.stop()
    queue()
    db.session.commit()

    before = utcnow()
    assert deliver_due(app) == RunSummary(retried=1)
    [row] = outbox()
    assert row.status == MailStatus.PENDING and row.attempts == 1
    assert row.last_error == "ConnectionRefusedError"
    first_wait = timedelta(seconds=app.config["MAIL_RETRY_SECONDS"])
    assert before + first_wait <= row.next_attempt_at <= utcnow() + first_wait

    assert deliver_due(app) == NOTHING_DONE, "a message is not retried before it is due"
    assert outbox()[0].attempts == 1

    make_everything_due()
    before = utcnow()
    assert deliver_due(app) == RunSummary(retried=1)
    [row] = outbox()
    assert row.attempts == 2
    assert row.next_attempt_at >= before + 2 * first_wait, "the wait doubles"

    smtp_server.start()
    make_everything_due()
    assert deliver_due(app) == RunSummary(sent=1)
    assert deliver_due(app) == NOTHING_DONE
    assert [mail.subject for mail in smtp_server.received] == ["Message 1"]
    [row] = outbox()
    assert row.status == MailStatus.SENT and row.attempts == 3 and row.last_error == ""


def test_one_run_tries_a_message_once_even_when_its_retry_is_due_at_once(
    app: Flask, smtp_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAIL_RETRY_SECONDS", 0)
    smtp_server.stop()
    queue()
    db.session.commit()

    assert deliver_due(app) == RunSummary(retried=1)
    [row] = outbox()
    assert row.status == MailStatus.PENDING and row.attempts == 1

    smtp_server.start()
    assert deliver_due(app) == RunSummary(sent=1)
    assert len(smtp_server.received) == 1


def test_after_the_last_attempt_a_message_is_failed_and_left_alone(
    app: Flask, smtp_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    monkeypatch.setitem(app.config, "MAIL_RETRY_SECONDS", 0)
    smtp_server.stop()
    queue()
    db.session.commit()

    outcomes = [deliver_due(app) for _ in range(3)]

    assert outcomes == [RunSummary(retried=1), RunSummary(retried=1), RunSummary(failed=1)]
    [row] = outbox()
    assert row.status == MailStatus.FAILED and row.attempts == 3
    smtp_server.start()
    make_everything_due()
    assert deliver_due(app) == NOTHING_DONE
    assert smtp_server.received == []
    assert outbox()[0].attempts == 3


def test_greylisting_is_retried_but_an_unknown_recipient_is_not(
    app: Flask, smtp_server: MailServer
) -> None:
    queue(1)
    db.session.commit()
    smtp_server.handler.rcpt_reply = "450 4.2.0 Greylisted, please try again later"
    assert deliver_due(app) == RunSummary(retried=1)
    assert outbox()[0].status == MailStatus.PENDING

    smtp_server.handler.rcpt_reply = "550 5.1.1 No such user here"
    make_everything_due()
    assert deliver_due(app) == RunSummary(failed=1)
    [row] = outbox()
    assert row.status == MailStatus.FAILED and row.last_error == "SMTPRecipientsRefused"

    smtp_server.handler.rcpt_reply = None
    make_everything_due()
    assert deliver_due(app) == NOTHING_DONE
    assert smtp_server.received == []


def test_mail_held_by_a_worker_that_stopped_is_sent_when_its_lease_runs_out(
    app: Flask, smtp_server: MailServer
) -> None:
    queue(1)
    queue(2)
    db.session.commit()
    # Two workers that stopped mid-send: one had tries left, one was on its last try.
    lease_ran_out = utcnow() - timedelta(seconds=1)
    db.session.execute(
        update(OutboxMessage).values(status=MailStatus.SENDING, locked_until=lease_ran_out)
    )
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.subject == "Message 2")
        .values(attempts=app.config["MAIL_MAX_ATTEMPTS"])
    )
    db.session.commit()

    assert deliver_due(app) == RunSummary(sent=1, failed=1)

    assert [mail.subject for mail in smtp_server.received] == ["Message 1"]
    first, second = outbox()
    assert first.status == MailStatus.SENT
    assert second.status == MailStatus.FAILED and second.last_error == "LeaseExpired"


def test_a_message_being_sent_by_another_worker_is_not_taken(
    app: Flask, smtp_server: MailServer
) -> None:
    queue()
    db.session.commit()
    db.session.execute(
        update(OutboxMessage).values(status=MailStatus.SENDING, locked_until=utcnow() + lease(app))
    )
    db.session.commit()

    assert deliver_due(app) == NOTHING_DONE
    assert smtp_server.received == []


def test_two_workers_at_once_deliver_every_message_exactly_once(
    app: Flask, smtp_server: MailServer
) -> None:
    for number in range(30):
        queue(number)
    db.session.commit()
    # The first message is held until the other worker is sending too: that only happens if
    # neither worker keeps the database locked while it talks to the mail server.
    smtp_server.handler.hold_until_overlap_seconds = 5

    def worker() -> RunSummary:
        with app.app_context():
            return deliver_due(app)

    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [pool.submit(worker) for _ in range(2)]
        summaries = [run.result(timeout=60) for run in runs]

    subjects = sorted(mail.subject for mail in smtp_server.received)
    assert subjects == sorted(f"Message {number}" for number in range(30))
    assert sum(summary.sent for summary in summaries) == 30
    assert smtp_server.handler.most_at_once == 2, "the workers did not send side by side"
    rows = outbox()
    assert {(row.status, row.attempts) for row in rows} == {(MailStatus.SENT, 1)}


@pytest.mark.parametrize(
    ("to", "subject"),
    [
        ("member@example.org", "Hello\r\nBcc: everyone@example.org"),
        ("member@example.org", "Hello\nBcc: everyone@example.org"),
        ("member@example.org", "Hello\u2028Bcc: everyone@example.org"),
        ("member@example.org\r\nBcc: everyone@example.org", "Hello"),
        ("member@example.org, everyone@example.org", "Hello"),
        ("Member <member@example.org>", "Hello"),
    ],
)
def test_queue_mail_refuses_header_injection_and_stores_nothing(to: str, subject: str) -> None:
    with pytest.raises(InvalidMessage):
        queue_mail(to, subject, "test_message")
    db.session.commit()
    assert outbox() == []


def test_an_unsafe_header_in_a_stored_row_is_never_sent_and_blocks_nothing(
    app: Flask, smtp_server: MailServer
) -> None:
    bad = OutboxMessage(
        to_address="member@example.org",
        subject="Hello\r\nBcc: everyone@example.org",
        text_body="Hello",
        html_body="<p>Hello</p>",
    )
    db.session.add(bad)
    db.session.commit()
    with pytest.raises(InvalidMessage):
        build_email(bad, app.config["MAIL_FROM"])
    queue(2)
    db.session.commit()

    assert deliver_due(app) == RunSummary(sent=1, failed=1)

    assert [mail.rcpt_tos for mail in smtp_server.received] == [["person2@example.org"]]
    rows = outbox()
    assert (rows[0].status, rows[0].last_error) == (MailStatus.FAILED, "InvalidMessage")
    assert rows[1].status == MailStatus.SENT


def test_the_same_dedupe_key_is_stored_once(app: Flask, smtp_server: MailServer) -> None:
    assert queue_mail("a@example.org", "Reminder", "test_message", dedupe_key="r-1") is not None
    assert queue_mail("a@example.org", "Reminder", "test_message", dedupe_key="r-1") is None
    db.session.commit()
    assert queue_mail("a@example.org", "Reminder", "test_message", dedupe_key="r-1") is None
    db.session.commit()

    assert len(outbox()) == 1
    assert deliver_due(app) == RunSummary(sent=1)
    assert len(smtp_server.received) == 1


def _wait_for_a_blocked_transaction() -> None:
    """On PostgreSQL, wait (bounded) until another session waits on a lock we hold."""
    if db.engine.dialect.name != "postgresql":
        return  # SQLite's write transactions queue up behind ours before they read anything
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + 10
    while not db.session.scalar(query) and time.monotonic() < deadline:
        time.sleep(0.01)


def test_one_dedupe_key_queued_by_two_transactions_at_once_is_stored_once(app: Flask) -> None:
    flushed = threading.Event()

    def other_transaction() -> bool:
        with app.app_context():
            queued = queue_mail("a@example.org", "Reminder", "test_message", dedupe_key="r-2")
            db.session.flush()
            flushed.set()
            _wait_for_a_blocked_transaction()
            db.session.commit()
            return queued is not None

    with ThreadPoolExecutor(max_workers=1) as pool:
        other = pool.submit(other_transaction)
        assert flushed.wait(timeout=10)
        mine = queue_mail("a@example.org", "Reminder", "test_message", dedupe_key="r-2")
        db.session.commit()
        assert other.result(timeout=30) is True

    assert mine is None
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_without_an_smtp_server_mail_is_written_to_the_log_and_marked_sent(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    assert not app.config["SMTP_HOST"]
    queue_mail("member@example.org", "Your sign-in link", "test_message")
    db.session.commit()

    with caplog.at_level(logging.INFO, logger="portal.worker"):
        assert deliver_due(app) == RunSummary(sent=1)

    logged = caplog.text
    assert "no SMTP server configured" in logged
    assert "To: member@example.org" in logged and "Subject: Your sign-in link" in logged
    [row] = outbox()
    assert row.status == MailStatus.SENT


def test_worker_once_command_delivers_due_mail_and_prints_a_summary(
    app: Flask, smtp_server: MailServer
) -> None:
    queue(1)
    queue(2)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["portal", "worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "sent 2, to retry 0, failed 0" in result.output
    assert sorted(mail.subject for mail in smtp_server.received) == ["Message 1", "Message 2"]


def test_worker_once_command_reports_mail_it_could_not_send(
    app: Flask, smtp_server: MailServer
) -> None:
    smtp_server.stop()
    queue()
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["portal", "worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "sent 0, to retry 1, failed 0" in result.output


def test_send_test_mail_command_queues_a_message_the_worker_sends(
    app: Flask, smtp_server: MailServer
) -> None:
    result = app.test_cli_runner().invoke(args=["portal", "send-test-mail", "ops@example.org"])

    assert result.exit_code == 0, result.output
    assert "ops@example.org" in result.output
    assert smtp_server.received == [], "the command queues; the worker sends"
    assert deliver_due(app) == RunSummary(sent=1)
    [mail] = smtp_server.received
    assert mail.rcpt_tos == ["ops@example.org"]
    assert mail.subject == "Test message from LEAP Portal"
    plain = mail.message.get_body(preferencelist=("plain",))
    assert plain is not None
    assert "email from the portal reaches you" in plain.get_content()


def test_send_test_mail_command_refuses_a_bad_address(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["portal", "send-test-mail", "not-an-address"])

    assert result.exit_code == 1
    assert "not-an-address" in result.output
    assert outbox() == []
