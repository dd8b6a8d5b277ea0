"""The demo study: the four sites, the people, and sign-in with the printed credentials."""

from __future__ import annotations

import html
import io
import re
import zipfile

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.db import utcnow
from portal.demo import DEMO_PASSWORD
from portal.drafts.models import Draft, DraftKind, DraftVersion, VersionItem
from portal.extensions import db
from portal.feedback.models import EntryKind, FeedbackEntry
from portal.notifications.models import OutboxMessage
from portal.panels.models import Membership, Panel, Role, Site
from portal.rounds.models import OmissionCheck, ReviewRound
from tests.conftest import csrf_token_from


def test_demo_creates_the_study_once_and_prints_how_to_sign_in(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["portal", "demo"])
    second = runner.invoke(args=["portal", "demo"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert "chair@demo.invalid" in first.output and "password is:" in first.output

    assert db.session.scalar(select(func.count(Panel.id))) == 1
    sites = set(db.session.scalars(select(Site.name)))
    assert sites == {"Coventry and Warwickshire", "Greater Manchester", "East London", "Sheffield"}
    roles = list(db.session.scalars(select(Membership.role)))
    assert roles.count(Role.CHAIR) == 1
    assert roles.count(Role.RESEARCHER) == 2
    assert roles.count(Role.MEMBER) == 6
    codes = set(db.session.scalars(select(Membership.pseudonym_code)))
    assert len(codes) == 9 and all(code.startswith("LEAP-") for code in codes)

    drafts = list(db.session.scalars(select(Draft)))
    assert len(drafts) == 4 and all(draft.latest_version_number == 1 for draft in drafts)
    assert all(draft.kind is DraftKind.PRIORITY_ACTIONS for draft in drafts)
    themes = set(db.session.scalars(select(VersionItem.theme)))
    assert {"Peer support", "Working with schools", "Staff diversity across roles"} <= themes
    rounds = list(db.session.scalars(select(ReviewRound)))
    assert len(rounds) == 1 and rounds[0].is_open(utcnow())


def test_demo_people_can_sign_in_with_the_printed_password(app: Flask) -> None:
    output = app.test_cli_runner().invoke(args=["portal", "demo"]).output
    password = output.rsplit("password is:", 1)[1].strip()
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    from tests.conftest import csrf_token_from

    response = client.post(
        "/sign-in",
        data={
            "csrf_token": csrf_token_from(page),
            "email": "member1@demo.invalid",
            "password": password,
        },
    )
    assert response.status_code == 302
    assert "Hello, Demo member 1" in client.get("/").get_data(as_text=True)


def test_demo_in_production_prints_no_password_and_sets_none(app: Flask, database: str) -> None:
    from portal.demo import load_demo
    from portal.extensions import limiter
    from tests.conftest import make_app, redis_test_url

    production = make_app(
        database,
        ENV="production",
        SECRET_KEY="q8Zr2Lp5Xw9Tn3Vb7Mk1Hd6Jf4Gs0Yae",
        RATELIMIT_STORAGE_URI=redis_test_url(),
    )
    limiter.init_app(app)  # the limiter is one object: back to the suite's own storage
    with production.app_context():
        output = load_demo()
        assert "no password" in output and "password is:" not in output
        with_password = select(func.count(User.id)).where(User.password_hash.isnot(None))
        assert db.session.scalar(with_password) == 0
        db.session.remove()
        db.engine.dispose()


def test_the_demo_member_sees_the_study_teams_answer_on_my_feedback(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["portal", "demo"]).exit_code == 0
    assert runner.invoke(args=["portal", "demo"]).exit_code == 0
    panel = db.session.scalars(select(Panel)).one()
    client = app.test_client()
    page = client.get("/sign-in")
    token = csrf_token_from(page.get_data(as_text=True))
    client.post(
        "/sign-in",
        data={
            "csrf_token": token,
            "email": "member1@demo.invalid",
            "password": "demo panel password 2026",
        },
    )
    mine = client.get(f"/panels/{panel.id}/my-feedback").get_data(as_text=True)
    assert "People trust peer workers more" in html.unescape(mine)
    assert "We have added peer workers to this action" in mine
    # Once only, however often the demo is loaded; nothing was emailed.
    comments = select(func.count(FeedbackEntry.id)).where(FeedbackEntry.comment_id.isnot(None))
    assert db.session.scalar(comments) == 2
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def signed_in_demo_client(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    response = client.post(
        "/sign-in",
        data={"csrf_token": csrf_token_from(page), "email": email, "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    return client


def test_the_demo_round_has_answers_from_most_members_but_not_from_member_1(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["portal", "demo"]).exit_code == 0
    assert runner.invoke(args=["portal", "demo"]).exit_code == 0
    review_round = db.session.scalars(select(ReviewRound)).one()
    sent = dict(
        db.session.execute(
            select(User.email, OmissionCheck.submitted_at)
            .join(OmissionCheck, OmissionCheck.user_id == User.id)
            .where(OmissionCheck.round_id == review_round.id)
        ).all()
    )
    assert set(sent) == {f"member{n}@demo.invalid" for n in range(2, 7)}  # once each
    assert all(when is not None and when <= utcnow() for when in sent.values())
    kinds = set(
        db.session.scalars(
            select(FeedbackEntry.kind).where(FeedbackEntry.round_id == review_round.id)
        )
    )
    assert {
        EntryKind.ITEM_ANSWER,
        EntryKind.MISSING_ACTION,
        EntryKind.REWORDING,
        EntryKind.GENERAL,
    } <= kinds
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0

    draft_id = db.session.scalar(
        select(DraftVersion.draft_id).where(DraftVersion.id == review_round.version_id)
    )
    round_url = f"/panels/{review_round.panel_id}/drafts/{draft_id}/rounds/{review_round.id}"
    researcher = signed_in_demo_client(app, "researcher@demo.invalid")
    results = re.sub(
        r"\s+",
        " ",
        re.sub(r"<[^>]+>", " ", researcher.get(f"{round_url}/results").get_data(as_text=True)),
    )
    assert "Sent their answers 5" in results
    assert "Interpreters at every appointment" in html.unescape(results)
    export = researcher.get(f"{round_url}/results-csv.zip")
    with zipfile.ZipFile(io.BytesIO(export.data)) as archive:
        everything = "".join(archive.read(name).decode() for name in archive.namelist())
    assert "Longer appointments" in everything and "LEAP-" in everything

    # Demo member 1 can still try the check from the start.
    member = signed_in_demo_client(app, "member1@demo.invalid")
    start = member.get(f"{round_url}/check").get_data(as_text=True)
    assert "You sent your answers" not in start
    assert "Continue where you left off" not in start
    assert re.search(r">\s*Continue\s*</a>", start), "no button to start the check"
