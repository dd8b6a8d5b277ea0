"""A message whose sending was interrupted: the worker is killed mid-send (kill -9), or the
mail server takes the message and then answers "try again later". The message goes again a
little after the SMTP timeout, always with the same Message-ID, so a receiving server that already
has it can drop the copy (delivery is at least once)."""

from __future__ import annotations

import os
import signal
from datetime import timedelta

import pytest
from flask import Flask

from portal.extensions import db
from portal.notifications import worker
from portal.notifications.models import MailStatus
from portal.notifications.worker import RunSummary, deliver_due, lease
from tests.integration.mail_helpers import NOTHING_DONE, make_everything_due, outbox, queue
from tests.integration.notification_helpers import worker_process
from tests.mail_server import MailServer


def test_the_lease_on_a_message_is_a_little_over_the_smtp_timeout(app: Flask) -> None:
    timeout = timedelta(seconds=app.config["SMTP_TIMEOUT"])
    assert timeout < lease(app) <= timeout + timedelta(minutes=1)


def test_a_message_whose_worker_was_killed_mid_send_goes_again_after_the_lease_with_its_message_id(
    app: Flask, database: str, smtp_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue()
    db.session.commit()
    smtp_server.handler.stall_next_message = True
    process = worker_process(database, smtp_server)
    try:
        # The server has the whole message and the worker waits for its reply: kill -9 now.
        stalled = smtp_server.handler.stalling.wait(timeout=60)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        _out, errors = process.communicate(timeout=10)
        smtp_server.handler.go_on.set()
    assert stalled, errors[-2000:]
    [first_copy] = smtp_server.handler.seen_message_ids
    [row] = outbox()
    assert (row.status, row.attempts) == (MailStatus.SENDING, 1)

    # A new worker leaves it alone while the old one could still be waiting for the server...
    timeout = timedelta(seconds=app.config["SMTP_TIMEOUT"])
    real_clock = worker.utcnow
    assert deliver_due(app) == NOTHING_DONE
    monkeypatch.setattr(worker, "utcnow", lambda: real_clock() + timeout)
    assert deliver_due(app) == NOTHING_DONE
    # ...and sends it a little after the SMTP timeout, not ten minutes later.
    monkeypatch.setattr(worker, "utcnow", lambda: real_clock() + timeout + timedelta(minutes=1))
    assert deliver_due(app) == RunSummary(sent=1)

    [row] = outbox()
    assert (row.status, row.attempts) == (MailStatus.SENT, 2)
    assert smtp_server.handler.seen_message_ids == [first_copy, first_copy]
    assert {str(mail.message["Message-ID"]) for mail in smtp_server.received} == {first_copy}


def test_a_retried_message_keeps_its_message_id_and_each_message_has_its_own(
    app: Flask, smtp_server: MailServer
) -> None:
    queue(1)
    queue(2)
    db.session.commit()
    # The server takes the content, then answers "try again later" (a full queue, say).
    smtp_server.handler.data_reply = "451 4.3.0 Try again later"
    assert deliver_due(app) == RunSummary(retried=2)
    first_tries = smtp_server.handler.seen_message_ids
    assert len(set(first_tries)) == 2, "two messages share a Message-ID"

    smtp_server.handler.data_reply = None
    make_everything_due()
    assert deliver_due(app) == RunSummary(sent=2)
    delivered = {mail.subject: str(mail.message["Message-ID"]) for mail in smtp_server.received}
    assert [delivered["Message 1"], delivered["Message 2"]] == first_tries
    assert all(
        message_id.startswith("<") and message_id.endswith("@example.org>")
        for message_id in first_tries
    )
