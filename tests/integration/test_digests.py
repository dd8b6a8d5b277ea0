"""Daily and weekly digests: one email per period holding exactly the items due, grouped by
panel and kind, each linking to its page; never an item twice, never an empty digest, and
nothing lost when the worker is killed half way through building them."""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from portal.accounts.models import User
from portal.db import sqlite_deferred_begin, utcnow
from portal.extensions import db
from portal.notifications import digests
from portal.notifications.kinds import Delivery, Kind
from portal.notifications.models import ContactSettings, DigestItem, OutboxMessage
from portal.notifications.tell import tell
from portal.notifications.worker import deliver_due
from tests.factories import add_to_panel, make_panel, make_user
from tests.integration.notification_helpers import choose, worker_process
from tests.mail_server import MailServer


def _tell(person: User, kind: Kind, title: str, panel_id: int) -> None:
    tell(
        person,
        kind,
        subject=title,
        template="test_message",
        link=f"http://localhost/panels/{panel_id}/{title.replace(' ', '-')}",
        panel_id=panel_id,
    )
    db.session.commit()


def _at(monkeypatch: pytest.MonkeyPatch, later: timedelta) -> None:
    real = utcnow()
    monkeypatch.setattr(digests, "utcnow", lambda: real + later)


def _digests_to(address: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == address, OutboxMessage.kind == "digest")
            .order_by(OutboxMessage.id)
        )
    )


