"""Invitations from the panel's members page (chair, study team) and from administration
(administrators): who may invite whom, re-sending and cancelling."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from portal.access import INVITABLE_ROLES, may_invite_as
from portal.accounts.invitations import invite
from portal.accounts.models import Invitation
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.panels.models import Membership, Role
from tests.conftest import csrf_token_from, submit_form
from tests.factories import add_to_panel, make_user
from tests.outbox import last_mail_to, link_in, mail_to
from tests.roles import Cast


def read(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_members_page_lists_names_roles_and_pseudonym_codes(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    page = read(client_as("chair").get(f"/panels/{cast.panel.id}/members"))
    codes = dict(
        db.session.execute(
            select(Membership.user_id, Membership.pseudonym_code).where(
                Membership.panel_id == cast.panel.id
            )
        ).all()
    )
    for role in ("member", "chair", "researcher"):
        person = cast.people[role]
        assert person.display_name in page and codes[person.id] in page
        assert person.email not in page  # names and codes only
    assert "A member of another panel" not in page
    # The header's panel link leads here for the chair and the study team, not for members.
    assert f'href="/panels/{cast.panel.id}/members"' in read(client_as("researcher").get("/"))
    assert f'href="/panels/{cast.panel.id}/members"' not in read(client_as("member").get("/"))


def test_members_page_queries_stay_flat_as_the_panel_grows(
    client_as: Callable[[str], FlaskClient], cast: Cast, count_queries: Callable
) -> None:
    researcher = client_as("researcher")
    url = f"/panels/{cast.panel.id}/members"
    researcher.get(url)
    with count_queries() as few:
        researcher.get(url)
    for number in range(5):
        add_to_panel(cast.panel, make_user(), Role.MEMBER)
        invite(cast.panel.id, f"new{number}@example.org", Role.MEMBER, cast.people["admin"].id)
    db.session.commit()
    with count_queries() as many:
        page = read(researcher.get(url))
    assert "new4@example.org" in page
    assert many.count == few.count


def test_another_panels_members_page_is_not_found(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    for role in ("chair", "researcher", "admin"):
        client = client_as(role)
        assert client.get(f"/panels/{cast.other_panel.id}/members").status_code == 404
        assert client.get(f"/panels/{cast.other_panel.id}/members/invite").status_code == 404


def test_the_policy_says_who_may_invite_in_which_role() -> None:
    assert INVITABLE_ROLES[Role.MEMBER] == ()
    assert INVITABLE_ROLES[Role.CHAIR] == (Role.MEMBER,)
    assert INVITABLE_ROLES[Role.RESEARCHER] == (Role.MEMBER, Role.CHAIR)


@pytest.mark.parametrize(
    ("inviter", "offered"),
    [("chair", ["member"]), ("researcher", ["member", "chair"])],
)
def test_the_invite_form_offers_only_the_roles_the_inviter_may_give(
    client_as: Callable[[str], FlaskClient], cast: Cast, inviter: str, offered: list[str]
) -> None:
    page = read(client_as(inviter).get(f"/panels/{cast.panel.id}/members/invite"))
    for role in ("member", "chair", "researcher"):
        assert (f'value="{role}"' in page) == (role in offered), role


def test_a_chair_invites_a_member_and_the_email_goes_out(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    chair = client_as("chair")
    url = f"/panels/{cast.panel.id}/members/invite"
    response = submit_form(chair, url, {"email": "New.Person@Example.org", "role": "member"})
    assert response.status_code == 302
    page = read(chair.get(f"/panels/{cast.panel.id}/members"))
    assert "Invitation sent to New.Person@Example.org" in page
    assert "new.person@example.org" in page
    message = last_mail_to("new.person@example.org")
    assert "Study panel" in message.subject
    link_in(message, "/invitations/")
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "invitation_sent")
    ).one()
    assert event.actor_id == cast.people["chair"].id and event.panel_id == cast.panel.id


def test_a_forged_role_the_inviter_may_not_give_is_refused(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    url = f"/panels/{cast.panel.id}/members/invite"
    for inviter, role in (
        ("chair", "chair"),
        ("chair", "researcher"),
        ("researcher", "researcher"),
    ):
        response = submit_form(client_as(inviter), url, {"email": "x@example.org", "role": role})
        assert response.status_code == 200 and "There is a problem" in read(response)
    assert mail_to("x@example.org") == []
    assert db.session.scalars(select(Invitation)).all() == []


def test_inviting_someone_already_in_the_panel_or_with_a_closed_account_says_so(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    url = f"/panels/{cast.panel.id}/members/invite"
    researcher = client_as("researcher")
    already = submit_form(researcher, url, {"email": cast.people["chair"].email, "role": "member"})
    assert "This person is already in the panel" in read(already)
    closed = make_user(email="closed@example.org")
    closed.is_active_account = False
    db.session.commit()
    refused = submit_form(researcher, url, {"email": "closed@example.org", "role": "member"})
    assert "account for this email address is closed" in read(refused)
    bad = submit_form(researcher, url, {"email": "not an email", "role": "member"})
    assert "Enter an email address like name@example.org" in read(bad)
    assert db.session.scalars(select(Invitation)).all() == []


def test_outside_production_an_address_at_a_name_kept_for_tests_can_be_invited(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    url = f"/panels/{cast.panel.id}/members/invite"
    response = submit_form(
        client_as("chair"), url, {"email": "name@demo.invalid", "role": "member"}
    )
    assert response.status_code == 302
    assert [i.email for i in db.session.scalars(select(Invitation))] == ["name@demo.invalid"]
    link_in(last_mail_to("name@demo.invalid"), "/invitations/")


def test_in_production_an_address_that_cannot_receive_email_is_refused_with_the_reason(
    app: Flask, client_as: Callable[[str], FlaskClient], cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "ENV", "production")
    url = f"/panels/{cast.panel.id}/members/invite"
    researcher = client_as("researcher")
    for address, reserved in (
        ("name@demo.invalid", "invalid"),
        ("kim@clinic.localhost", "localhost"),
    ):
        refused = submit_form(researcher, url, {"email": address, "role": "member"})
        page = read(refused)
        assert refused.status_code == 200
        assert (
            f"This address cannot receive email: names ending in .{reserved} are only for tests"
            in page
        )
        assert "Enter an email address like name@example.org" not in page
        assert f'value="{address}"' in page  # what was typed is kept
    bad = submit_form(researcher, url, {"email": "name@@demo.org", "role": "member"})
    assert "Enter an email address like name@example.org" in read(bad)
    assert db.session.scalars(select(Invitation)).all() == []
    assert (
        submit_form(researcher, url, {"email": "kim@example.org", "role": "member"}).status_code
        == 302
    )


def test_may_invite_as_reads_the_signed_in_persons_role(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    from flask import current_app
    from flask_login import login_user

    with current_app.test_request_context():
        login_user(cast.people["chair"])
        assert may_invite_as(Role.MEMBER, cast.panel.id)
        assert not may_invite_as(Role.CHAIR, cast.panel.id)
        assert not may_invite_as(Role.MEMBER, cast.other_panel.id)
    with current_app.test_request_context():
        login_user(cast.people["admin"])
        assert may_invite_as(Role.RESEARCHER, cast.panel.id)


def test_an_administrator_invites_in_any_role_resends_and_cancels(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    admin = client_as("admin")
    base = f"/admin/panels/{cast.panel.id}/invitations"
    response = submit_form(
        admin, f"{base}/new", {"email": "dr.lee@example.org", "role": "researcher"}
    )
    assert response.status_code == 302 and response.headers["Location"] == base
    first_link = link_in(last_mail_to("dr.lee@example.org"), "/invitations/")
    page = read(admin.get(base))
    assert "dr.lee@example.org" in page and "Researcher" in page
    invitation = db.session.scalars(select(Invitation)).one()

    # Sending again emails a new link; the old one stops working.
    resent = admin.post(
        f"{base}/{invitation.id}/resend", data={"csrf_token": csrf_token_from(page)}
    )
    assert resent.status_code == 302
    second_link = link_in(last_mail_to("dr.lee@example.org"), "/invitations/")
    assert second_link != first_link
    assert client_as("anonymous").get(first_link).status_code == 410
    page = read(admin.get(base))
    assert "The link in the old one no longer works" in page
    db.session.expire_all()
    newest = db.session.scalars(select(Invitation).where(Invitation.revoked_at.is_(None))).one()
    assert newest.role is Role.RESEARCHER

    # The old invitation can no longer be sent again or cancelled.
    old = admin.post(f"{base}/{invitation.id}/revoke", data={"csrf_token": csrf_token_from(page)})
    assert old.status_code == 404

    cancelled = admin.post(f"{base}/{newest.id}/revoke", data={"csrf_token": csrf_token_from(page)})
    assert cancelled.status_code == 302
    assert "There are no invitations waiting" in read(admin.get(base))
    assert client_as("anonymous").get(second_link).status_code == 410
    actions = list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("invitation%"))
            .order_by(AuditEvent.id)
        )
    )
    assert actions == ["invitation_sent", "invitation_sent", "invitation_revoked"]


def test_an_invitation_of_another_panel_is_not_found_through_this_panel(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    invitation = invite(cast.other_panel.id, "x@example.org", Role.MEMBER, cast.people["admin"].id)
    db.session.commit()
    admin = client_as("admin")
    page = read(admin.get(f"/admin/panels/{cast.panel.id}/invitations"))
    token = {"csrf_token": csrf_token_from(page)}
    base = f"/admin/panels/{cast.panel.id}/invitations/{invitation.id}"
    assert admin.post(f"{base}/resend", data=token).status_code == 404
    assert admin.post(f"{base}/revoke", data=token).status_code == 404
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).revoked_at is None
