"""Administration: finding people, their page, roles, leaving a panel, closing accounts and the
administrator flag."""

from __future__ import annotations

import html
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from portal.accounts import two_step
from portal.accounts.invitations import invite
from portal.accounts.models import Invitation, User, UserSession
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.panels.models import Membership, Role
from tests.conftest import csrf_token_from, submit_form
from tests.factories import add_to_panel, make_user, sign_in
from tests.roles import Cast


def read(response: TestResponse) -> str:
    """The page's text as a person reads it (HTML entities turned back into characters)."""
    return html.unescape(response.get_data(as_text=True))


def audit_events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def membership_of(cast: Cast, role: str) -> Membership:
    return db.session.scalars(
        select(Membership).where(
            Membership.panel_id == cast.panel.id,
            Membership.user_id == cast.people[role].id,
        )
    ).one()


def test_people_are_found_by_part_of_a_name_or_email_in_any_case(
    client_as: Callable[[str], FlaskClient],
) -> None:
    make_user(email="amara.okafor@example.org", name="Amara Okafor")
    make_user(email="someone@example.org", name="Zainab Shah")
    make_user(email="percent%sign@example.org", name="Literal Percent")
    admin = client_as("admin")
    by_name = read(admin.get("/admin/people?q=OKAF"))
    assert "Amara Okafor" in by_name and "Zainab Shah" not in by_name
    assert "1 person found" in by_name
    by_email = read(admin.get("/admin/people?q=someone@"))
    assert "Zainab Shah" in by_email and "Amara Okafor" not in by_email
    # What is typed is looked for as it is: % and _ are not wildcards.
    literal = read(admin.get("/admin/people?q=%25"))
    assert "Literal Percent" in literal and "Amara Okafor" not in literal
    nobody = read(admin.get("/admin/people?q=no-such-person"))
    assert "0 people found" in nobody


def test_the_people_list_is_paged_with_the_search_kept(
    client_as: Callable[[str], FlaskClient], count_queries: Callable
) -> None:
    for number in range(30):
        make_user(name=f"Paged person {number:02d}")
    admin = client_as("admin")
    first = read(admin.get("/admin/people?q=paged"))
    assert "30 people found" in first and "Page 1 of 2" in first
    assert "Paged person 00" in first and "Paged person 29" not in first
    assert "/admin/people?q=paged&page=2" in first
    second = read(admin.get("/admin/people?q=paged&page=2"))
    assert "Paged person 29" in second and "Paged person 00" not in second
    # A page past the end shows the last page, not an error.
    assert "Paged person 29" in read(admin.get("/admin/people?q=paged&page=99"))
    with count_queries() as small:
        admin.get("/admin/people?q=paged+person+0")
    with count_queries() as full:
        admin.get("/admin/people?q=paged")
    assert full.count == small.count


