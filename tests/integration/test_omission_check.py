"""The omission check: a member answers item by item, says what is missing, saves and comes
back, checks their answers, sends them, and can change them until the deadline. Everything they
say reaches the study team's inbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.db import utcnow
from portal.drafts.models import Draft, DraftVersion
from portal.drafts.service import ItemDetails, add_item, publish
from portal.extensions import db
from portal.feedback.models import EntryKind, FeedbackEntry
from portal.rounds.models import ItemAnswer, MissingAction, OmissionCheck, Resonance, ReviewRound
from tests.conftest import submit_form
from tests.harmless_html import XSS_PAYLOADS, assert_harmless
from tests.integration.round_helpers import (
    items_of,
    open_round,
    published_draft,
    resume_link,
    round_url,
)
from tests.outbox import last_mail_to
from tests.roles import Cast


@pytest.fixture
def setting(cast: Cast) -> tuple[Draft, DraftVersion, ReviewRound]:
    draft, version = published_draft(
        cast, content_note="Some actions talk about racism and being detained."
    )
    return draft, version, open_round(cast, draft, version)


def entries() -> list[FeedbackEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(FeedbackEntry).order_by(FeedbackEntry.id)))


def test_a_member_completes_the_check_and_everything_reaches_the_inbox(
    cast: Cast, client_as: Callable[[str], FlaskClient], setting: tuple
) -> None:
    draft, version, review_round = setting
    first, second = items_of(version)
    client = client_as("member")

    start = client.get(round_url(cast, draft, review_round, "/check")).get_data(as_text=True)
    assert "Before you start" in start and "being detained" in start
    assert "You do not need to say why." in start
    assert "Skip to: is anything important missing?" in start
    assert "<strong>matters</strong>" in start

    item_url = round_url(cast, draft, review_round, f"/check/items/{first.id}")
    page = client.get(item_url).get_data(as_text=True)
    assert "Does this match your lived experience?" in page
    for label in ("Yes, strongly", "Yes, partly", "No", "Not sure"):
        assert label in page
    response = submit_form(client, item_url, {"resonance": "strongly", "comment": "So true"})
    assert response.location.endswith(f"/check/items/{second.id}")
    response = submit_form(client, response.location, {"resonance": "not_sure"})
    assert response.location.endswith("/check/missing")

    missing_url = round_url(cast, draft, review_round, "/check/missing")
    response = submit_form(
        client,
        missing_url,
        {
            "actions-0-description": "Interpreters at every appointment",
            "actions-0-why_it_matters": "My mum could not follow",
        },
    )
    assert response.location.endswith("/check/rewording")
    response = submit_form(client, response.location, {"text": "Say 'detained' plainly"})
    response = submit_form(client, response.location, {"text": "Thank you for asking"})
    assert response.location.endswith("/check/answers")

    answers = client.get(response.location).get_data(as_text=True)
    for text in ("Yes, strongly", "So true", "Not sure", "Interpreters at every appointment"):
        assert text in answers
    assert "My mum could not follow" in answers and "Thank you for asking" in answers
    assert f"/check/items/{first.id}?change=1" in answers
    assert entries() == []  # nothing reaches the team before it is sent

    response = submit_form(client, response.location, {}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Answers sent" in html
    # The email is queued for the worker, not sent yet: the page does not claim it has gone.
    assert "We will email you to say we have your answers." in html
    assert "We have sent you an email" not in html
    mail = last_mail_to(cast.people["member"].email)
    assert "We have your answers" in mail.subject and "/check/answers" in mail.text_body

    kinds = {entry.kind: entry for entry in entries()}
    assert set(kinds) == {
        EntryKind.ITEM_ANSWER,
        EntryKind.MISSING_ACTION,
        EntryKind.REWORDING,
        EntryKind.GENERAL,
    }
    assert kinds[EntryKind.ITEM_ANSWER].text == "So true"
    assert kinds[EntryKind.ITEM_ANSWER].item_title == first.title
    assert "My mum could not follow" in kinds[EntryKind.MISSING_ACTION].text
    assert all(entry.round_id == review_round.id for entry in kinds.values())

    home = client.get("/").get_data(as_text=True)
    assert "Sent" in home


def test_answers_can_be_changed_until_the_deadline_and_the_inbox_follows(
    cast: Cast, client_as: Callable[[str], FlaskClient], setting: tuple
) -> None:
    draft, version, review_round = setting
    first, _second = items_of(version)
    client = client_as("member")
    submit_form(client, round_url(cast, draft, review_round, "/check/general"), {"text": "One"})
    submit_form(client, round_url(cast, draft, review_round, "/check/answers"), {})
    assert [entry.text for entry in entries()] == ["One"]

    change_url = round_url(cast, draft, review_round, f"/check/items/{first.id}?change=1")
    response = submit_form(client, change_url, {"resonance": "no", "comment": "Not for me"})
    assert response.location.endswith("/check/answers")
    response = submit_form(
        client, round_url(cast, draft, review_round, "/check/general?change=1"), {"text": ""}
    )
    texts = {entry.text: entry.withdrawn for entry in entries()}
    assert texts == {"One": True, "Not for me": False}
    page = client.get(round_url(cast, draft, review_round, "/check/answers"))
    assert "Send my changes" in page.get_data(as_text=True)


def test_save_and_come_back_later_resumes_where_the_member_left_off(
    cast: Cast, client_as: Callable[[str], FlaskClient], setting: tuple
) -> None:
    draft, version, review_round = setting
    first, second = items_of(version)
    client = client_as("member")
    response = submit_form(
        client,
        round_url(cast, draft, review_round, f"/check/items/{first.id}"),
        {"resonance": "partly", "later": "1"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Your answers are saved." in html and "Started" in html

    start = client.get(round_url(cast, draft, review_round, "/check")).get_data(as_text=True)
    assert "Continue where you left off" in start
    assert f"/check/items/{first.id}" in resume_link(start)
    again = client.get(round_url(cast, draft, review_round, f"/check/items/{first.id}"))
    assert 'value="partly" checked' in again.get_data(as_text=True)


def test_missing_actions_are_added_and_removed_without_javascript(
    cast: Cast, client_as: Callable[[str], FlaskClient], setting: tuple
) -> None:
    draft, _version, review_round = setting
    client = client_as("member")
    url = round_url(cast, draft, review_round, "/check/missing")
    response = submit_form(
        client, url, {"actions-0-description": "Peer support for carers", "add": "1"}
    )
    assert "add=1" in response.location and "#actions-1-description" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "Missing action 2" in page and "Peer support for carers" in page
    submit_form(
        client,
        response.location,
        {
            "actions-0-description": "Peer support for carers",
            "actions-1-description": "Longer appointments",
            "add": "1",
        },
    )
    rows = list(db.session.scalars(select(MissingAction).order_by(MissingAction.position)))
    assert [row.description for row in rows] == ["Peer support for carers", "Longer appointments"]

    response = submit_form(
        client,
        url,
        {
            "actions-0-description": "Peer support for carers",
            "actions-1-description": "Longer appointments",
            "remove": "0",
        },
        follow_redirects=True,
    )
    assert "Missing action removed." in response.get_data(as_text=True)
    db.session.expire_all()
    rows = list(db.session.scalars(select(MissingAction)))
    assert [row.description for row in rows] == ["Longer appointments"]

    response = submit_form(
        client, url, {"actions-0-description": "", "actions-0-why_it_matters": "Because"}
    )
    html = response.get_data(as_text=True)
    assert "Say what is missing, or remove this missing action" in html
    assert 'href="#actions-0-description"' in html and "Because" in html


def test_a_comment_over_the_limit_is_refused_and_kept(
    cast: Cast, client_as: Callable[[str], FlaskClient], setting: tuple
) -> None:
    draft, version, review_round = setting
    first, _second = items_of(version)
    long_comment = "word " * 500
    response = submit_form(
        client_as("member"),
        round_url(cast, draft, review_round, f"/check/items/{first.id}"),
        {"resonance": "no", "comment": long_comment},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This must be 2000 characters or less" in html and 'href="#comment"' in html
    assert long_comment.strip() in html
    assert db.session.scalars(select(ItemAnswer)).first() is None


def test_after_the_deadline_nothing_is_stored_and_the_typed_text_is_kept(
    cast: Cast, client_as: Callable[[str], FlaskClient], setting: tuple
) -> None:
    draft, version, review_round = setting
    first, _second = items_of(version)
    client = client_as("member")
    pages = {
        f"/check/items/{first.id}": {"resonance": "no", "comment": "Typed before the deadline"},
        "/check/missing": {"actions-0-description": "Typed before the deadline"},
        "/check/rewording": {"text": "Typed before the deadline"},
        "/check/answers": {},
    }
    opened = {path: client.get(round_url(cast, draft, review_round, path)) for path in pages}
    review_round.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    from tests.conftest import csrf_token_from, hidden_inputs

    for path, data in pages.items():
        html = opened[path].get_data(as_text=True)
        payload = {**hidden_inputs(html), "csrf_token": csrf_token_from(html), **data}
        response = client.post(round_url(cast, draft, review_round, path), data=payload)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert "The review round has closed" in page, path
        if data:
            assert "Typed before the deadline" in page, path
    assert db.session.scalars(select(OmissionCheck)).first() is None
    assert entries() == []
    later = client.get(round_url(cast, draft, review_round, "/check/rewording"))
    assert later.status_code == 302 and later.location.endswith("/check")


def test_a_crafted_post_for_an_item_of_another_version_is_refused(
    cast: Cast, client_as: Callable[[str], FlaskClient], setting: tuple
) -> None:
    draft, version, review_round = setting
    first, _second = items_of(version)
    researcher = cast.people["researcher"]
    db.session.expire_all()
    draft = db.session.get(Draft, draft.id)
    add_item(draft, ItemDetails(title="Added in version 2"), draft.lock_version)
    version_two = publish(draft, researcher.id, draft.lock_version)
    db.session.commit()
    newer = [item for item in items_of(version_two) if item.title == "Added in version 2"][0]

    client = client_as("member")
    page = client.get(round_url(cast, draft, review_round, f"/check/items/{first.id}"))
    from tests.conftest import csrf_token_from

    token = csrf_token_from(page.get_data(as_text=True))
    response = client.post(
        round_url(cast, draft, review_round, f"/check/items/{newer.id}"),
        data={"csrf_token": token, "resonance": "strongly", "comment": "Crafted"},
    )
    assert response.status_code == 404
    assert db.session.scalars(select(ItemAnswer)).first() is None


def test_another_panels_round_is_not_found(
    cast: Cast, client_as: Callable[[str], FlaskClient], setting: tuple
) -> None:
    draft, _version, review_round = setting
    outsider = client_as("other_panel_member")
    for path in ("/check", "/check/missing", "/check/answers", "/check/sent"):
        assert outsider.get(round_url(cast, draft, review_round, path)).status_code == 404
    other = f"/panels/{cast.other_panel.id}/drafts/{draft.id}/rounds/{review_round.id}/check"
    assert outsider.get(other).status_code == 404


def test_html_and_script_in_every_field_are_rendered_harmless(
    cast: Cast, client_as: Callable[[str], FlaskClient], setting: tuple
) -> None:
    draft, version, review_round = setting
    first, _second = items_of(version)
    client = client_as("member")
    for payload in XSS_PAYLOADS:
        for path, data in (
            (f"/check/items/{first.id}", {"resonance": "no", "comment": payload}),
            (
                "/check/missing",
                {"actions-0-description": payload, "actions-0-why_it_matters": payload},
            ),
            ("/check/rewording", {"text": payload}),
            ("/check/general", {"text": payload}),
        ):
            url = round_url(cast, draft, review_round, path)
            assert submit_form(client, url, data).status_code == 302
            shown = client.get(url).get_data(as_text=True)
            assert_harmless(shown, payload)
        answers = client.get(round_url(cast, draft, review_round, "/check/answers"))
        assert_harmless(answers.get_data(as_text=True), payload)
        submit_form(client, round_url(cast, draft, review_round, "/check/answers"), {})
    check = db.session.scalars(select(OmissionCheck)).one()
    assert check.general_comment == XSS_PAYLOADS[-1]  # stored as typed, escaped when shown
    answer = db.session.scalars(select(ItemAnswer)).one()
    assert answer.resonance is Resonance.NO


def test_researchers_and_other_roles_cannot_answer(
    cast: Cast, client_as: Callable[[str], FlaskClient], setting: tuple
) -> None:
    draft, _version, review_round = setting
    assert (
        client_as("researcher").get(round_url(cast, draft, review_round, "/check")).status_code
        == 403
    )
    assert client_as("chair").get(round_url(cast, draft, review_round, "/check")).status_code == 200


def test_check_pages_make_the_same_number_of_queries_however_many_items(
    cast: Cast, client_as: Callable[[str], FlaskClient], count_queries: Callable[[], Any]
) -> None:
    client = client_as("member")
    counts = []
    for size in (2, 20):
        draft, version = published_draft(cast, tuple(f"Action {n}" for n in range(size)))
        review_round = open_round(cast, draft, version)
        items = items_of(version)
        for item in items:
            submit_form(
                client,
                round_url(cast, draft, review_round, f"/check/items/{item.id}"),
                {"resonance": "partly", "comment": f"About {item.title}"},
            )
        pages = ("/check", f"/check/items/{items[-1].id}", "/check/answers")
        client.get(round_url(cast, draft, review_round, pages[0]))
        with count_queries() as log:
            for path in pages:
                assert client.get(round_url(cast, draft, review_round, path)).status_code == 200
        counts.append(log.count)
        assert log.queries == 33  # exactly: the check's first page, an item and the answers
    assert counts[0] == counts[1]


def test_the_demo_round_is_ready_for_the_demo_members(app: Any) -> None:
    from tests.factories import sign_in

    assert app.test_cli_runner().invoke(args=["portal", "demo"]).exit_code == 0
    from portal.accounts.models import User

    member = db.session.scalars(select(User).where(User.email == "member1@demo.invalid")).one()
    client = app.test_client()
    sign_in(client, member, password="demo panel password 2026")
    home = client.get("/").get_data(as_text=True)
    assert "Check: East London: priority actions" in home and "Not started" in home
    review_round = db.session.scalars(select(ReviewRound)).one()
    draft_id = db.session.scalar(
        select(DraftVersion.draft_id).where(DraftVersion.id == review_round.version_id)
    )
    start = client.get(
        f"/panels/{review_round.panel_id}/drafts/{draft_id}/rounds/{review_round.id}/check"
    ).get_data(as_text=True)
    assert "Before you start" in start and "being detained" in start


def test_the_content_note_is_shown_once_before_the_draft_and_the_check(
    cast: Cast, client_as: Callable[[str], FlaskClient], setting: tuple
) -> None:
    draft, _version, review_round = setting
    client = client_as("member")
    for url in (
        f"/panels/{cast.panel.id}/drafts/{draft.id}/versions/1",
        round_url(cast, draft, review_round, "/check"),
    ):
        html = client.get(url).get_data(as_text=True)
        assert html.count("being detained") == 1, url
        assert html.count("Before you start") == 1, url


def test_the_draft_page_leads_members_to_an_open_round_and_not_after_it_closes(
    cast: Cast, client_as: Callable[[str], FlaskClient], setting: tuple
) -> None:
    draft, version, review_round = setting
    version_url = f"/panels/{cast.panel.id}/drafts/{draft.id}/versions/{version.number}"
    check_url = round_url(cast, draft, review_round, "/check")
    page = client_as("member").get(version_url).get_data(as_text=True)
    assert "Check this draft against your experience" in page and check_url in page
    # The study team does not answer omission checks, so is not offered one.
    assert check_url not in client_as("researcher").get(version_url).get_data(as_text=True)
    review_round.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert check_url not in client_as("member").get(version_url).get_data(as_text=True)
