"""Setting people's message choices and numbers, and the loopback Notify server, for the
notification tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from portal.accounts.models import User
from portal.extensions import db
from portal.notifications import preferences
from portal.notifications.kinds import Delivery, Kind
from portal.notifications.preferences import Route
from tests.notify_server import API_KEY, TEMPLATE_ID, NotifyServer


def choose(user: User, kind: Kind, delivery: Delivery, by_text: bool = False) -> None:
    preferences.save_choices(user.id, {kind: Route(delivery, by_text)})
    db.session.commit()


def choose_for_all(user: User, kinds: tuple[Kind, ...], delivery: Delivery) -> None:
    preferences.save_choices(user.id, {kind: Route(delivery, False) for kind in kinds})
    db.session.commit()


def give_mobile(user: User, number: str = "+447700900982", quiet: tuple[int, int] = (0, 0)) -> None:
    """A mobile number and, unless asked, no quiet hours, so texts are due at once."""
    preferences.save_contact(user.id, number, 0, *quiet)
    db.session.commit()


@pytest.fixture
def notify(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[NotifyServer]:
    """The loopback Notify server, with the app's Notify settings pointed at it."""
    server = NotifyServer()
    server.start()
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", API_KEY)
    monkeypatch.setitem(app.config, "NOTIFY_BASE_URL", server.url)
    monkeypatch.setitem(app.config, "NOTIFY_SMS_TEMPLATES", f"default={TEMPLATE_ID}")
    monkeypatch.setitem(app.config, "NOTIFY_CALLBACK_TOKEN", "callback-secret-for-tests")
    try:
        yield server
    finally:
        server.stop()
