"""Questionnaires: objects and rules for the access matrix."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from portal.db import utcnow
from portal.extensions import db
from portal.questionnaires.models import QuestionType
from portal.questionnaires.service import (
    QuestionDetails,
    QuestionnaireDetails,
    create_questionnaire,
)

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
    # A forged answer page is refused with the "form expired" page, keeping nothing unsaved.
    for role in ("member", "chair"):
        world.forged_exceptions[("questionnaires.answer_page", role)] = {"status 400"}
