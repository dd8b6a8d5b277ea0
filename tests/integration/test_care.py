"""Stepping back and reaching out: pause and come back, stop being a member, ask someone to
contact me, and the "Need support?" page with the panel's contacts and crisis lines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.panels.models import Membership
from portal.panels.service import active_people, is_paused
from portal.rights.models import SupportRequest, SupportStatus
from tests.conftest import submit_form
from tests.integration.feedback_helpers import published_draft
from tests.outbox import mail_to
from tests.results_data import make_round
from tests.roles import Cast


def _membership(cast: Cast, role: str = "member") -> Membership:
    db.session.expire_all()
    return db.session.scalars(
        select(Membership).where(
            Membership.panel_id == cast.panel.id, Membership.user_id == cast.people[role].id
        )
    ).one()


def test_a_paused_member_gets_no_invitations_until_they_come_back_with_one_button(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    member = client_as("member")
    url = f"/panels/{cast.panel.id}/pause"
    page = member.get(url).get_data(as_text=True)
    assert (
        "You do not need to give a reason" in page
        and "reason" not in page.split("<form")[1].split("</form>")[0].lower()
    )
    paused = submit_form(member, url, {"how_long": "return"}, follow_redirects=True)
    assert "Your involvement is paused" in paused.get_data(as_text=True)
    assert is_paused(_membership(cast))
    # The team sees "Paused", never why.
    members_page = client_as("chair").get(f"/panels/{cast.panel.id}/members").get_data(as_text=True)
    assert "Paused" in members_page

    # Opening a round invites everyone else; the paused member is skipped.
    people = active_people(cast.panel.id, skip_paused=True)
    assert cast.people["member"].id not in {p.id for p in people}
    from portal.rounds.service import _tell_the_panel  # the senders' own recipient list

    review_round = make_round(cast.panel, cast.people["researcher"])
    from portal.drafts.models import Draft, DraftVersion

    version = db.session.get(DraftVersion, review_round.version_id)
    draft = db.session.get(Draft, version.draft_id)  # type: ignore[union-attr]
    db.session.refresh(review_round, ["version"])
    _tell_the_panel(review_round, draft, "review_round_opened", "opened")  # type: ignore[arg-type]
    db.session.commit()
    assert mail_to(cast.people["member"].email) == []
    assert mail_to(cast.people["chair"].email)
    # "Remind those who have not answered" leaves them out too.
    from portal.db import utcnow
    from portal.rounds.reminders import people_to_remind

    reminded = {row.id for row in people_to_remind(review_round, utcnow())}
    assert cast.people["chair"].id in reminded and cast.people["member"].id not in reminded
    # Transactional mail still reaches them: a password reset link.
    submit_form(client_as("anonymous"), "/reset-password", {"email": cast.people["member"].email})
    assert any("reset" in m.subject.lower() for m in mail_to(cast.people["member"].email))

    home = member.get("/").get_data(as_text=True)
    assert "Paused" in home and "Come back now" in home
    page = member.get(url).get_data(as_text=True)
    from tests.conftest import csrf_token_from

    returned = member.post(
        f"/panels/{cast.panel.id}/pause/end",
        data={"csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert "Welcome back" in returned.get_data(as_text=True)
    assert not is_paused(_membership(cast))


def test_pausing_until_a_date_checks_the_date_and_keeps_what_was_typed(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    member = client_as("member")
    url = f"/panels/{cast.panel.id}/pause"
    bad = submit_form(member, url, {"how_long": "date", "until": "32 13 2027"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "Enter a real date" in html and "32 13 2027" in html
    past = submit_form(member, url, {"how_long": "date", "until": "1 1 2020"})
    assert "The date must be in the future" in past.get_data(as_text=True)
    nothing = submit_form(member, url, {})
    assert "Choose how long for" in nothing.get_data(as_text=True)
    later = date.today() + timedelta(days=30)
    submit_form(
        member, url, {"how_long": "date", "until": f"{later.day} {later.month} {later.year}"}
    )
    membership = _membership(cast)
    assert membership.paused_until == later and is_paused(membership)


def test_stopping_being_a_member_asks_no_reason_and_keeps_the_record(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    member = client_as("member")
    url = f"/panels/{cast.panel.id}/leave"
    page = member.get(url).get_data(as_text=True)
    assert "You do not need to give a reason." in page and "under your panel code" in page
    done = submit_form(member, url, {}, follow_redirects=True)
    assert "You are no longer a member of this panel" in done.get_data(as_text=True)
    membership = _membership(cast)
    assert membership.active is False and membership.left_at is not None
    assert membership.pseudonym_code == "LEAP-01"
    assert member.get(f"/panels/{cast.panel.id}/drafts").status_code == 404


def test_asking_to_be_contacted_reaches_the_chair_and_the_study_team(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    member = client_as("member")
    url = f"/panels/{cast.panel.id}/contact-me"
    too_long = submit_form(member, url, {"message": "x" * 1001, "contact_way": "phone"})
    html = too_long.get_data(as_text=True)
    assert too_long.status_code == 200 and "1 characters too many" in html
    sent = submit_form(
        member,
        url,
        {"message": "Please **call** me after 5pm", "contact_way": "phone"},
        follow_redirects=True,
    )
    assert "Someone from the panel will contact you" in sent.get_data(as_text=True)
    for role in ("chair", "researcher"):
        [message] = mail_to(cast.people[role].email)
        assert "LEAP-01" in message.text_body and "Please" not in message.text_body
    chair = client_as("chair")
    listing = chair.get(f"/panels/{cast.panel.id}/contact-requests").get_data(as_text=True)
    assert "A member (LEAP-01)" in listing and "Phone call" in listing and "New" in listing
    request_row = db.session.scalars(select(SupportRequest)).one()
    one = f"/panels/{cast.panel.id}/contact-requests/{request_row.id}"
    assert "<strong>call</strong>" in chair.get(one).get_data(as_text=True)
    submit_form(chair, one, {"status": "in_hand"})
    db.session.expire_all()
    assert db.session.get(SupportRequest, request_row.id).status is SupportStatus.IN_HAND  # type: ignore[union-attr]
    inbox = client_as("researcher").get(f"/panels/{cast.panel.id}/inbox").get_data(as_text=True)
    assert "1 member asked to be contacted" in inbox
    # Another panel's request is not found.
    assert client_as("other_panel_member").get(one).status_code == 404
    other = f"/panels/{cast.other_panel.id}/contact-requests/{request_row.id}"
    assert client_as("other_panel_member").get(other).status_code == 403


def test_the_support_page_shows_crisis_lines_and_the_panels_own_contacts(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    published_draft(cast)
    page = client_as("anonymous").get("/support").get_data(as_text=True)
    assert "Samaritans" in page and "116 123" in page and "85258" in page and "NHS 111" in page
    assert "If something on the portal upset you" in page

    researcher = client_as("researcher")
    url = f"/panels/{cast.panel.id}/support-contacts"
    bad = submit_form(researcher, url, {"chair-name": "The chair", "chair-email": "not an email"})
    assert bad.status_code == 200 and "not an email" in bad.get_data(as_text=True)
    submit_form(
        researcher,
        url,
        {
            "chair-name": "Chair Person",
            "peer_worker-name": "Peer Worker",
            "peer_worker-phone": "020 7946 0000",
        },
    )
    member_page = client_as("member").get("/support").get_data(as_text=True)
    assert (
        "Chair Person" in member_page
        and "Peer Worker" in member_page
        and "020 7946 0000" in member_page
    )
    assert "Ask someone from Study panel to contact you" in member_page
    other = client_as("other_panel_member").get("/support").get_data(as_text=True)
    assert "Chair Person" not in other

    admin = client_as("admin")
    submit_form(
        admin,
        "/support/crisis-lines",
        {
            "lines-0-name": "Local crisis team",
            "lines-0-how": "Call 0800 000 000",
            "lines-1-name": "",
            "lines-1-how": "",
            "lines-2-name": "",
            "lines-2-how": "",
            "lines-3-name": "",
            "lines-3-how": "",
        },
    )
    changed = client_as("anonymous").get("/support").get_data(as_text=True)
    assert "Local crisis team" in changed and "Samaritans" not in changed


def test_the_new_lists_run_the_same_queries_however_much_they_hold(
    cast: Cast, client_as: Callable[[str], FlaskClient], count_queries: Any
) -> None:
    from portal.agreements import ledger, service
    from portal.agreements.models import Decision
    from portal.rights.care import ask_to_be_contacted
    from portal.rights.erasure import ask_for_erasure
    from portal.rights.models import ContactWay
    from tests.factories import add_to_panel, make_user
    from tests.integration.agreement_helpers import published_agreement

    def add(count: int) -> None:
        for number in range(count):
            person = make_user()
            membership = add_to_panel(cast.panel, person)
            agreement = published_agreement(cast, title=f"Agreement {number}")
            agreement = service.get_agreement(cast.panel.id, agreement.id)
            version = service.published_version(agreement)  # type: ignore[arg-type]
            ledger.decide(agreement, version, person.id, Decision.AGREED)  # type: ignore[arg-type]
            ledger.decide(agreement, version, cast.people["member"].id, Decision.AGREED)  # type: ignore[arg-type]
            ask_to_be_contacted(membership, person, "Please call", ContactWay.PHONE)
            ask_for_erasure(person)
        db.session.commit()

    add(1)
    base = f"/panels/{cast.panel.id}"
    first = service.agreements_of(cast.panel.id)[0].id
    pages = [
        (client_as("member"), f"{base}/agreements"),
        (client_as("member"), "/support"),
        (client_as("researcher"), f"{base}/agreements/manage"),
        (client_as("researcher"), f"{base}/agreements/{first}/records"),
        (client_as("chair"), f"{base}/contact-requests"),
        (client_as("admin"), "/admin/erasure-requests"),
    ]
    before = []
    for client, url in pages:
        with count_queries() as log:
            assert client.get(url).status_code == 200, url
        before.append(log.queries)
    add(10)
    for (client, url), count in zip(pages, before, strict=True):
        with count_queries() as log:
            assert client.get(url).status_code == 200
        assert log.queries == count, url
    assert "Agreement 9" in client_as("member").get(f"{base}/agreements").get_data(as_text=True)
