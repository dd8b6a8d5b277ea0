"""Stored safe HTML never shows words that were changed or taken back.

Members' words are rendered to HTML once, when saved, and kept beside the text. These tests
walk every page that shows a comment, as each person who can see it, after the member changes
it and after they withdraw it; and every page that shows a meeting's venue, its accessibility
information and a member's access note, after they are changed, erased or forgotten.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.meetings.models import Meeting, Rsvp
from portal.rights import retention
from tests.conftest import submit_form
from tests.factories import add_to_panel, make_user, sign_in
from tests.integration.feedback_helpers import (
    entry_for,
    last_comment,
    post_comment,
    published_draft,
    version_url,
)
from tests.integration.meeting_helpers import add_meeting, future_day, meeting_form, publish
from tests.roles import Cast


def pages_showing_the_comment(cast: Cast, draft_url: str, entry_id: int) -> dict[str, list[str]]:
    """Who looks where: each role with the pages that would show the comment to them."""
    panel = f"/panels/{cast.panel.id}"
    return {
        "member": [draft_url, f"{panel}/my-feedback", "/"],
        "chair": [draft_url],
        "researcher": [draft_url, f"{panel}/inbox", f"{panel}/inbox/{entry_id}"],
    }


def test_an_edited_comment_shows_its_new_words_everywhere_and_never_the_old(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    member = client_as("member")
    post_comment(member, cast, draft, "My **first** thoughts", visibility="panel")
    comment = last_comment()
    assert "<strong>first</strong>" in str(comment.body_html)
    changed = submit_form(
        member,
        f"/panels/{cast.panel.id}/comments/{comment.id}/edit",
        {"body": "My *second* thoughts", "visibility": "panel", "shown_as": "name"},
    )
    assert changed.status_code == 302

    pages = pages_showing_the_comment(cast, version_url(cast, draft), entry_for(comment).id)
    for role, urls in pages.items():
        client = client_as(role)
        for url in urls:
            html = client.get(url).get_data(as_text=True)
            assert "first" not in html, (role, url)
            if url != "/":
                assert "My <em>second</em> thoughts" in html, (role, url)


def test_a_withdrawn_comments_words_show_to_nobody(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    draft = published_draft(cast)
    member = client_as("member")
    post_comment(member, cast, draft, "Words I **regret**", visibility="panel")
    comment = last_comment()
    withdrawn = submit_form(member, f"/panels/{cast.panel.id}/comments/{comment.id}/withdraw", {})
    assert withdrawn.status_code == 302

    pages = pages_showing_the_comment(cast, version_url(cast, draft), entry_for(comment).id)
    for role, urls in pages.items():
        client = client_as(role)
        for url in urls:
            answer = client.get(url)
            assert answer.status_code == 200, (role, url)
            assert "regret" not in answer.get_data(as_text=True), (role, url)


def _meeting_url(cast: Cast, meeting: Meeting) -> str:
    return f"/panels/{cast.panel.id}/meetings/{meeting.id}"


def _published_meeting(cast: Cast, chair: FlaskClient) -> tuple[Meeting, str]:
    """A meeting the chair has made and published, and its page's address."""
    meeting = add_meeting(chair, cast.panel.id)
    publish(chair, meeting)
    return meeting, _meeting_url(cast, meeting)


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_an_edited_meetings_venue_and_accessibility_information_show_the_new_words_never_the_old(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    chair = client_as("chair")
    day = future_day()
    meeting = add_meeting(
        chair,
        cast.panel.id,
        day=day,
        venue="The **Old Town Hall**",
        access_info="A **ramp** by the side door",
    )
    publish(chair, meeting)
    assert str(meeting.venue_html) == '<p dir="auto">The <strong>Old Town Hall</strong></p>'
    url = _meeting_url(cast, meeting)
    assert "<strong>ramp</strong> by the side door" in _page(client_as("member"), url)

    changed = submit_form(
        chair,
        url + "/edit",
        meeting_form(
            day=day, venue="The *Riverside Library*", access_info="A *lift* to every floor"
        ),
    )
    assert changed.status_code == 302
    for role in ("member", "chair", "researcher"):
        html = _page(client_as(role), url)
        assert "The <em>Riverside Library</em>" in html, role
        assert "A <em>lift</em> to every floor" in html, role
        assert "Old Town Hall" not in html and "side door" not in html, role


def test_a_changed_meeting_access_note_shows_its_new_words_and_never_the_old(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    chair = client_as("chair")
    meeting, url = _published_meeting(cast, chair)
    member = client_as("member")
    reply = {"answer": "attending", "access_note": "A **sign language interpreter**"}
    assert submit_form(member, url + "/reply", reply).status_code == 302
    assert "<strong>sign language interpreter</strong>" in _page(chair, url + "/replies")

    reply = {"answer": "attending", "access_note": "A *space for my wheelchair*"}
    assert submit_form(member, url + "/reply", reply).status_code == 302
    pages = {"member": [url], "chair": [url + "/replies"], "researcher": [url + "/replies"]}
    for role, urls in pages.items():
        for page_url in urls:
            html = _page(client_as(role), page_url)
            assert "A <em>space for my wheelchair</em>" in html, (role, page_url)
            assert "interpreter" not in html, (role, page_url)

    # Taking the note away leaves nothing of it behind.
    reply = {"answer": "attending", "access_note": ""}
    assert submit_form(member, url + "/reply", reply).status_code == 302
    for role, urls in pages.items():
        for page_url in urls:
            assert "wheelchair" not in _page(client_as(role), page_url), (role, page_url)


def test_an_erased_members_meeting_access_note_shows_to_nobody(
    app: Flask, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    person = make_user(name="A member to be erased")
    add_to_panel(cast.panel, person)
    client = app.test_client()
    sign_in(client, person)
    chair = client_as("chair")
    meeting, url = _published_meeting(cast, chair)
    reply = {"answer": "attending", "access_note": "I bring my **assistance dog**"}
    assert submit_form(client, url + "/reply", reply).status_code == 302
    assert "<strong>assistance dog</strong>" in _page(chair, url + "/replies")

    erased = submit_form(client_as("admin"), f"/admin/people/{person.id}/erase", {"words": "keep"})
    assert erased.status_code == 302

    for role in ("chair", "researcher"):
        for page_url in (url, url + "/replies"):
            assert "assistance dog" not in _page(client_as(role), page_url), (role, page_url)
    db.session.expire_all()
    note = db.session.scalars(select(Rsvp).where(Rsvp.user_id == person.id)).one()
    assert (note.access_note, str(note.access_note_html)) == ("", "")


def test_meeting_access_notes_forgotten_when_their_time_is_up_show_to_nobody(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    chair = client_as("chair")
    meeting, url = _published_meeting(cast, chair)
    member = client_as("member")
    reply = {"answer": "attending", "access_note": "I need the papers in **large print**"}
    assert submit_form(member, url + "/reply", reply).status_code == 302

    retention.forget_involvement_administration(cast.panel.id)
    db.session.commit()

    pages = {"member": [url], "chair": [url + "/replies"], "researcher": [url + "/replies"]}
    for role, urls in pages.items():
        for page_url in urls:
            assert "large print" not in _page(client_as(role), page_url), (role, page_url)
    db.session.expire_all()
    note = db.session.scalars(select(Rsvp).where(Rsvp.meeting_id == meeting.id)).one()
    assert (note.access_note, str(note.access_note_html)) == ("", "")
