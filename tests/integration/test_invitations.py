"""Invitations: sent, accepted (new and existing accounts), replaced, revoked, expired, used."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.accounts.invitations import invite, open_invitations, revoke
from portal.accounts.models import Invitation, User
from portal.accounts.passwords import verify_password
from portal.accounts.service import find_user_by_email
from portal.audit.models import AuditEvent
from portal.db import utcnow
from portal.extensions import db
from portal.panels.models import Membership, Panel, Role
from tests.conftest import submit_form
from tests.factories import PASSWORD, add_to_panel, make_panel, make_user, sign_in
from tests.outbox import last_mail_to, link_in, mail_to

NEW_PASSWORD = "violet harbour pencil lantern"


@pytest.fixture
def panel() -> Panel:
    return make_panel("Coventry LEAP")


@pytest.fixture
def researcher(panel: Panel) -> User:
    person = make_user(name="Dr Rana Ahmed")
    add_to_panel(panel, person, Role.RESEARCHER)
    return person


def send_invitation(panel: Panel, researcher: User, email: str, role: Role = Role.MEMBER) -> str:
    """Invite ``email`` and return the path of the link in the email."""
    invite(panel.id, email, role, researcher.id)
    db.session.commit()
    return link_in(last_mail_to(email.lower()), "/invitations/")


def accept_form(name: str = "Sam", method: str = "password", password: str = NEW_PASSWORD) -> dict:
    return {
        "display_name": name,
        "sign_in_method": method,
        "password": password,
        "agree_privacy": "y",
    }


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_invitation_email_has_a_link_stored_only_as_a_hash(
    panel: Panel, researcher: User
) -> None:
    link = send_invitation(panel, researcher, "Sam@Example.org")
    token = link.removeprefix("/invitations/")
    message = last_mail_to("sam@example.org")
    assert "Coventry LEAP" in message.subject
    assert "Dr Rana Ahmed has invited you to join as a member" in message.text_body
    assert link in message.html_body
    assert len(token) >= 43  # 32 random bytes: 256 bits
    invitation = db.session.scalars(select(Invitation)).one()
    assert invitation.email == "sam@example.org"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    event = db.session.scalars(select(AuditEvent)).one()
    assert event.action == "invitation_sent" and event.actor_id == researcher.id
    assert token not in event.detail


def test_accepting_creates_the_account_and_membership_and_signs_in(
    client: FlaskClient, app: Flask, panel: Panel, researcher: User
) -> None:
    link = send_invitation(panel, researcher, "sam@example.org")
    page = client.get(link).get_data(as_text=True)
    assert "Join Coventry LEAP" in page
    assert "Dr Rana Ahmed has invited you to join as a member" in page
    assert "onpaste" not in page  # pasting a password is allowed

    response = submit_form(client, link, accept_form(name="  Sam  "))
    assert response.status_code == 302

    user = find_user_by_email("sam@example.org")
    assert user is not None and user.display_name == "Sam"
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert not user.prefers_email_link
    assert user.privacy_notice_version == app.config["PRIVACY_NOTICE_VERSION"] == "2026-11"
    assert user.privacy_notice_agreed_at is not None
    membership = db.session.scalars(select(Membership).where(Membership.user_id == user.id)).one()
    assert (membership.panel_id, membership.role) == (panel.id, Role.MEMBER)
    assert membership.pseudonym_code == "LEAP-02"  # the researcher is LEAP-01
    assert audit_actions()[-2:] == ["invitation_accepted", "sign_in"]

    home = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You have joined Coventry LEAP" in home
    assert "Sam" in home and "Sign out" in home


def test_a_person_can_choose_email_links_instead_of_a_password(
    client: FlaskClient, panel: Panel, researcher: User
) -> None:
    link = send_invitation(panel, researcher, "lin@example.org")
    response = submit_form(client, link, accept_form(name="Lin", method="email_link", password=""))
    assert response.status_code == 302
    user = find_user_by_email("lin@example.org")
    assert user is not None and user.password_hash is None and user.prefers_email_link


def test_mistakes_are_listed_linked_to_their_fields_and_answers_are_kept(
    client: FlaskClient, panel: Panel, researcher: User
) -> None:
    link = send_invitation(panel, researcher, "sam@example.org")
    response = submit_form(client, link, {"display_name": "Sam Jones"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#sign_in_method"' in html and "Choose how you want to sign in" in html
    assert 'href="#agree_privacy"' in html
    assert "Tick the box to say you agree to the privacy notice" in html
    assert 'value="Sam Jones"' in html
    assert find_user_by_email("sam@example.org") is None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short words", "at least 15 characters long"),
        ("iloveyouiloveyou", "too easy to guess"),
        ("Password Password", "too easy to guess"),
        ("sam.jones@example.org is me", "must not include your email address"),
    ],
)
def test_weak_passwords_are_refused_with_a_hint(
    client: FlaskClient, panel: Panel, researcher: User, password: str, message: str
) -> None:
    link = send_invitation(panel, researcher, "sam.jones@example.org")
    response = submit_form(client, link, accept_form(password=password))
    html = response.get_data(as_text=True)
    assert message in html
    assert "Use three random words" in html
    assert 'href="#password"' in html
    assert f'value="{password}"' not in html  # a password is never sent back
    assert find_user_by_email("sam.jones@example.org") is None


def test_an_existing_account_gets_the_panel_and_keeps_its_password(
    client: FlaskClient, panel: Panel, researcher: User
) -> None:
    existing = make_user("kim@example.org", name="Kim")
    other_panel = make_panel("Sheffield LEAP")
    add_to_panel(other_panel, existing)
    link = send_invitation(panel, researcher, "KIM@example.org", Role.CHAIR)
    page = client.get(link).get_data(as_text=True)
    assert "You already have an account" in page
    assert 'name="password"' not in page and 'name="display_name"' not in page

    response = submit_form(client, link, {"agree_privacy": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get_one(User, existing.id)
    assert user.display_name == "Kim" and verify_password(user.password_hash, PASSWORD)
    assert user.privacy_notice_version == "2026-11"
    roles = {
        m.panel_id: m.role
        for m in db.session.scalars(select(Membership).where(Membership.user_id == user.id))
    }
    assert roles == {other_panel.id: Role.MEMBER, panel.id: Role.CHAIR}


def test_opening_the_link_changes_nothing(
    client: FlaskClient, panel: Panel, researcher: User
) -> None:
    link = send_invitation(panel, researcher, "sam@example.org")
    for _ in range(3):
        assert client.get(link).status_code == 200
    db.session.expire_all()
    assert db.session.scalars(select(Invitation)).one().accepted_at is None
    assert find_user_by_email("sam@example.org") is None


def test_a_used_invitation_says_so_and_offers_sign_in(
    app: Flask, client: FlaskClient, panel: Panel, researcher: User
) -> None:
    link = send_invitation(panel, researcher, "sam@example.org")
    submit_form(client, link, accept_form())
    response = app.test_client().get(link)
    html = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "This invitation has already been used" in html
    assert "Sign in with your password" in html and "Get a link to sign in by email" in html


def test_inviting_again_replaces_the_old_link(
    client: FlaskClient, panel: Panel, researcher: User
) -> None:
    old_link = send_invitation(panel, researcher, "sam@example.org")
    new_link = send_invitation(panel, researcher, "sam@example.org", Role.CHAIR)
    assert len(mail_to("sam@example.org")) == 2
    old = client.get(old_link)
    assert old.status_code == 410
    assert "There is a newer invitation" in old.get_data(as_text=True)
    assert [i.role for i in open_invitations(panel.id)] == [Role.CHAIR]
    assert submit_form(client, new_link, accept_form()).status_code == 302


def test_a_revoked_invitation_says_it_was_cancelled(
    client: FlaskClient, panel: Panel, researcher: User
) -> None:
    link = send_invitation(panel, researcher, "sam@example.org")
    invitation = db.session.scalars(select(Invitation)).one()
    revoke(invitation, researcher.id)
    db.session.commit()
    response = client.get(link)
    html = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "This invitation has been cancelled" in html
    assert "ask them to send you a new one" in html
    assert open_invitations(panel.id) == []
    assert audit_actions()[-1] == "invitation_revoked"


def test_an_expired_invitation_says_how_to_get_a_new_one(
    client: FlaskClient, panel: Panel, researcher: User
) -> None:
    link = send_invitation(panel, researcher, "sam@example.org")
    invitation = db.session.scalars(select(Invitation)).one()
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(link)
    html = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "This invitation has expired" in html
    assert "Ask the study team to send you a new one" in html
    # Posting the form of a page opened before it expired does not accept it either.
    assert client.post(link, data=accept_form()).status_code == 410
    assert find_user_by_email("sam@example.org") is None
    assert open_invitations(panel.id) == []


def test_an_unknown_link_is_not_found(client: FlaskClient) -> None:
    response = client.get("/invitations/made-up-token")
    assert response.status_code == 404
    assert "This invitation link does not work" in response.get_data(as_text=True)


def test_a_deactivated_account_cannot_accept(
    client: FlaskClient, panel: Panel, researcher: User
) -> None:
    person = make_user("gone@example.org")
    person.is_active_account = False
    db.session.commit()
    link = send_invitation(panel, researcher, "gone@example.org")
    response = client.get(link)
    assert response.status_code == 410
    assert "We cannot add you to this panel" in response.get_data(as_text=True)


def test_open_invitations_lists_only_those_that_can_still_be_accepted(
    client: FlaskClient, panel: Panel, researcher: User
) -> None:
    send_invitation(panel, researcher, "a@example.org")
    accepted = send_invitation(panel, researcher, "b@example.org")
    send_invitation(panel, researcher, "c@example.org")
    expired = db.session.scalars(select(Invitation).where(Invitation.email == "c@example.org"))
    expired.one().expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    submit_form(client, accepted, accept_form())
    listed = open_invitations(panel.id)
    assert [i.email for i in listed] == ["a@example.org"]
    assert listed[0].invited_by is not None and listed[0].invited_by.display_name == "Dr Rana Ahmed"


def test_each_new_member_gets_the_next_pseudonym_code(
    app: Flask, panel: Panel, researcher: User
) -> None:
    codes = []
    for name in ("ash", "bo", "cy"):
        link = send_invitation(panel, researcher, f"{name}@example.org")
        assert submit_form(app.test_client(), link, accept_form(name=name)).status_code == 302
        user = find_user_by_email(f"{name}@example.org")
        assert user is not None
        codes.append(
            db.session.scalars(
                select(Membership.pseudonym_code).where(Membership.user_id == user.id)
            ).one()
        )
    assert codes == ["LEAP-02", "LEAP-03", "LEAP-04"]


def test_accepting_while_someone_else_is_signed_in_ends_their_session(
    client: FlaskClient, panel: Panel, researcher: User
) -> None:
    sign_in(client, researcher)
    link = send_invitation(panel, researcher, "sam@example.org")
    submit_form(client, link, accept_form(name="Sam"))
    home = client.get("/").get_data(as_text=True)
    assert "Sam" in home and "Dr Rana Ahmed" not in home
