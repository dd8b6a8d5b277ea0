"""Questionnaires: objects and rules for the access matrix."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select

from portal.db import utcnow
from portal.extensions import db
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
    QuestionnaireDetails,
    create_questionnaire,
)
from tests.growth import Wording, insert_rows, people_for, token

if TYPE_CHECKING:
    from tests.world import World

EVERYONE = {"member", "chair", "researcher"}
BUILDERS = {"chair", "researcher"}
ANSWERERS = {"member", "chair"}

# Panel endpoint -> the panel roles ("member", "chair", "researcher") that may open it.
ALLOWED: dict[str, set[str]] = {
    "questionnaires.list_questionnaires": EVERYONE,
    "questionnaires.show_questionnaire": EVERYONE,
    "questionnaires.new_questionnaire": BUILDERS,
    "questionnaires.edit_questionnaire": BUILDERS,
    "questionnaires.new_question": BUILDERS,
    "questionnaires.edit_question": BUILDERS,
    "questionnaires.move_question": BUILDERS,
    "questionnaires.remove_question": BUILDERS,
    "questionnaires.preview_questionnaire": BUILDERS,
    "questionnaires.copy_questionnaire": BUILDERS,
    "questionnaires.answer_page": ANSWERERS,
    "questionnaires.answers_saved": ANSWERERS,
    "questionnaires.check_answers": ANSWERERS,
    "questionnaires.answers_sent": ANSWERERS,
    "questionnaires.questionnaire_results": BUILDERS,
    "questionnaires.export_answers": BUILDERS,
}

# Fields a real form of this domain would send, for the forged-POST test.
FORM: dict[str, str] = {
    "start_from": "meeting_feedback",
    "kind": "short_text",
    "text": "Forged question",
    "anonymous": "named",
    "audience": "panel",
    "action": "later",
}


def add(world: World) -> None:
    """Add this domain's objects to ``world.values`` (URL arguments) and any exceptions."""
    researcher = world.cast.people["researcher"]
    questionnaire = create_questionnaire(
        world.cast.panel.id,
        QuestionnaireDetails(
            title="World questionnaire",
            opens_at=utcnow() - timedelta(days=1),
            closes_at=utcnow() + timedelta(days=7),
        ),
        researcher.id,
        (
            QuestionDetails(QuestionType.AGREE_SCALE, "World scale question", required=True),
            QuestionDetails(QuestionType.LONG_TEXT, "World text question"),
        ),
    )
    question_id = questionnaire.questions[0].id
    world.values["questionnaire_id"] = questionnaire.id
    world.values["question_id"] = question_id
    db.session.commit()
    world.values["kind"] = "answers.csv"
    # The member has sent their answers, so the page that thanks them has someone to show.
    member_id = world.cast.people["member"].id
    submission = Submission(
        id=token(),
        questionnaire_id=questionnaire.id,
        user_id=member_id,
        submitted_on=utcnow().date(),
        is_final=True,
    )
    submission.answers = [Answer(question_id=question_id, choices=["4"])]
    db.session.add(submission)
    db.session.add(
        Completion(
            id=token(),
            questionnaire_id=questionnaire.id,
            user_id=member_id,
            completed_on=utcnow().date(),
        )
    )
    db.session.commit()
    # A forged answer page is refused with the "form expired" page, keeping nothing unsaved.
    for role in ("member", "chair"):
        world.forged_exceptions[("questionnaires.answer_page", role)] = {"status 400"}


ANSWER = Wording("More time for *questions* (NUMBER), please.")
KINDS = (
    (QuestionType.YES_NO_NOT_SURE, []),
    (QuestionType.SHORT_TEXT, []),
    (QuestionType.SINGLE_CHOICE, ["Online", "In person", "By phone"]),
    (QuestionType.MULTIPLE_CHOICE, ["Captions", "Breaks", "Papers early"]),
)


def grow(world: World, count: int) -> None:
    """``count`` more questionnaires in the panel and questions in the world questionnaire, and
    as many more members' sent answers to its two first questions (with who has answered)."""
    panel_id = world.cast.panel.id
    questionnaire_id = world.values["questionnaire_id"]
    researcher_id = world.cast.people["researcher"].id
    now = utcnow()
    start = db.session.scalar(select(func.count(Questionnaire.id))) or 0
    insert_rows(
        Questionnaire,
        [
            {
                "panel_id": panel_id,
                "title": f"Grown questionnaire {number}",
                "anonymous": number % 2 == 0,
                "opens_at": now - timedelta(days=number % 30),
                "closes_at": now + timedelta(days=number % 30 - 10),
                "created_by_id": researcher_id,
            }
            for number in range(start + 1, start + 1 + count)
        ],
    )
    last = db.session.scalar(
        select(func.max(Question.position)).where(Question.questionnaire_id == questionnaire_id)
    )
    insert_rows(
        Question,
        [
            {
                "questionnaire_id": questionnaire_id,
                "position": position,
                "kind": KINDS[position % len(KINDS)][0],
                "text": f"Grown question {position}",
                "options": KINDS[position % len(KINDS)][1],
            }
            for position in range((last or 0) + 1, (last or 0) + 1 + count)
        ],
    )
    scale, text = db.session.scalars(
        select(Question.id)
        .where(Question.questionnaire_id == questionnaire_id)
        .order_by(Question.position)
        .limit(2)
    ).all()
    people = people_for(world, "questionnaires", count)
    submissions = [token() for _ in people]
    today = now.date()
    insert_rows(
        Submission,
        [
            {
                "id": submission_id,
                "questionnaire_id": questionnaire_id,
                "user_id": user_id,
                "submitted_on": today,
                "is_final": True,
            }
            for submission_id, user_id in zip(submissions, people, strict=True)
        ],
    )
    insert_rows(
        Completion,
        [
            {
                "id": token(),
                "questionnaire_id": questionnaire_id,
                "user_id": user_id,
                "completed_on": today,
            }
            for user_id in people
        ],
    )
    db.session.execute(
        insert(Answer),
        [
            row
            for number, submission_id in enumerate(submissions)
            for row in (
                {
                    "submission_id": submission_id,
                    "question_id": scale,
                    "text": "",
                    "text_html": "",
                    "choices": [str(1 + number % 5)],
                },
                {
                    "submission_id": submission_id,
                    "question_id": text,
                    "text": ANSWER.text(number),
                    "text_html": ANSWER.html(number),
                    "choices": [],
                },
            )
        ],
    )
    db.session.commit()
