"""Questionnaires: building, answering (named and anonymous), results, reminders and exports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.panels.models import Role
from portal.questionnaires.models import (
    Answer,
    Completion,
    Question,
    Questionnaire,
    QuestionType,
    Submission,
)
from portal.questionnaires.service import (
    QuestionDetails,
)
from tests.conftest import csrf_token_from, hidden_inputs, submit_form
from tests.factories import add_to_panel, make_user, sign_in
from tests.integration.questionnaire_helpers import RANKING_OPTIONS, base, make_questionnaire
from tests.outbox import mail_to
from tests.roles import Cast


def question_ids(questionnaire_id: int) -> dict[str, int]:
    return {
        q.text: q.id
        for q in db.session.scalars(
            select(Question).where(Question.questionnaire_id == questionnaire_id)
        )
    }


def answer_everything(
    client: FlaskClient, cast: Cast, questionnaire_id: int, scale: str = "4", text: str = ""
) -> None:
    ids = question_ids(questionnaire_id)
    url = base(cast, questionnaire_id)
    first = submit_form(
        client,
        f"{url}/answer/1",
        {
            f"q-{ids['I felt listened to']}": scale,
            f"q-{ids['Could you hear everyone?']}": "yes",
            f"q-{ids['What should we change?']}": text,
        },
    )
    assert first.status_code == 302, first.get_data(as_text=True)
    second = submit_form(
        client,
        f"{url}/answer/2",
        {
            f"q-{ids['Choose your top 3']}-rank-1": "Training",
            f"q-{ids['Choose your top 3']}-rank-2": "Peer support",
            f"q-{ids['Choose your top 3']}-rank-3": "Outreach",
        },
    )
    assert second.headers["Location"].endswith("/check")
    sent = submit_form(client, f"{url}/check", {})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/sent")


def new_member(cast: Cast, name: str | None = None) -> tuple[User, FlaskClient, Flask]:
    from flask import current_app

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    user = make_user(name=name)
    add_to_panel(cast.panel, user, Role.MEMBER)
    client = app.test_client()
    sign_in(client, user)
    return user, client, app


def row_counts() -> tuple[int, int, int]:
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count()).select_from(Submission)) or 0,
        db.session.scalar(select(func.count()).select_from(Answer)) or 0,
        db.session.scalar(select(func.count()).select_from(Completion)) or 0,
    )


# --- building -------------------------------------------------------------------------------


def test_researcher_builds_from_the_meeting_feedback_template_and_edits_it(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    client = client_as("researcher")
    url = f"/panels/{cast.panel.id}/questionnaires"
    created = submit_form(client, f"{url}/new", {"start_from": "meeting_feedback"})
    assert created.status_code == 302
    questionnaire = db.session.scalars(select(Questionnaire)).one()
    texts = list(question_ids(questionnaire.id))
    assert "I felt listened to" in texts
    assert "I felt able to speak freely about experiences of discrimination and racism" in texts
    assert questionnaire.anonymous

    details = submit_form(
        client,
        f"{url}/{questionnaire.id}/edit",
        {
            "title": "Feedback on the June meeting",
            "anonymous": "anonymous",
            "audience": "panel",
            "meeting_id": "",
            "opens_on": "2030-06-01",
            "opens_time": "09:00",
            "closes_on": "2030-06-14",
            "closes_time": "17:00",
        },
    )
    assert details.status_code == 302
    added = submit_form(
        client,
        f"{url}/{questionnaire.id}/questions/new",
        {
            "kind": "ranking",
            "text": "Choose and order your top 2",
            "options": "Venue\nTiming\nFood",
            "top_n": "2",
        },
    )
    assert added.status_code == 302
    ids = question_ids(questionnaire.id)
    ranking_id = ids["Choose and order your top 2"]
    moved = client.post(
        f"{url}/{questionnaire.id}/questions/{ranking_id}/move",
        data={
            "direction": "up",
            "csrf_token": csrf_token_from(client.get(f"{url}/{questionnaire.id}").text),
        },
    )
    assert moved.status_code == 302
    db.session.expire_all()
    order = list(
        db.session.scalars(
            select(Question.text)
            .where(Question.questionnaire_id == questionnaire.id)
            .order_by(Question.position)
        )
    )
    assert order[-2] == "Choose and order your top 2"

    builder = client.get(f"{url}/{questionnaire.id}").text
    assert "Feedback on the June meeting" in builder and "Move up" in builder
    preview = client.get(f"{url}/{questionnaire.id}/preview/1").text
    assert "This is a preview" in preview and "About the meeting" in preview


def test_question_form_explains_what_is_wrong(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast, opens_in=timedelta(days=1))
    response = submit_form(
        client_as("chair"),
        f"{base(cast, questionnaire)}/questions/new",
        {"kind": "ranking", "text": "Pick", "options": "Only one", "top_n": ""},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter at least 2 answers to choose from" in html


def test_questions_are_fixed_once_answered_but_can_be_copied(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast, anonymous=True)
    answer_everything(client_as("member"), cast, questionnaire.id)
    researcher = client_as("researcher")
    url = base(cast, questionnaire)
    ids = question_ids(questionnaire.id)
    before = sorted(ids.items())

    refused = submit_form(
        researcher,
        f"{url}/questions/{ids['I felt listened to']}/edit",
        {"kind": "short_text", "text": "Changed", "required": ""},
        follow_redirects=True,
    )
    assert "cannot change now" in refused.get_data(as_text=True)
    switched = submit_form(
        researcher,
        f"{url}/edit",
        {"anonymous": "named", "title": "How did it go?", "audience": "panel", "meeting_id": ""},
    )
    assert "cannot change between named and anonymous" in switched.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Questionnaire, questionnaire.id).anonymous  # type: ignore[union-attr]
    assert sorted(question_ids(questionnaire.id).items()) == before
    assert "Add a question" not in researcher.get(url).get_data(as_text=True)

    page = researcher.get(url).get_data(as_text=True)
    copied = researcher.post(f"{url}/copy", data={"csrf_token": csrf_token_from(page)})
    assert copied.status_code == 302
    copy = db.session.scalars(
        select(Questionnaire).where(Questionnaire.copied_from_id == questionnaire.id)
    ).one()
    assert copy.opens_at is None
    assert sorted(question_ids(copy.id)) == sorted(ids)
    assert "Add a question" in researcher.get(base(cast, copy)).get_data(as_text=True)


# --- answering ------------------------------------------------------------------------------


def test_named_answers_are_saved_for_later_sent_confirmed_and_changed_until_closing(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast)
    member = client_as("member")
    url = base(cast, questionnaire)
    ids = question_ids(questionnaire.id)
    later = submit_form(
        member,
        f"{url}/answer/1",
        {f"q-{ids['I felt listened to']}": "5", "action": "later"},
    )
    assert later.headers["Location"].endswith("/saved")
    # Coming back later, in another browser, the answer is still there.
    again = member.application.test_client()
    sign_in(again, cast.people["member"])
    assert 'value="5" checked' in again.get(f"{url}/answer/1").get_data(as_text=True)

    answer_everything(again, cast, questionnaire.id, scale="2", text="More breaks")
    sent_page = again.get(f"{url}/sent").get_data(as_text=True)
    assert "Your answers have been sent" in sent_page and "Change your answers" in sent_page
    assert "We will email you to say we got them." in sent_page
    email = mail_to(cast.people["member"].email)[-1]
    assert "We got your answers" in email.text_body

    changed = submit_form(
        again,
        f"{url}/answer/1?from=check",
        {
            f"q-{ids['I felt listened to']}": "4",
            f"q-{ids['What should we change?']}": "More breaks",
        },
    )
    assert changed.headers["Location"].endswith("/check")
    db.session.expire_all()
    answer = db.session.get(
        Answer, (_only_submission(questionnaire.id).id, ids["I felt listened to"])
    )
    assert answer is not None and answer.choices == ["4"]
    listed = again.get(f"/panels/{cast.panel.id}/questionnaires").get_data(as_text=True)
    assert "How did it go?" in listed and "You have answered" in listed
    assert again.get(url).headers["Location"].endswith("/check")
    check = again.get(f"{url}/check").get_data(as_text=True)
    assert "You can change your answers until" in check and "More breaks" in check


def _only_submission(questionnaire_id: int) -> Submission:
    db.session.expire_all()
    return db.session.scalars(
        select(Submission).where(Submission.questionnaire_id == questionnaire_id)
    ).one()


def test_skipping_optional_questions_needs_no_reason(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast)
    member = client_as("member")
    ids = question_ids(questionnaire.id)
    page = member.get(f"{base(cast, questionnaire)}/answer/1").get_data(as_text=True)
    assert "(optional)" in page and "You do not need to say why" in page
    submit_form(
        member, f"{base(cast, questionnaire)}/answer/1", {f"q-{ids['I felt listened to']}": "3"}
    )
    assert submit_form(member, f"{base(cast, questionnaire)}/answer/2", {}).status_code == 302
    sent = submit_form(member, f"{base(cast, questionnaire)}/check", {})
    assert sent.headers["Location"].endswith("/sent")


def test_a_missing_required_answer_keeps_the_other_answers_and_stores_nothing(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast)
    ids = question_ids(questionnaire.id)
    response = submit_form(
        client_as("member"),
        f"{base(cast, questionnaire)}/answer/1",
        {f"q-{ids['What should we change?']}": "Shorter meetings please"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert f'href="#q-{ids["I felt listened to"]}"' in html
    assert "Shorter meetings please" in html
    assert row_counts() == (0, 0, 0)


def test_a_ranking_with_the_same_item_twice_is_refused(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast)
    rank = question_ids(questionnaire.id)["Choose your top 3"]
    response = submit_form(
        client_as("member"),
        f"{base(cast, questionnaire)}/answer/2",
        {f"q-{rank}-rank-1": "Training", f"q-{rank}-rank-2": "Training"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "You chose Training more than once" in html
    assert row_counts() == (0, 0, 0)


def test_a_crafted_answer_to_another_questionnaires_question_is_refused(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast)
    other = make_questionnaire(cast, title="Another one")
    mine = question_ids(questionnaire.id)
    theirs = question_ids(other.id)
    response = submit_form(
        client_as("member"),
        f"{base(cast, questionnaire)}/answer/1",
        {
            f"q-{mine['I felt listened to']}": "4",
            f"q-{theirs['I felt listened to']}": "1",
        },
    )
    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)
    assert row_counts() == (0, 0, 0)


def test_answers_after_closing_are_refused_and_nothing_is_stored(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast, anonymous=True)
    member = client_as("member")
    ids = question_ids(questionnaire.id)
    page = member.get(f"{base(cast, questionnaire)}/answer/1").get_data(as_text=True)
    questionnaire.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = member.post(
        f"{base(cast, questionnaire)}/answer/1",
        data={**hidden_inputs(page), f"q-{ids['I felt listened to']}": "4"},
    )
    assert response.status_code == 409
    assert "This questionnaire has closed" in response.get_data(as_text=True)
    sent = member.post(f"{base(cast, questionnaire)}/check", data=hidden_inputs(page))
    assert sent.status_code == 409
    assert row_counts() == (0, 0, 0)


def test_questionnaires_not_open_or_for_other_people_are_not_shown(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    later = make_questionnaire(cast, opens_in=timedelta(days=2))
    member = client_as("member")
    assert member.get(f"{base(cast, later)}/answer/1").status_code == 404
    assert "How did it go?" not in member.get("/").get_data(as_text=True)


# --- anonymous ------------------------------------------------------------------------------


def test_anonymous_answers_in_progress_stay_out_of_the_database(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast, anonymous=True)
    member = client_as("member")
    ids = question_ids(questionnaire.id)
    submit_form(
        member,
        f"{base(cast, questionnaire)}/answer/1",
        {f"q-{ids['I felt listened to']}": "2", "action": "later"},
    )
    assert row_counts() == (0, 0, 0)
    page = member.get(f"{base(cast, questionnaire)}/answer/1").get_data(as_text=True)
    assert 'value="2" checked' in page


def test_nothing_in_the_database_links_an_anonymous_answer_to_its_author(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast, anonymous=True)
    secret = "Only Ayesha would write this sentence"
    answer_everything(client_as("member"), cast, questionnaire.id, text=secret)
    first_ids = set(db.session.scalars(select(Submission.id)))
    _, second, _ = new_member(cast, "Second member")
    answer_everything(second, cast, questionnaire.id, text="Something else")
    author = cast.people["member"]
    # Every new answer rewrites them all, shuffled and under new ids, so the order in which
    # the database stores them says nothing about who answered when.
    db.session.expire_all()
    assert not first_ids & set(db.session.scalars(select(Submission.id)))

    submissions = list(db.session.scalars(select(Submission)))
    assert len(submissions) == 2
    for submission in submissions:
        assert submission.user_id is None
        assert len(submission.id) == 32 and int(submission.id, 16) >= 0  # random, not a counter
    mine = db.session.scalars(select(Answer.submission_id).where(Answer.text == secret)).one()

    # Read every row of every table as plain values: the submission id appears only in the
    # submission and its answers, and none of those rows holds anything about the author.
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()).mappings():
            values = {str(value) for value in row.values() if value is not None}
            if mine in values:
                assert table.name in ("submission", "answer"), table.name
                assert author.email not in values and author.display_name not in values
                assert row.get("user_id") is None
            if secret in " ".join(values):
                assert table.name == "answer", f"the answer's words are also in {table.name}"
    # The submission keeps the day only, and its columns allow nothing finer or personal.
    columns = {column.name for column in db.metadata.tables["submission"].columns}
    assert columns == {"id", "questionnaire_id", "user_id", "submitted_on", "is_final"}
    assert str(db.metadata.tables["submission"].c.submitted_on.type) == "DATE"
    assert {c.name for c in db.metadata.tables["answer"].columns} == {
        "submission_id",
        "question_id",
        "text",
        "text_html",  # the same words as safe HTML, for the results page
        "choices",
    }
    # Who answered is known, separately, with nothing about what they said.
    completion = db.session.scalars(select(Completion).where(Completion.user_id == author.id)).one()
    assert str(db.metadata.tables["completion"].c.completed_on.type) == "DATE"
    assert completion.id not in {s.id for s in submissions}


def test_an_anonymous_person_cannot_answer_twice(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast, anonymous=True)
    member = client_as("member")
    answer_everything(member, cast, questionnaire.id)
    again = member.get(f"{base(cast, questionnaire)}/answer/1").get_data(as_text=True)
    assert "You have already answered" in again
    assert row_counts()[0] == 1


def test_few_anonymous_answers_hide_free_text_and_breakdowns_until_closing(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast, anonymous=True)
    answer_everything(client_as("member"), cast, questionnaire.id, text="A private thought")
    answer_everything(client_as("chair"), cast, questionnaire.id, text="Another thought")
    researcher = client_as("researcher")
    results = researcher.get(f"{base(cast, questionnaire)}/results").get_data(as_text=True)
    assert "2 people have sent answers" in results
    assert "the answers show when it closes" in results
    assert "A private thought" not in results and "Strongly agree" not in results
    held = researcher.get(f"{base(cast, questionnaire)}/export/answers.csv")
    assert held.status_code == 409
    assert "cannot be downloaded yet" in held.get_data(as_text=True)

    questionnaire.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    closed = researcher.get(f"{base(cast, questionnaire)}/results").get_data(as_text=True)
    assert "A private thought" in closed and "Strongly agree" in closed
    export = researcher.get(f"{base(cast, questionnaire)}/export/answers.csv")
    assert export.status_code == 200 and "A private thought" in export.text


# --- results ------------------------------------------------------------------------------


def test_results_show_counts_percentages_medians_and_ranking_scores(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast)
    answer_everything(client_as("member"), cast, questionnaire.id, scale="5", text="Loud room")
    answer_everything(client_as("chair"), cast, questionnaire.id, scale="4")
    _, third, _ = new_member(cast)
    answer_everything(third, cast, questionnaire.id, scale="2")
    html = (
        client_as("researcher").get(f"{base(cast, questionnaire)}/results").get_data(as_text=True)
    )
    assert "3 people have sent answers" in html
    assert '<svg class="portal-chart" role="img"' in html
    assert "33%" in html and "100%" in html
    assert "Median (middle answer):</strong> Agree" in html
    assert "Loud room" in html
    # Training was first for all three: 3 × 3 points.
    assert ">Training</td>" in html and ">9</td>" in html
    raw = client_as("researcher").get(f"{base(cast, questionnaire)}/results?raw=1").text
    assert "Put in place 1" in raw


def test_ranking_scores_use_reverse_position_and_show_ties() -> None:
    from portal.questionnaires.results import rank

    question = Question(options=["A", "B", "C", "D"], top_n=2, kind=QuestionType.RANKING)
    items = rank(question, [["A", "B"], ["B", "A"], ["C"]])
    scores = {item.label: (item.score, item.place, item.tied) for item in items}
    assert scores["A"] == (3, 1, True)
    assert scores["B"] == (3, 1, True)
    assert scores["C"] == (2, 3, False)
    assert scores["D"] == (0, 4, False)
    assert next(i for i in items if i.label == "A").by_place == [1, 1]


def test_the_scale_median_of_counted_answers_is_the_middle_person() -> None:
    from portal.questionnaires.results import scale_median

    # 1, 2, 2, 5: halfway between "Disagree" and "Disagree" is "Disagree".
    assert scale_median([(5, 1), (1, 1), (2, 2)]) == "Disagree"
    # 2, 4: halfway is the point between them.
    assert scale_median([(2, 1), (4, 1)]) == "Neither agree nor disagree"
    # 3, 4: halfway falls between two points, and both are named.
    assert scale_median([(3, 1), (4, 1)]) == "Neither agree nor disagree – Agree"
    assert scale_median([(4, 3)]) == "Agree"


def _send_directly(questionnaire: Questionnaire, answers: list[dict[str, Any]]) -> None:
    """Sent submissions written straight to the database, one per entry of ``answers`` (question
    id to its text or choices), in the order of their ids."""
    for number, values in enumerate(answers):
        submission = Submission(
            id=f"{questionnaire.id:08x}{number:024x}",
            questionnaire_id=questionnaire.id,
            is_final=True,
        )
        db.session.add(submission)
        for question_id, value in values.items():
            field_values = {"text": value} if isinstance(value, str) else {"choices": value}
            db.session.add(
                Answer(submission_id=submission.id, question_id=question_id, **field_values)
            )
    db.session.commit()


def test_written_answers_come_twenty_at_a_time_with_each_list_keeping_its_page(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(
        cast,
        questions=(
            QuestionDetails(QuestionType.LONG_TEXT, "What went well?"),
            QuestionDetails(QuestionType.SHORT_TEXT, "One word for it"),
            QuestionDetails(QuestionType.AGREE_SCALE, "I felt listened to"),
        ),
    )
    ids = question_ids(questionnaire.id)
    well, word, scale = ids["What went well?"], ids["One word for it"], ids["I felt listened to"]
    _send_directly(
        questionnaire,
        [
            # The last answer leaves the long question empty: it counts as an answer, not words.
            {
                well: "" if n == 24 else f"Went well {n:02d}",
                word: f"Word {n:02d}",
                scale: [str(n % 5 + 1)],
            }
            for n in range(25)
        ]
        + [{word: f"Word {n:02d}"} for n in range(25, 45)],
    )
    researcher = client_as("researcher")
    url = f"{base(cast, questionnaire)}/results"

    first = researcher.get(url).text
    assert "25 people answered this question." in first  # the long question
    assert first.count("Went well ") == 20
    assert "Showing 1 to 20 of 24" in first and "Showing 1 to 20 of 45" in first
    assert f"text-{well}=2#result-{well}" in first

    second = researcher.get(f"{url}?text-{well}=2&text-{word}=3").text
    shown = {f"Went well {n:02d}" for n in range(24) if f"Went well {n:02d}" in second}
    earlier = {f"Went well {n:02d}" for n in range(24) if f"Went well {n:02d}" in first}
    assert len(shown) == 4 and not shown & earlier  # the other four, none seen twice
    assert "Showing 21 to 24 of 24" in second and "Showing 41 to 45 of 45" in second
    # Going back on one list keeps the other where it is.
    assert (
        f"text-{well}=1&amp;text-{word}=3" in second or f"text-{word}=3&amp;text-{well}=1" in second
    )
    # A page past the end shows the last; a page that is not a number shows the first.
    assert "Showing 41 to 45 of 45" in researcher.get(f"{url}?text-{word}=99").text
    assert "Showing 1 to 20 of 45" in researcher.get(f"{url}?text-{word}=two").text
    # The scale counted in the database: 25 answers, 5 of each point, so the middle is 3.
    assert "Median (middle answer):</strong> Neither agree nor disagree" in first
    assert first.count(">5</td>") == 5 and first.count(">20%</td>") == 5


def test_results_for_200_answers_to_20_questions_take_as_many_queries_as_for_2(
    cast: Cast, client_as: Callable[[str], FlaskClient], count_queries: Callable[[], Any]
) -> None:
    kinds = (
        [QuestionDetails(QuestionType.AGREE_SCALE, f"Scale {n}") for n in range(8)]
        + [
            QuestionDetails(QuestionType.MULTIPLE_CHOICE, f"Many {n}", options=("x", "y", "z"))
            for n in range(4)
        ]
        + [QuestionDetails(QuestionType.LONG_TEXT, f"Text {n}") for n in range(4)]
        + [
            QuestionDetails(QuestionType.RANKING, f"Rank {n}", options=RANKING_OPTIONS, top_n=3)
            for n in range(4)
        ]
    )
    client = client_as("researcher")

    def measure(answers: int) -> int:
        questionnaire = make_questionnaire(cast, questions=tuple(kinds), title=f"{answers}")
        questions = list(
            db.session.scalars(
                select(Question).where(Question.questionnaire_id == questionnaire.id)
            )
        )
        for number in range(answers):
            submission = Submission(
                id=f"{number:032x}", questionnaire_id=questionnaire.id, is_final=True
            )
            db.session.add(submission)
            for question in questions:
                value: dict[str, Any] = (
                    {"text": f"text {number}"}
                    if question.kind is QuestionType.LONG_TEXT
                    else {"choices": list(RANKING_OPTIONS[:3])}
                    if question.kind is QuestionType.RANKING
                    else {"choices": ["x"]}
                    if question.kind is QuestionType.MULTIPLE_CHOICE
                    else {"choices": [str(1 + number % 5)]}
                )
                db.session.add(
                    Answer(submission_id=submission.id, question_id=question.id, **value)
                )
        db.session.commit()
        client.get(f"{base(cast, questionnaire)}/results")  # warm up
        with count_queries() as log:
            response = client.get(f"{base(cast, questionnaire)}/results")
        assert response.status_code == 200
        return log.count

    few = measure(2)
    db.session.execute(Answer.__table__.delete())
    db.session.execute(Submission.__table__.delete())
    db.session.commit()
    assert measure(200) == few


# --- reminders and meeting feedback ---------------------------------------------------------


def test_reminders_go_once_and_only_to_people_who_have_not_answered(
    app: Flask, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    from portal.questionnaires.jobs import run_due

    questionnaire = make_questionnaire(cast, closes_in=timedelta(days=1))
    answer_everything(client_as("member"), cast, questionnaire.id)
    queued = run_due(app)
    again = run_due(app)
    assert queued == 1 and again == 0
    reminders = [m for m in mail_to(cast.people["chair"].email) if "Reminder" in m.subject]
    assert len(reminders) == 1
    assert f"/questionnaires/{questionnaire.id}/answer/1" in reminders[0].text_body
    assert not [m for m in mail_to(cast.people["member"].email) if "Reminder" in m.subject]
    assert not mail_to(cast.people["researcher"].email)


def test_meeting_feedback_is_offered_to_attenders_after_the_meeting(
    app: Flask, cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    from portal.meetings.models import Attendance, Meeting
    from portal.questionnaires.jobs import run_due
    from portal.questionnaires.models import Audience

    meeting = Meeting(
        panel_id=cast.panel.id,
        title="June panel meeting",
        starts_at=utcnow() + timedelta(hours=1),
        ends_at=utcnow() + timedelta(hours=2),
        calendar_uid="june-meeting@test",
    )
    db.session.add(meeting)
    db.session.flush()
    db.session.add(Attendance(meeting_id=meeting.id, user_id=cast.people["member"].id))
    db.session.commit()
    questionnaire = make_questionnaire(
        cast,
        anonymous=True,
        audience=Audience.MEETING_ATTENDEES,
        meeting_id=meeting.id,
        title="June meeting feedback",
    )
    member, chair = client_as("member"), client_as("chair")
    assert "June meeting feedback" not in member.get("/").get_data(as_text=True)
    assert run_due(app) == 0

    meeting.starts_at = utcnow() - timedelta(hours=3)
    meeting.ends_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert "June meeting feedback" in member.get("/").get_data(as_text=True)
    assert "June meeting feedback" not in chair.get("/").get_data(as_text=True)
    assert chair.get(f"{base(cast, questionnaire)}/answer/1").status_code == 404
    assert run_due(app) == 1 and run_due(app) == 0
    offer = mail_to(cast.people["member"].email)[-1]
    assert "June panel meeting" in offer.text_body
    assert not mail_to(cast.people["chair"].email)

    answer_everything(member, cast, questionnaire.id)
    assert "June meeting feedback" not in member.get("/").get_data(as_text=True)


# --- exports --------------------------------------------------------------------------------


def test_named_export_uses_pseudonym_codes_and_has_a_data_dictionary(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    import io

    from openpyxl import load_workbook

    questionnaire = make_questionnaire(cast)
    answer_everything(client_as("member"), cast, questionnaire.id, text='=HYPERLINK("x")')
    researcher = client_as("researcher")
    csv_text = researcher.get(f"{base(cast, questionnaire)}/export/answers.csv").text
    member = cast.people["member"]
    assert "LEAP-01" in csv_text
    assert member.email not in csv_text and member.display_name not in csv_text
    assert "'=HYPERLINK" in csv_text and ",=HYPERLINK" not in csv_text
    assert "Training,Peer support,Outreach" in csv_text
    assert csv_text.splitlines()[0].startswith("pseudonym_code,submitted_on,may_quote,")
    assert csv_text.splitlines()[1].split(",")[2] == "no"  # not agreed to be quoted
    dictionary = researcher.get(f"{base(cast, questionnaire)}/export/dictionary.csv").text
    assert "pseudonym_code" in dictionary and "Strongly disagree" in dictionary

    xlsx = researcher.get(f"{base(cast, questionnaire)}/export/answers.xlsx")
    workbook = load_workbook(io.BytesIO(xlsx.data))
    assert workbook.sheetnames == ["Answers", "Data dictionary"]
    rows = list(workbook["Answers"].iter_rows(values_only=True))
    assert rows[1][0] == "LEAP-01"
    assert all(cell is None or not str(cell).startswith("=") for row in rows for cell in row)


def test_anonymous_export_holds_nothing_identifying(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast, anonymous=True)
    answer_everything(client_as("member"), cast, questionnaire.id)
    answer_everything(client_as("chair"), cast, questionnaire.id)
    _, third, _ = new_member(cast)
    answer_everything(third, cast, questionnaire.id)
    csv_text = client_as("researcher").get(f"{base(cast, questionnaire)}/export/answers.csv").text
    header = csv_text.splitlines()[0]
    assert header.startswith("answer,") and "pseudonym" not in header
    assert "submitted_on" not in header
    assert "LEAP-" not in csv_text
    for person in (cast.people["member"], cast.people["chair"]):
        assert person.email not in csv_text and person.display_name not in csv_text
    assert utcnow().date().isoformat() not in csv_text


@pytest.mark.parametrize("kind", ["answers.pdf", "..%2Fanswers.csv"])
def test_unknown_export_kinds_are_not_found(
    cast: Cast, client_as: Callable[[str], FlaskClient], kind: str
) -> None:
    questionnaire = make_questionnaire(cast)
    assert (
        client_as("researcher").get(f"{base(cast, questionnaire)}/export/{kind}").status_code == 404
    )


def test_anonymous_answers_too_long_for_the_device_are_refused_with_a_message(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    import secrets

    questionnaire = make_questionnaire(
        cast,
        anonymous=True,
        questions=tuple(
            QuestionDetails(QuestionType.LONG_TEXT, f"Question {n}") for n in range(1, 5)
        ),
    )
    member = client_as("member")
    ids = question_ids(questionnaire.id)
    for number in (1, 2, 3):
        response = submit_form(
            member,
            f"{base(cast, questionnaire)}/answer/{number}",
            {f"q-{ids[f'Question {number}']}": secrets.token_urlsafe(1400)},
        )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "too long to keep on this device" in html
    assert row_counts() == (0, 0, 0)


def test_the_list_and_home_pages_make_the_same_number_of_queries_however_many_questionnaires(
    cast: Cast, client_as: Callable[[str], FlaskClient], count_queries: Callable[[], Any]
) -> None:
    make_questionnaire(cast, title="The first")
    clients = {role: client_as(role) for role in ("researcher", "member")}
    urls = [f"/panels/{cast.panel.id}/questionnaires", "/"]

    def counts() -> list[int]:
        found = []
        for client in clients.values():
            for url in urls:
                client.get(url)
                with count_queries() as log:
                    assert client.get(url).status_code == 200
                found.append(log.count)
        return found

    few = counts()
    for number in range(15):
        make_questionnaire(cast, anonymous=bool(number % 2), title=f"Questionnaire {number}")
    many = counts()
    assert many == few
    assert "Questionnaire 14" in clients["member"].get(urls[0]).get_data(as_text=True)


def test_two_people_changing_the_details_at_once_the_second_sees_a_conflict_and_keeps_their_text(
    cast: Cast, client_as: Callable[[str], FlaskClient]
) -> None:
    questionnaire = make_questionnaire(cast, title="How did it go?")
    url = f"/panels/{cast.panel.id}/questionnaires/{questionnaire.id}/edit"
    chair, researcher = client_as("chair"), client_as("researcher")
    chair_page = chair.get(url).get_data(as_text=True)
    researcher_page = researcher.get(url).get_data(as_text=True)
    fields = {
        "anonymous": "named",
        "audience": "panel",
        "meeting_id": "",
        "opens_on": "2030-06-01",
        "opens_time": "09:00",
        "closes_on": "2030-06-14",
        "closes_time": "17:00",
    }
    first = chair.post(
        url, data={**hidden_inputs(chair_page), **fields, "title": "The chair's title"}
    )
    assert first.status_code == 302
    mine = {**fields, "title": "The researcher's title", "introduction": "Ten minutes at most."}
    second = researcher.post(url, data={**hidden_inputs(researcher_page), **mine})
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Someone else saved these details while you were changing them" in html
    assert "The chair&#39;s title" in html
    assert (
        'value="The researcher&#39;s title"' in html and "Ten minutes at most.</textarea>" in html
    )
    db.session.expire_all()
    assert db.session.get(Questionnaire, questionnaire.id).title == "The chair's title"  # type: ignore[union-attr]

    again = researcher.post(url, data={**hidden_inputs(html), **mine})
    assert again.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Questionnaire, questionnaire.id)
    assert saved is not None and saved.title == "The researcher's title"
