"""``flask portal …`` commands for operators."""

from __future__ import annotations

import signal
import sys
from types import FrameType

import click
from flask import Flask, current_app
from flask.cli import AppGroup

portal_cli = AppGroup("portal", help="LEAP Portal commands.")


@portal_cli.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due, then stop (for cron).")
def worker_command(once: bool) -> None:
    """Deliver queued mail and run scheduled jobs, until stopped."""
    from portal.notifications.text_worker import deliver_due_texts
    from portal.notifications.worker import deliver_due, run_forever
    from portal.scheduled import SCHEDULED_JOBS

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if once:
        for job in SCHEDULED_JOBS:
            job(app)
        summary = deliver_due(app)
        click.echo(f"sent {summary.sent}, to retry {summary.retried}, failed {summary.failed}")
        texts = deliver_due_texts(app)
        click.echo(f"texts: sent {texts.sent}, to retry {texts.retried}, failed {texts.failed}")
        return
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo("worker running; press Ctrl+C to stop")
    # Texts go after the jobs that queue them; mail goes last, after every task.
    tasks = [*SCHEDULED_JOBS, deliver_due_texts]
    run_forever(app, tasks=tasks, should_stop=lambda: stopping)


@portal_cli.command("send-test-mail")
@click.argument("address")
def send_test_mail_command(address: str) -> None:
    """Queue a test message to ADDRESS, to check that mail gets through; the worker sends it."""
    from flask_babel import force_locale, gettext

    from portal.extensions import db
    from portal.notifications.service import InvalidMessage, queue_mail

    config = current_app.config
    with force_locale(config["DEFAULT_LOCALE"]):
        subject = gettext("Test message from %(service)s", service=config["SERVICE_NAME"])
    try:
        queue_mail(address, subject, "test_message")
    except InvalidMessage as error:
        click.echo(f"Cannot send to {address!r}: {error}.", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Test message to {address} queued. The mail worker sends it.")
    if not config["SMTP_HOST"]:
        click.echo("PORTAL_SMTP_HOST is not set, so the worker will write it to the log instead.")


@portal_cli.command("demo")
def demo_command() -> None:
    """Create the demo study (safe to run again: nothing is created twice)."""
    from portal.demo import load_demo

    report = load_demo()
    click.echo(report)


@portal_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt="Name to be called by")
@click.password_option(help="At least 15 characters.")
def create_admin_command(email: str, name: str, password: str) -> None:
    """Create an administrator account."""
    from portal.accounts.passwords import MIN_PASSWORD_LENGTH
    from portal.accounts.service import create_user, find_user_by_email
    from portal.extensions import db

    if len(password) < MIN_PASSWORD_LENGTH:
        click.echo(f"The password must be at least {MIN_PASSWORD_LENGTH} characters.", err=True)
        sys.exit(1)
    if find_user_by_email(email) is not None:
        click.echo("An account with that email address already exists.", err=True)
        sys.exit(1)
    create_user(email, name, password, is_admin=True)
    db.session.commit()
    click.echo(f"Administrator {email} created.")


@portal_cli.command("recount-rounds")
def recount_rounds_command() -> None:
    """Count every review round's answers again, after answers were changed in the database by
    hand (the portal keeps the counts itself as members send and change their answers)."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.rounds.counts import counted_now, kept, recount
    from portal.rounds.models import ReviewRound

    rounds = list(db.session.scalars(select(ReviewRound.id).order_by(ReviewRound.id)))
    wrong = [round_id for round_id in rounds if kept(round_id) != counted_now(round_id)]
    for round_id in wrong:
        recount(round_id)
    db.session.commit()
    click.echo(f"{len(rounds)} rounds checked; counts made again for {len(wrong)}.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(portal_cli)