def test_a_person_page_shows_their_panels_roles_and_codes(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    chair = cast.people["chair"]
    add_to_panel(cast.other_panel, chair, Role.MEMBER)
    page = read(client_as("admin").get(f"/admin/people/{chair.id}"))
    assert "The chair" in page and chair.email in page
    assert "Study panel" in page and "Another study's panel" in page
    assert membership_of(cast, "chair").pseudonym_code in page
    assert "Chair" in page and "Member" in page
    assert client_as("admin").get("/admin/people/999999").status_code == 404


def test_changing_a_role_takes_effect_and_is_audited(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    member = cast.people["member"]
    membership = membership_of(cast, "member")
    member_client = client_as("member")
    assert member_client.get(f"/panels/{cast.panel.id}/members").status_code == 403
    url = f"/admin/people/{member.id}/memberships/{membership.id}/role"
    response = submit_form(client_as("admin"), url, {"role": "chair"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Membership, membership.id).role is Role.CHAIR
    # The member's next page reflects their new role.
    assert member_client.get(f"/panels/{cast.panel.id}/members").status_code == 200
    [event] = audit_events("role_changed")
    assert event.subject_user_id == member.id and event.panel_id == cast.panel.id
    assert event.actor_id == cast.people["admin"].id
    assert event.detail == "role: member to chair"

    refused = submit_form(client_as("admin"), url, {"role": "owner"})
    assert refused.status_code == 200 and "There is a problem" in read(refused)


def test_a_membership_of_someone_else_is_not_found_through_this_person(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    chair_membership = membership_of(cast, "chair")
    member = cast.people["member"]
    admin = client_as("admin")
    base = f"/admin/people/{member.id}/memberships/{chair_membership.id}"
    assert admin.get(f"{base}/role").status_code == 404
    assert admin.get(f"{base}/remove").status_code == 404


def test_taking_someone_out_of_a_panel_hides_it_and_keeps_their_code(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    member = cast.people["member"]
    membership = membership_of(cast, "member")
    code = membership.pseudonym_code
    member_client = client_as("member")
    assert member_client.get(f"/panels/{cast.panel.id}/drafts").status_code == 200
    url = f"/admin/people/{member.id}/memberships/{membership.id}/remove"
    assert "Take A member out of Study panel?" in client_as("admin").get(url).get_data(as_text=True)
    assert submit_form(client_as("admin"), url, {}).status_code == 302
    assert member_client.get(f"/panels/{cast.panel.id}/drafts").status_code == 404
    db.session.expire_all()
    ended = db.session.get(Membership, membership.id)
    assert not ended.active and ended.pseudonym_code == code
    page = read(client_as("admin").get(f"/admin/people/{member.id}"))
    assert "Left the panel" in page
    [event] = audit_events("membership_ended")
    assert event.subject_user_id == member.id and event.panel_id == cast.panel.id


def test_closing_an_account_signs_the_person_out_everywhere(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    member = cast.people["member"]
    on_phone = client_as("member")
    on_laptop = client_as("member")
    invite(cast.other_panel.id, member.email, Role.MEMBER, cast.people["admin"].id)
    db.session.commit()
    assert "Hello, A member" in read(on_phone.get("/"))

    admin = client_as("admin")
    url = f"/admin/people/{member.id}/deactivate"
    assert "Close A member's account?" in read(admin.get(url))
    response = submit_form(admin, url, {}, follow_redirects=True)
    assert "They have been signed out everywhere" in read(response)

    for browser in (on_phone, on_laptop):
        assert browser.get(f"/panels/{cast.panel.id}/drafts").status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, member.id).is_active_account
    open_sessions = select(UserSession).where(
        UserSession.user_id == member.id, UserSession.ended_at.is_(None)
    )
    assert db.session.scalars(open_sessions).all() == []
    # Their waiting invitation stops working too.
    invitation = db.session.scalars(select(Invitation).where(Invitation.email == member.email))
    assert invitation.one().revoked_at is not None
    # They cannot sign in again.
    retry = submit_form(
        on_phone.application.test_client(),
        "/sign-in",
        {"email": member.email, "password": "correct horse battery staple"},
    )
    assert retry.status_code == 200
    [event] = audit_events("account_deactivated")
    assert event.subject_user_id == member.id and event.actor_id == cast.people["admin"].id


def test_a_closed_account_can_be_opened_again(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    member = cast.people["member"]
    admin = client_as("admin")
    submit_form(admin, f"/admin/people/{member.id}/deactivate", {})
    page = read(admin.get(f"/admin/people/{member.id}"))
    assert "Closed: they cannot sign in" in page
    reopen = admin.post(
        f"/admin/people/{member.id}/reactivate", data={"csrf_token": csrf_token_from(page)}
    )
    assert reopen.status_code == 302
    sign_in(admin.application.test_client(), member)
    assert len(audit_events("account_reactivated")) == 1


def test_administrators_cannot_close_their_own_account(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    admin_user = cast.people["admin"]
    make_user(name="Another administrator", is_admin=True)
    admin = client_as("admin")
    page = read(admin.get(f"/admin/people/{admin_user.id}"))
    assert "This is your own account" in page and "Close this account" not in page
    refused = admin.get(f"/admin/people/{admin_user.id}/deactivate", follow_redirects=True)
    assert "You cannot close your own account" in read(refused)
    db.session.expire_all()
    assert db.session.get(User, admin_user.id).is_active_account
    assert audit_events("account_deactivated") == []


def test_the_administrator_flag_is_granted_and_removed_but_never_from_the_last_one(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    admin_user = cast.people["admin"]
    researcher = cast.people["researcher"]
    admin = client_as("admin")

    # The only administrator cannot stop being one.
    url = f"/admin/people/{admin_user.id}/administrator"
    refused = submit_form(admin, url, {}, follow_redirects=True)
    assert "at least one administrator" in read(refused)
    db.session.expire_all()
    assert db.session.get(User, admin_user.id).is_admin

    granted = submit_form(admin, f"/admin/people/{researcher.id}/administrator", {})
    assert granted.status_code == 302
    researcher_client = client_as("researcher")
    assert researcher_client.get("/admin").status_code == 200

    # Now there are two, the first may step down; then they lose the pages at once.
    assert "Stop being an administrator?" in read(admin.get(url))
    assert submit_form(admin, url, {}).headers["Location"] == "/"
    assert admin.get("/admin").status_code == 403

    # The new, last administrator cannot be removed either.
    last = f"/admin/people/{researcher.id}/administrator"
    submit_form(researcher_client, last, {})
    db.session.expire_all()
    assert db.session.get(User, researcher.id).is_admin
    assert [event.subject_user_id for event in audit_events("admin_granted")] == [researcher.id]
    assert [event.subject_user_id for event in audit_events("admin_removed")] == [admin_user.id]


def test_a_closed_administrator_does_not_count_as_the_other_administrator(
    client_as: Callable[[str], FlaskClient], cast: Cast
) -> None:
    closed = make_user(name="Closed administrator", is_admin=True)
    closed.is_active_account = False
    db.session.commit()
    admin_user = cast.people["admin"]
    submit_form(client_as("admin"), f"/admin/people/{admin_user.id}/administrator", {})
    db.session.expire_all()
    assert db.session.get(User, admin_user.id).is_admin


def test_an_administrator_turns_off_two_step_for_someone_who_lost_their_phone(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    researcher = cast.people["researcher"]
    codes = two_step.turn_on(researcher, two_step.new_secret())
    db.session.commit()
    admin = client_as("admin")
    page = read(admin.get(f"/admin/people/{researcher.id}"))
    assert "Turn off two-step verification for someone who has lost" in page
    response = submit_form(
        admin, f"/admin/people/{researcher.id}/two-step-verification/turn-off", {}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert not two_step.two_step_is_on(researcher)
    assert not two_step.use_recovery_code(researcher, codes[0])
    db.session.rollback()  # that try with an old code was only a check: nothing to keep
    events = audit_events("two_step_disabled")
    assert [(e.subject_user_id, e.actor_id) for e in events] == [
        (researcher.id, cast.people["admin"].id)
    ]
    assert "Off." in read(admin.get(f"/admin/people/{researcher.id}"))
