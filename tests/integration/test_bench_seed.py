"""The bench seeding still works against today's models (run small, and not timed)."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select

from bench.seed import seed
from portal.extensions import db
from portal.feedback.models import Comment, FeedbackEntry
from portal.panels.models import Membership
from portal.questionnaires.models import Answer, Completion
from portal.rounds.models import ItemAnswer, OmissionCheck
from portal.text import render_preview, render_user_text
from tests.conftest import submit_form


def test_the_bench_seed_makes_a_round_and_an_inbox_people_can_open(client: FlaskClient) -> None:
    seeded = seed(comments=25, members=4, items=3, password="bench password bench password")

    def count(column: object) -> int:
        return db.session.scalar(select(func.count(column))) or 0  # type: ignore[arg-type]

    assert count(Membership.id) == 5
    assert count(OmissionCheck.id) == 3  # every member but the first has answered
    assert count(ItemAnswer.id) == 9
    assert count(Comment.id) == 25
    assert count(FeedbackEntry.id) == 25 + 3
    assert seeded.first_item_id > 0
    # Comments are seeded in bulk: their stored HTML must be what the portal itself renders.
    for comment in db.session.scalars(select(Comment)):
        assert comment.body_html == render_user_text(comment.body)
    for entry in db.session.scalars(select(FeedbackEntry)):
        assert entry.text_html == render_user_text(entry.text)
        assert entry.preview_html == render_preview(entry.text)

    signed_in = submit_form(
        client,
        "/sign-in",
        {"email": seeded.researcher_email, "password": "bench password bench password"},
    )
    assert signed_in.status_code == 302
    results = client.get(
        f"/panels/{seeded.panel_id}/drafts/{seeded.draft_id}/rounds/{seeded.round_id}/results"
    ).get_data(as_text=True)
    assert "Sent their answers" in results and "Action 3:" in results
    meeting = client.get(f"/panels/{seeded.panel_id}/meetings/{seeded.meeting_id}")
    assert meeting.status_code == 200 and "Agenda item 3" in meeting.get_data(as_text=True)
    answers = client.get(
        f"/panels/{seeded.panel_id}/questionnaires/{seeded.questionnaire_id}/results"
    ).get_data(as_text=True)
    assert "How did the workshop go?" in answers and "More time for" in answers
    assert "Bench panel" in client.get("/").get_data(as_text=True)  # the team's home page
    # The draft, round, pack and questionnaire are made through the ORM: their words show as HTML.
    panel = f"/panels/{seeded.panel_id}"
    version = client.get(f"{panel}/drafts/{seeded.draft_id}/versions/1").get_data(as_text=True)
    assert "What <strong>we heard</strong> in the focus groups." in version
    assert "What people said about <em>" in version
    builder = client.get(f"{panel}/questionnaires/{seeded.questionnaire_id}").get_data(as_text=True)
    assert "It takes about <strong>five minutes</strong>." in builder
    pack = client.get(f"{panel}/meetings/{seeded.meeting_id}/pack").get_data(as_text=True)
    assert '<p dir="auto">You said the list was too long. We shortened it.</p>' in pack


def test_the_bench_seed_gives_a_member_feedback_and_a_questionnaire_they_answered(
    client: FlaskClient,
) -> None:
    seeded = seed(comments=6, members=3, items=2, password="bench password bench password")
    assert count_rows(Completion.id) == 3 and count_rows(Answer.submission_id) == 15

    signed_in = submit_form(
        client,
        "/sign-in",
        {"email": seeded.member_email, "password": "bench password bench password"},
    )
    assert signed_in.status_code == 302
    mine = client.get(f"/panels/{seeded.panel_id}/my-feedback").get_data(as_text=True)
    assert "this <strong>matters</strong> to our community" in mine
    assert "Bench panel" in client.get("/").get_data(as_text=True)


def count_rows(column: object) -> int:
    return db.session.scalar(select(func.count(column))) or 0  # type: ignore[arg-type]
