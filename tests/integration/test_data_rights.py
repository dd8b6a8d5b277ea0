"""Download my data (worker-made zip, one-time expiring link), subject access requests,
erasure to the panel code, and retention periods counted from archiving."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import String, Text, select

from portal.db import utcnow
from portal.extensions import db
from portal.feedback.models import Comment, FeedbackEntry
from portal.notifications.models import ContactSettings
from portal.panels.models import Membership, Panel
from portal.rights import data_copy, retention
from portal.rights.models import DataExport, ExportStatus, RetentionPolicy, SupportRequest
from portal.rounds.models import Resonance
from tests.conftest import submit_form
from tests.factories import add_to_panel, make_user, sign_in
from tests.integration.agreement_helpers import answer, published_agreement
from tests.integration.feedback_helpers import post_comment, published_draft
from tests.outbox import last_mail_to, link_in, mail_to
from tests.results_data import answer_round, make_round, results_path
from tests.roles import Cast


def _copy_link(address: str) -> str:
    return link_in(last_mail_to(address), "/my-data/")


def test_a_member_downloads_a_plain_zip_of_everything_once(
    app: Flask, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    member_user = cast.people["member"]
    member = client_as("member")
    draft = published_draft(cast)
    post_comment(member, cast, draft, "Kept comment about interpreters.")
    post_comment(member, cast, draft, "A comment I withdrew later.")
    withdrawn = db.session.scalars(select(Comment).order_by(Comment.id.desc())).first()
    assert withdrawn is not None
    withdrawn.withdrawn_at = utcnow()
    db.session.add(ContactSettings(user_id=member_user.id, mobile="+447700900123"))
    db.session.commit()
    answer(member, cast, published_agreement(cast))

    page = member.get("/account/my-data").get_data(as_text=True)
    assert "Answers you gave to anonymous questionnaires are not included" in page
    asked = submit_form(member, "/account/my-data", {}, follow_redirects=True)
    assert "We will email you a link when it is ready" in asked.get_data(as_text=True)
    assert "being made" in asked.get_data(as_text=True)

    assert data_copy.make_waiting_copies(app) == 1
    link = _copy_link(member_user.email)
    # Only the person who asked can use the link; opening it only shows the button.
    assert client_as("chair").get(link).status_code == 404
    assert "Download the zip file" in member.get(link).get_data(as_text=True)
    download = submit_form(member, link, {})
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    names = archive.namelist()
    assert "my-data.html" in names and "my-data.json" in names
    assert any(name.startswith("agreements/") and name.endswith(".pdf") for name in names)
    assert all(info.flag_bits & 0x1 == 0 for info in archive.infolist())  # no passwords
    data = json.loads(archive.read("my-data.json"))
    assert data["account"][0]["email"] == member_user.email
    assert "password_hash" not in data["account"][0]
    bodies = {row["body"] for row in data["comments"]}
    assert {"Kept comment about interpreters.", "A comment I withdrew later."} <= bodies
    assert data["panels_and_roles"][0]["pseudonym_code"] == "LEAP-01"
    assert data["agreements"][0]["decision"] == "agreed"
    assert data["sign_in_history"] and data["audit_events"]
    assert data["contact_settings"][0]["mobile"] == "+447700900123"
    html = archive.read("my-data.html").decode()
    assert "Kept comment about interpreters." in html and "anonymous questionnaires" in html

    # The link works once.
    again = member.get(link)
    assert again.status_code == 404 and "This link no longer works" in again.get_data(as_text=True)
    db.session.expire_all()
    export = db.session.scalars(select(DataExport)).one()
    assert export.status is ExportStatus.DOWNLOADED and export.content is None


def test_a_copy_link_expires_and_an_administrator_can_answer_a_subject_access_request(
    app: Flask, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    admin = client_as("admin")
    member_id = cast.people["member"].id
    asked = submit_form(admin, f"/admin/people/{member_id}/data-copy", {}, follow_redirects=True)
    assert "The copy is being made" in asked.get_data(as_text=True)
    data_copy.make_waiting_copies(app)
    admin_mail = last_mail_to(cast.people["admin"].email)
    assert "The copy of the data you asked for is ready." in admin_mail.text_body
    assert mail_to(cast.people["member"].email) == []

    export = db.session.scalars(select(DataExport)).one()
    export.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert admin.get(link_in(admin_mail, "/my-data/")).status_code == 404
    data_copy.make_waiting_copies(app)
    db.session.expire_all()
    assert db.session.scalars(select(DataExport)).one().status is ExportStatus.EXPIRED


def _text_values_mentioning(*needles: str) -> list[str]:
    """Every text value in every table of the database that contains one of ``needles``."""
    found = []
    lowered = [needle.lower() for needle in needles]
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            if not columns:
                continue
            for row in connection.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, str) and any(n in value.lower() for n in lowered):
                        found.append(f"{table.name}.{column.name}: {value[:80]}")
    return found


def test_erasure_removes_name_and_email_everywhere_and_keeps_words_under_the_panel_code(
    app: Flask, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    person = make_user(email="zora.quenby@example.org", name="Zora Quenby")
    add_to_panel(cast.panel, person)  # LEAP-04
    client = app.test_client()
    sign_in(client, person)
    draft = published_draft(cast)
    post_comment(client, cast, draft, "Words that must stay for the study.")
    review_round = make_round(cast.panel, cast.people["researcher"])
    answer_round(review_round, person, [Resonance.STRONGLY], comments=["Strongly felt"])
    submit_form(
        client,
        f"/panels/{cast.panel.id}/contact-me",
        {"message": "Call me", "contact_way": "phone"},
    )
    # Somebody else's message mentioning them, and the audit log.
    asked = submit_form(client, "/account/erasure", {}, follow_redirects=True)
    assert "We have sent your request to the administrators." in asked.get_data(as_text=True)
    assert _text_values_mentioning("Zora Quenby", "zora.quenby@example.org")

    admin_mail = last_mail_to(cast.people["admin"].email)
    assert "Someone asked for their data to be erased" in admin_mail.subject
    assert "Zora" not in admin_mail.text_body
    admin = client_as("admin")
    waiting = admin.get("/admin/erasure-requests").get_data(as_text=True)
    assert "Zora Quenby" in waiting
    preview = admin.get(f"/admin/people/{person.id}/erase").get_data(as_text=True)
    assert "What goes" in preview and "What stays, under LEAP-04" in preview
    assert "1 comment" in preview and "1 omission check" in preview
    missing = submit_form(admin, f"/admin/people/{person.id}/erase", {})
    assert (
        missing.status_code == 200
        and "Choose what happens to what they wrote" in missing.get_data(as_text=True)
    )
    done = submit_form(
        admin, f"/admin/people/{person.id}/erase", {"words": "keep"}, follow_redirects=True
    )
    assert "They are now known only as LEAP-04" in done.get_data(as_text=True)

    assert _text_values_mentioning("Zora Quenby", "zora.quenby@example.org") == []
    assert _text_values_mentioning("Quenby") == []
    db.session.expire_all()
    entry = db.session.scalars(
        select(FeedbackEntry).where(FeedbackEntry.author_id == person.id)
    ).one()
    assert entry.text == "Words that must stay for the study."
    assert db.session.scalars(select(SupportRequest)).all() == []
    researcher = client_as("researcher")
    inbox = researcher.get(f"/panels/{cast.panel.id}/inbox").get_data(as_text=True)
    assert "Words that must stay for the study." in inbox and "LEAP-04" in inbox
    results = researcher.get(results_path(review_round)).get_data(as_text=True)
    assert "Strongly felt" in results
    export = researcher.get(results_path(review_round, "/results-csv.zip"))
    archive = zipfile.ZipFile(io.BytesIO(export.data))
    everything = "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    assert "Strongly felt" in everything and "LEAP-04" in everything
    # The erased person can no longer sign in.
    membership = db.session.scalars(select(Membership).where(Membership.user_id == person.id)).one()
    assert membership.active is False


def test_retention_warns_thirty_days_before_then_removes_the_involvement_administration(
    app: Flask, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    admin = client_as("admin")
    url = f"/admin/panels/{cast.panel.id}/retention"
    bad = submit_form(
        admin,
        url,
        {"research_months": "0", "research_action": "pseudonymise", "admin_months": "twelve"},
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "Enter a number from 1 to 1200" in html
    saved = submit_form(
        admin,
        url,
        {"research_months": "120", "research_action": "pseudonymise", "admin_months": "6"},
        follow_redirects=True,
    )
    assert "Retention periods saved." in saved.get_data(as_text=True)

    member = client_as("member")
    submit_form(
        member, f"/panels/{cast.panel.id}/contact-me", {"message": "", "contact_way": "email"}
    )
    panel = db.session.get(Panel, cast.panel.id)
    assert panel is not None
    archived = utcnow() - timedelta(days=170)
    panel.archived_at = archived
    db.session.commit()

    retention.apply_due(app, now=archived + timedelta(days=170))
    warning = last_mail_to(cast.people["admin"].email)
    assert "involvement administration" in warning.text_body and "In 30 days" in warning.text_body
    assert db.session.scalars(select(SupportRequest)).all()

    retention.apply_due(app, now=archived + timedelta(days=184))
    db.session.expire_all()
    assert db.session.scalars(select(SupportRequest)).all() == []
    policy = db.session.scalars(select(RetentionPolicy)).one()
    assert policy.admin_done_at is not None and policy.research_done_at is None

    # Ten years on, the research record is pseudonymised: the members are erased.
    retention.apply_due(app, now=archived + timedelta(days=3653))
    db.session.expire_all()
    assert cast.people["member"].email not in {
        u for u in db.session.scalars(select(Membership.user_id))
    }
    from portal.accounts.models import User

    member_row = db.session.get(User, cast.people["member"].id)
    assert member_row is not None and member_row.email.endswith("@erased.invalid")
