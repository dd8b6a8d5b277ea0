"""Setting people's message choices and numbers, and the loopback Notify server, for the
notification tests."""

from __future__ import annotations

import os
import subprocess
import sys

from portal.accounts.models import User
from portal.extensions import db
from portal.notifications import preferences
from portal.notifications.kinds import Delivery, Kind
from portal.notifications.preferences import Route
from tests.conftest import TEST_SECRET
from tests.mail_server import MailServer


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


def worker_process(database: str, smtp_server: MailServer) -> subprocess.Popen[str]:
    """``flask portal worker`` in its own process, as an operator runs it."""
    environment = {
        **os.environ,
        "PORTAL_ENV": "test",
        "PORTAL_SECRET_KEY": TEST_SECRET,
        "PORTAL_DATABASE_URL": database,
        "PORTAL_BASE_URL": "http://localhost",
        "PORTAL_MAIL_FROM": "LEAP Portal <portal@example.org>",
        "PORTAL_SMTP_HOST": smtp_server.host,
        "PORTAL_SMTP_PORT": str(smtp_server.port),
        "PORTAL_SMTP_STARTTLS": "false",
        "PORTAL_SMTP_TIMEOUT": "10",
        "PORTAL_WORKER_POLL_SECONDS": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "portal", "worker"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
