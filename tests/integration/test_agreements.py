"""Agreements: writing and publishing versions, answering and withdrawing, consent recorded by
staff, the append-only ledger with its PDF copies, and the required-agreement question at
sign-in."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from portal.agreements import ledger, service
from portal.agreements.models import (
    AgreementKind,
    AgreementRecord,
    AgreementVersion,
    Decision,
    LedgerIsAppendOnly,
)
from portal.extensions import db
from tests.conftest import csrf_token_from, submit_form
from tests.factories import sign_in
from tests.integration.agreement_helpers import agreement_url, answer, published_agreement
from tests.roles import Cast


def _records(agreement_id: int) -> list[AgreementRecord]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AgreementRecord)
            .where(AgreementRecord.agreement_id == agreement_id)
            .order_by(AgreementRecord.id)
        )
    )


def test_the_study_team_writes_and_publishes_an_agreement_whose_published_text_never_changes(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    researcher = client_as("researcher")
    new_url = f"/panels/{cast.panel.id}/agreements/new"
    empty = submit_form(researcher, new_url, {"title": "", "summary": "Kept summary"})
    html = empty.get_data(as_text=True)
    assert empty.status_code == 200 and "Enter a title" in html and "Kept summary" in html
    assert 'href="#title"' in html  # the error summary links to the field

    saved = submit_form(
        researcher,
        new_url,
        {
            "title": "Role agreement",
            "kind": "role",
            "required": "yes",
            "summary": "What we ask of you.",
            "body": "Version one text.",
        },
    )
    assert saved.status_code == 302
    edit_url = saved.headers["Location"]
    page = researcher.get(edit_url).get_data(as_text=True)
    published = researcher.post(
        edit_url.replace("/edit", "/publish"),
        data={"csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert "Version 1 published." in published.get_data(as_text=True)

    agreement = service.agreements_of(cast.panel.id)[0]
    version = service.published_version(agreement)
    assert version is not None and version.body == "Version one text."
    with pytest.raises(service.AgreementProblem):
        service.update_version(version, "Changed", "Changed")
    db.session.rollback()
    # Even a change that slips past the service is refused by the model.
    version = db.session.get(AgreementVersion, version.id)
    assert version is not None
    version.body = "Sneaky change"
    with pytest.raises(LedgerIsAppendOnly):
        db.session.flush()
    db.session.rollback()

    # Saving new words makes version 2; version 1 stays as it was.
    changed = submit_form(
        researcher,
        edit_url,
        {
            "title": "Role agreement",
            "kind": "role",
            "required": "yes",
            "summary": "What we ask of you.",
            "body": "Version two text.",
        },
        follow_redirects=True,
    )
    assert "Version 2 saved." in changed.get_data(as_text=True)
    db.session.expire_all()
    texts = [
        v.body
        for v in db.session.scalars(select(AgreementVersion).order_by(AgreementVersion.number))
    ]
    assert texts == ["Version one text.", "Version two text."]


def test_a_member_agrees_sees_what_they_agreed_to_and_withdraws_in_plain_words(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    agreement = published_agreement(cast)
    member = client_as("member")
    page = member.get(agreement_url(cast, agreement)).get_data(as_text=True)
    assert page.index("In short") < page.index("The full text")
    assert "<strong>never</strong>" in page and "I do not agree" in page

    missing = submit_form(member, agreement_url(cast, agreement), {})
    assert missing.status_code == 200 and "Choose whether you agree" in missing.get_data(
        as_text=True
    )

    answer(member, cast, agreement, "agreed")
    mine = member.get(f"/panels/{cast.panel.id}/agreements").get_data(as_text=True)
    assert "You agreed" in mine and "version 1" in mine and "Withdraw my agreement" in mine

    [entry] = _records(agreement.id)
    version = service.published_version(service.get_agreement(cast.panel.id, agreement.id))  # type: ignore[arg-type]
    assert entry.decision is Decision.AGREED and entry.text_hash == ledger.text_hash(version)  # type: ignore[arg-type]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(entry.pdf_copy)).pages)
    assert "Consent to quote what I say" in text and "LEAP-01" in text
    assert "A member" not in text  # the copy names the panel code, never the person

    withdraw_url = agreement_url(cast, agreement, "/withdraw")
    confirm = member.get(withdraw_url).get_data(as_text=True)
    assert "Quotes already in published reports cannot be recalled." in confirm
    assert "You do not need to give a reason." in confirm
    done = submit_form(member, withdraw_url, {}, follow_redirects=True)
    assert "You have withdrawn your agreement" in done.get_data(as_text=True)
    assert [r.decision for r in _records(agreement.id)] == [Decision.AGREED, Decision.WITHDRAWN]
    assert service.quote_consenting(cast.panel.id, [cast.people["member"].id]) == set()


def test_the_ledger_is_append_only(cast: Cast, client_as: Callable[[str], FlaskClient]) -> None:
    agreement = published_agreement(cast)
    answer(client_as("member"), cast, agreement)
    [entry] = _records(agreement.id)
    entry.decision = Decision.DECLINED
    with pytest.raises(LedgerIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    [entry] = _records(agreement.id)
    db.session.delete(entry)
    with pytest.raises(LedgerIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    # The ledger offers no way to change or remove a decision at all.
    assert not [n for n in dir(ledger) if n.startswith(("update", "delete", "remove", "change"))]


def test_a_required_agreement_is_asked_at_sign_in_with_support_still_open(
    app: object, cast: Cast
) -> None:
    from flask import current_app

    agreement = published_agreement(
        cast, kind=AgreementKind.ROLE, required=True, title="Role agreement"
    )
    published_agreement(cast)  # an optional one, published later, is never asked at sign-in
    client = current_app.test_client()
    sign_in(client, cast.people["member"])
    drafts = client.get(f"/panels/{cast.panel.id}/drafts")
    assert drafts.status_code == 302 and "/agreements/to-answer" in drafts.headers["Location"]
    asked = client.get(drafts.headers["Location"]).get_data(as_text=True)
    assert "Role agreement" in asked and "Need support?" in asked
    assert client.get("/support").status_code == 200
    assert client.get(f"/panels/{cast.panel.id}/contact-me").status_code == 200
    # A required agreement has only "I agree", and says how to step back instead.
    page = client.get(agreement_url(cast, agreement)).get_data(as_text=True)
    assert "I do not agree" not in page and "stop being a member" in page

    answer(client, cast, agreement)
    assert client.get(f"/panels/{cast.panel.id}/drafts").status_code == 200

    # A new version asks again at the next sign-in.
    agreement = service.get_agreement(cast.panel.id, agreement.id)
    assert agreement is not None
    service.update_agreement(
        agreement,
        service.AgreementDetails(
            title="Role agreement",
            kind=AgreementKind.ROLE,
            required=True,
            summary="New summary.",
            body="New text.",
        ),
    )
    service.publish(agreement)
    db.session.commit()
    again = current_app.test_client()
    sign_in(again, cast.people["member"])
    assert "/agreements/to-answer" in again.get("/").headers["Location"]


def test_staff_record_consent_given_on_paper_with_a_witness(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    agreement = published_agreement(cast, kind=AgreementKind.RECORDING, title="Filming")
    researcher = client_as("researcher")
    url = agreement_url(cast, agreement, "/record")
    member_id = str(cast.people["member"].id)
    bad = submit_form(
        researcher,
        url,
        {
            "user_id": member_id,
            "decision": "agreed",
            "given_how": "paper",
            "witness": "",
            "given_on": "31 2 2026",
            "given_at": "25pm",
        },
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "Enter who witnessed it" in html and "31 2 2026" in html
    assert "Enter a real date" in html and "Enter a time such as 2pm" in html
    done = submit_form(
        researcher,
        url,
        {
            "user_id": member_id,
            "decision": "agreed",
            "given_how": "spoken",
            "witness": "Peer worker",
            "given_on": "2 3 2026",
            "given_at": "2:30pm",
        },
        follow_redirects=True,
    )
    ledger = done.get_data(as_text=True)
    assert "Consent recorded." in ledger and "Spoken aloud" in ledger and "Peer worker" in ledger
    [entry] = _records(agreement.id)
    assert entry.recorded_by_id == cast.people["researcher"].id
    assert entry.decided_at.isoformat() == "2026-03-02T14:30:00+00:00"  # UK winter time
    pdf = researcher.get(agreement_url(cast, agreement, f"/records/{entry.id}.pdf"))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_another_panels_agreement_is_not_found(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    theirs = published_agreement(cast, panel_id=cast.other_panel.id, title="Their agreement")
    member = client_as("member")
    assert member.get(f"/panels/{cast.panel.id}/agreements/{theirs.id}").status_code == 404
    assert member.get(f"/panels/{cast.other_panel.id}/agreements/{theirs.id}").status_code == 404
    researcher = client_as("researcher")
    assert (
        researcher.get(f"/panels/{cast.panel.id}/agreements/{theirs.id}/records").status_code == 404
    )


def test_the_inbox_shows_quote_consent_and_refuses_quoting_someone_who_has_not_agreed(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    from portal.feedback.models import FeedbackEntry
    from tests.integration.feedback_helpers import post_comment, published_draft

    draft = published_draft(cast)
    member = client_as("member")
    post_comment(member, cast, draft, "Interpreters should be booked early.")
    entry = db.session.scalars(select(FeedbackEntry)).one()
    researcher = client_as("researcher")
    inbox = researcher.get(f"/panels/{cast.panel.id}/inbox").get_data(as_text=True)
    assert "Not to be quoted" in inbox
    url = f"/panels/{cast.panel.id}/inbox/{entry.id}"
    refused = submit_form(
        researcher, url, {"status": "actioned", "quoted": "y", "response": "Thanks"}
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "has not agreed to be quoted" in html
    assert 'href="#quoted"' in html and "Thanks" in html  # the answer typed is kept
    db.session.expire_all()
    assert db.session.get(FeedbackEntry, entry.id).quoted_at is None  # type: ignore[union-attr]

    answer(member, cast, published_agreement(cast))
    assert "May be quoted" in researcher.get(f"/panels/{cast.panel.id}/inbox").get_data(
        as_text=True
    )
    saved = submit_form(
        researcher, url, {"status": "actioned", "quoted": "y", "response": "Thanks"}
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(FeedbackEntry, entry.id).quoted_at is not None  # type: ignore[union-attr]
    assert "Quoted in a report" in researcher.get(url).get_data(as_text=True)


def test_the_demo_study_has_agreements_and_two_members_who_may_be_quoted(app: object) -> None:
    from portal.accounts.models import User
    from portal.demo import load_demo

    load_demo()
    load_demo()  # a second run adds nothing
    db.session.expire_all()
    [panel_id] = {a.panel_id for a in db.session.scalars(select(AgreementRecord))}
    titles = [a.title for a in service.agreements_of(panel_id)]
    assert titles == ["Consent to be recorded or filmed", "Consent to quote what I say"]
    people = {u.email: u.id for u in db.session.scalars(select(User))}
    quotable = service.quote_consenting(panel_id, list(people.values()))
    assert quotable == {people["member2@demo.invalid"], people["member3@demo.invalid"]}


def test_two_step_set_up_comes_before_a_required_agreement_without_a_loop(
    app: object, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    from flask import current_app

    published_agreement(cast, kind=AgreementKind.ROLE, required=True, title="Role agreement")
    submit_form(
        client_as("admin"),
        "/administration/two-step-verification",
        {"require_two_step_for_staff": "y"},
    )
    client = current_app.test_client()
    sign_in(client, cast.people["researcher"])
    home = client.get("/")
    assert home.headers["Location"] == "/account/two-step-verification/set-up"
    assert client.get(home.headers["Location"]).status_code == 200
    assert client.get("/support").status_code == 200
