"""Translated summaries: objects and rules for the access matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.extensions import db
from portal.summaries import service
from portal.summaries.models import SubjectKind

if TYPE_CHECKING:
    from tests.world import World

RESEARCHERS = {"researcher"}
ARRANGERS = {"chair", "researcher"}

# Panel endpoint -> the panel roles ("member", "chair", "researcher") that may open it: the
# roles that may edit the draft, questionnaire or meeting itself.
ALLOWED: dict[str, set[str]] = {
    "summaries.edit_draft_summary": RESEARCHERS,
    "summaries.remove_draft_summary": RESEARCHERS,
    "summaries.confirm_draft_summary": RESEARCHERS,
    "summaries.edit_questionnaire_summary": ARRANGERS,
    "summaries.remove_questionnaire_summary": ARRANGERS,
    "summaries.confirm_questionnaire_summary": ARRANGERS,
    "summaries.edit_meeting_summary": ARRANGERS,
    "summaries.remove_meeting_summary": ARRANGERS,
    "summaries.confirm_meeting_summary": ARRANGERS,
}

# Fields a real form of this domain would send, for the forged-POST test.
FORM: dict[str, str] = {"text": "Forged summary"}


def add(world: World) -> None:
    """An Urdu summary of the world's draft, questionnaire and meeting."""
    panel_id = world.cast.panel.id
    researcher_id = world.cast.people["researcher"].id
    subjects = {
        SubjectKind.DRAFT: world.values["draft_id"],
        SubjectKind.QUESTIONNAIRE: world.values["questionnaire_id"],
        SubjectKind.MEETING: world.values["meeting_id"],
    }
    for kind, subject_id in subjects.items():
        subject = service.Subject(kind, subject_id, panel_id, f"World {kind.value}")
        service.save_summary(subject, "ur", f"World {kind.value} in Urdu", researcher_id, 0)
    db.session.commit()
    world.values["language"] = "ur"


def grow(world: World, count: int) -> None:
    """``count`` more out-of-date summaries, on meetings of the panel that have none yet (the
    study team's home page lists them)."""
    from sqlalchemy import select

    from portal.db import utcnow
    from portal.meetings.models import Meeting
    from portal.summaries.models import TranslatedSummary
    from tests.growth import Wording, insert_rows

    panel_id = world.cast.panel.id
    summarised = select(TranslatedSummary.meeting_id).where(
        TranslatedSummary.meeting_id.is_not(None)
    )
    meeting_ids = db.session.scalars(
        select(Meeting.id)
        .where(Meeting.panel_id == panel_id, Meeting.id.not_in(summarised))
        .order_by(Meeting.id)
        .limit(count)
    ).all()
    words = Wording("A summary of meeting NUMBER in *plain words*.")
    now = utcnow()
    insert_rows(
        TranslatedSummary,
        [
            {
                "panel_id": panel_id,
                "meeting_id": meeting_id,
                "language": "ur",
                "text": words.text(number),
                "text_html": words.html(number),
                "written_by_id": world.cast.people["researcher"].id,
                "written_at": now,
                "english_sha256": "0" * 64,
                "lock_version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for number, meeting_id in enumerate(meeting_ids)
        ],
    )
    db.session.commit()
