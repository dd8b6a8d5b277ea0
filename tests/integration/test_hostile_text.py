"""Odd and hostile text: control characters are dropped where text comes in, long text is
never cut, and people's words and names never become markup in labels."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.meetings.models import PollAnswer, PollSlot
from portal.questionnaires.service import QuestionnaireDetails, create_questionnaire
from tests.conftest import submit_form
from tests.hostile import CORPUS, injected_markup
from tests.integration.feedback_helpers import (
    last_comment,
    post_comment,
    published_draft,
    version_url,
)
from tests.integration.meeting_helpers import add_meeting, future_day, publish, typed
from tests.mail_server import MailServer
from tests.roles import Cast

Clients = Callable[[str], FlaskClient]


def open_poll(client: FlaskClient, panel_id: int) -> int:
    """A poll with three times, opened by the chair through the form; its id."""
    form = {"title": "Panel meeting 4", "description": "", "closes_on": typed(future_day(10))}
    for index in range(3):
        form |= {
            f"slots-{index}-day": typed(future_day(20 + index)),
            f"slots-{index}-start": "6pm",
            f"slots-{index}-end": "7:30pm",
        }
    response = submit_form(client, f"/panels/{panel_id}/polls/new", form)
    assert response.status_code == 302, response.get_data(as_text=True)
    found = re.search(r"/polls/(\d+)/results", response.headers["Location"])
    assert found
    return int(found.group(1))


def slot_ids(poll_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(PollSlot.id).where(PollSlot.poll_id == poll_id).order_by(PollSlot.starts_at)
        )
    )


def answer(
    client: FlaskClient, panel_id: int, poll_id: int, values: dict[int, str], notes: dict[int, str]
) -> Any:
    data = {f"slot-{slot}": value for slot, value in values.items()}
    data |= {f"note-{slot}": note for slot, note in notes.items()}
    return submit_form(client, f"/panels/{panel_id}/polls/{poll_id}", data)


PAYLOAD = '<img src=x onerror="alert(1)">'


def test_a_nul_and_other_control_characters_are_dropped_from_a_comment(
    cast: Cast, client_as: Clients
) -> None:
    draft = published_draft(cast)
    body = "before\x00after\x07 and\ta tab,\r\na new line, \u200d and اردو 🙂"
    response = post_comment(client_as("member"), cast, draft, body, follow_redirects=True)
    assert response.status_code == 200
    assert "Your comment has been sent to the study team." in response.get_data(as_text=True)
    assert last_comment().body == "beforeafter and\ta tab,\r\na new line, \u200d and اردو 🙂"


def test_a_nul_in_a_poll_note_is_dropped_and_the_note_saved(cast: Cast, client_as: Clients) -> None:
    poll_id = open_poll(client_as("chair"), cast.panel.id)
    first, second, third = slot_ids(poll_id)
    response = answer(
        client_as("member"),
        cast.panel.id,
        poll_id,
        {first: "yes", second: "no", third: "yes"},
        {first: "before\x00after"},
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    notes = {row.slot_id: row.note for row in db.session.scalars(select(PollAnswer))}
    assert notes[first] == "beforeafter"


def test_a_nul_in_the_address_is_dropped_too(cast: Cast, client_as: Clients) -> None:
    response = client_as("admin").get("/admin/people?q=pers\x00on")
    assert response.status_code == 200


def test_a_long_poll_note_is_kept_and_explained_never_cut(cast: Cast, client_as: Clients) -> None:
    poll_id = open_poll(client_as("chair"), cast.panel.id)
    first, second, third = slot_ids(poll_id)
    member = client_as("member")
    long_note = "I can come if the lift is working. " * 15  # 525 characters
    response = answer(
        member,
        cast.panel.id,
        poll_id,
        {first: "yes", second: "no", third: "yes"},
        {first: long_note},
    )
    page = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Your note must be 500 characters or fewer" in page
    assert f'href="#note-{first}"' in page
    assert long_note.strip() in page, "the note is shown again as typed"
    assert 'data-maxlength="500"' in page, "the note box counts characters"
    assert db.session.scalars(select(PollAnswer)).all() == []

    exactly = "x" * 500
    answer(
        member, cast.panel.id, poll_id, {first: "yes", second: "no", third: "yes"}, {first: exactly}
    )
    notes = {row.slot_id: row.note for row in db.session.scalars(select(PollAnswer))}
    assert notes[first] == exactly


def test_every_limited_text_box_shows_a_count(cast: Cast, client_as: Clients) -> None:
    draft = published_draft(cast)
    page = (
        client_as("member").get(version_url(cast, draft) + "/comments/new").get_data(as_text=True)
    )
    box = re.search(r'data-module="nhsuk-character-count"[^>]*data-maxlength="(\d+)"', page)
    assert box and box.group(1) == "2000"
    assert "You can enter up to 2000 characters" in page, "the count is there without JavaScript"
    chair = client_as("chair").get(f"/panels/{cast.panel.id}/polls/new").get_data(as_text=True)
    assert 'data-maxlength="3000"' in chair, "the poll's description counts too"


def test_a_long_answer_to_choose_from_is_refused_not_cut(cast: Cast, client_as: Clients) -> None:
    questionnaire = create_questionnaire(
        cast.panel.id,
        QuestionnaireDetails(
            title="How did it go?",
            anonymous=False,
            opens_at=utcnow() + timedelta(days=1),
            closes_at=utcnow() + timedelta(days=7),
        ),
        cast.people["researcher"].id,
        (),
    )
    db.session.commit()
    options = "Short answer\n" + "A very long answer " * 11
    response = submit_form(
        client_as("chair"),
        f"/panels/{cast.panel.id}/questionnaires/{questionnaire.id}/questions/new",
        {"kind": "single_choice", "text": "Pick one", "options": options},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Each answer to choose from must be 200 characters or fewer" in html
    assert "A very long answer A very long answer" in html


def test_titles_and_names_in_the_comment_form_are_text_not_markup(
    cast: Cast, client_as: Clients
) -> None:
    draft = published_draft(cast, titles=(PAYLOAD, "Training on ethnicity"))
    member = cast.people["member"]
    member.display_name = f'"><svg onload=alert(2)>{PAYLOAD}'
    db.session.commit()
    page = (
        client_as("member").get(version_url(cast, draft) + "/comments/new").get_data(as_text=True)
    )
    assert "<img src=x" not in page and "<svg onload" not in page
    assert "Item: &lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    assert "My name (&#34;&gt;&lt;svg onload=alert(2)&gt;" in page


def test_emails_carry_people_s_words_as_text_never_as_markup(
    app: Flask, cast: Cast, client_as: Clients, smtp_server: MailServer
) -> None:
    chair = client_as("chair")
    meeting = add_meeting(chair, cast.panel.id, title="Panel meeting", venue=CORPUS[1])
    # Stored as if a form had ever let them by: the emails must still be safe.
    meeting.title = CORPUS[0]
    meeting.joining_link = CORPUS[3]
    cast.panel.name = CORPUS[2]
    cast.people["member"].display_name = CORPUS[4]
    cast.people["chair"].display_name = CORPUS[8]
    db.session.commit()
    publish(chair, meeting)
    invited = submit_form(
        chair,
        f"/panels/{cast.panel.id}/members/invite",
        {"email": "new@example.org", "role": "member"},
    )
    assert invited.status_code == 302
    member = cast.people["member"].email
    asked = submit_form(app.test_client(), "/sign-in/email-link", {"email": member})
    assert asked.status_code == 200
    assert app.test_cli_runner().invoke(args=["portal", "worker", "--once"]).exit_code == 0

    received = {mail.rcpt_tos[0]: mail for mail in smtp_server.received}
    assert {member, "new@example.org"} <= set(received)
    for mail in smtp_server.received:
        html = mail.message.get_body(preferencelist=("html",))
        assert html is not None
        assert injected_markup(html.get_content()) == [], f"markup in {mail.subject}"
    invitation = received["new@example.org"].message.get_body(preferencelist=("html",))
    assert invitation is not None and "&lt;svg onload" in invitation.get_content()