def test_a_daily_digest_holds_exactly_what_was_saved_grouped_by_panel_and_kind(
    app: Flask, smtp_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = make_panel("Coventry panel"), make_panel("Sheffield panel")
    person = make_user("kim@example.org", name="Kim")
    add_to_panel(first, person)
    add_to_panel(second, person)
    for kind in (Kind.MINUTES, Kind.POLL):
        choose(person, kind, Delivery.DAILY)
    _tell(person, Kind.MINUTES, "Read the minutes of meeting 4", first.id)
    _tell(person, Kind.POLL, "Tell us when you can come in May", first.id)
    _tell(person, Kind.MINUTES, "Read the minutes of meeting 9", second.id)
    _tell(person, Kind.MEETING_PACK, "Read the papers", first.id)  # not saved up: sent at once

    assert digests.send_due_digests(app) == 0  # not yet the digest hour after these came in
    _at(monkeypatch, timedelta(days=1))
    assert digests.send_due_digests(app) == 1
    assert digests.send_due_digests(app) == 0  # nothing twice

    deliver_due(app)
    [digest] = [m for m in smtp_server.received if "summary" in m.subject]
    assert digest.subject == "Your daily summary: 3 things to look at"
    text = digest.message.get_body(("plain",)).get_content()
    assert text.count("Coventry panel: Minutes to read") == 1
    assert text.count("Coventry panel: Finding a date for a meeting") == 1
    assert text.count("Sheffield panel: Minutes to read") == 1
    assert "Read the papers" not in text
    for title in ("meeting 4", "meeting 9", "in May"):
        assert text.count(title) == 1
    assert "http://localhost/panels/" in text
    html = digest.message.get_body(("html",)).get_content()
    assert f'href="http://localhost/panels/{first.id}/Read-the-minutes-of-meeting-4"' in html
    assert "http://localhost/account/notifications" in text


def test_what_arrives_after_a_digest_waits_for_the_next_one(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = make_panel()
    person = make_user("kim@example.org")
    add_to_panel(panel, person)
    choose(person, Kind.MINUTES, Delivery.DAILY)
    _tell(person, Kind.MINUTES, "First minutes", panel.id)
    _at(monkeypatch, timedelta(days=1))
    assert digests.send_due_digests(app) == 1
    db.session.add(
        DigestItem(
            user_id=person.id,
            panel_id=panel.id,
            kind="minutes",
            period=Delivery.DAILY,
            title="Second minutes",
            created_at=utcnow() + timedelta(days=1),  # after the digest just sent
        )
    )
    db.session.commit()
    assert digests.send_due_digests(app) == 0
    _at(monkeypatch, timedelta(days=2, hours=1))
    assert digests.send_due_digests(app) == 1
    first, second = _digests_to(person.email)
    assert "First minutes" in first.text_body and "Second minutes" not in first.text_body
    assert "Second minutes" in second.text_body and "First minutes" not in second.text_body


def test_a_weekly_digest_comes_on_the_day_the_person_chose(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = make_panel()
    person = make_user("kim@example.org")
    add_to_panel(panel, person)
    choose(person, Kind.QUESTIONNAIRE, Delivery.WEEKLY)
    in_three_days = (utcnow() + timedelta(days=3)).astimezone(digests.LONDON)
    db.session.add(ContactSettings(user_id=person.id, weekly_day=in_three_days.weekday()))
    db.session.commit()
    _tell(person, Kind.QUESTIONNAIRE, "A questionnaire about meeting 4", panel.id)
    for days in (1, 2):
        _at(monkeypatch, timedelta(days=days))
        assert digests.send_due_digests(app) == 0
    _at(monkeypatch, timedelta(days=3, hours=12 - in_three_days.hour))
    assert digests.send_due_digests(app) == 1
    [digest] = _digests_to(person.email)
    assert digest.subject == "Your weekly summary: 1 thing to look at"


def test_no_digest_is_sent_when_nothing_may_reach_the_person(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = make_panel()
    person = make_user("kim@example.org")
    add_to_panel(panel, person)
    choose(person, Kind.MINUTES, Delivery.DAILY)
    _tell(person, Kind.MINUTES, "Minutes", panel.id)
    person.is_active_account = False  # closed after the item was saved
    db.session.commit()
    _at(monkeypatch, timedelta(days=1))
    assert digests.send_due_digests(app) == 0
    assert _digests_to(person.email) == []


PEOPLE = 150


def test_a_worker_killed_half_way_through_the_digests_loses_nothing_and_repeats_nothing(
    app: Flask, database: str, smtp_server: MailServer
) -> None:
    panel = make_panel()
    for number in range(PEOPLE):
        person = make_user(f"digest{number}@example.org", password=None)
        add_to_panel(panel, person)
        choose(person, Kind.MINUTES, Delivery.DAILY)
        for item in range(2):
            db.session.add(
                DigestItem(
                    user_id=person.id,
                    panel_id=panel.id,
                    kind="minutes",
                    period=Delivery.DAILY,
                    title=f"Minutes {number}-{item}",
                )
            )
    db.session.commit()
    db.session.execute(update(DigestItem).values(created_at=utcnow() - timedelta(days=2)))
    db.session.commit()

    process = worker_process(database, smtp_server)
    reading = sqlite_deferred_begin.set(True)  # watch without waiting for the worker's lock
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            queued = db.session.scalar(
                select(db.func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.kind == "digest")
            )
            db.session.rollback()
            if queued:
                break
            time.sleep(0.02)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        _out, errors = process.communicate(timeout=10)
        sqlite_deferred_begin.reset(reading)
    assert queued, errors[-2000:]

    def holding() -> dict[str, list[str]]:
        """Each digest queued so far, and the items in it."""
        rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "digest"))
        found = {
            m.to_address: [
                line for line in m.text_body.splitlines() if line.startswith("- Minutes ")
            ]
            for m in rows
        }
        db.session.rollback()
        return found

    half_way = holding()
    assert 0 < len(half_way) < PEOPLE, "the worker was not stopped half way"
    # Every item claimed by the killed worker is in its queued digest, and only there.
    claimed = db.session.scalars(select(DigestItem).where(DigestItem.digest_key != "")).all()
    assert len(claimed) == 2 * len(half_way)
    db.session.rollback()

    assert digests.send_due_digests(app) == PEOPLE - len(half_way)
    everything = holding()
    assert len(everything) == PEOPLE
    for number in range(PEOPLE):
        lines = everything[f"digest{number}@example.org"]
        assert sorted(line.strip("- ") for line in lines) == [
            f"Minutes {number}-0",
            f"Minutes {number}-1",
        ]
    assert digests.send_due_digests(app) == 0
