"""Agenda, papers, packs, minutes and actions: objects and rules for the access matrix."""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING

from flask import current_app

from portal.db import utcnow
from portal.extensions import db
from portal.meetings import agenda, minutes, papers
from portal.meetings.agenda import AgendaItemDetails
from portal.meetings.models import ActionStatus, Meeting
from portal.meetings.papers import Upload
from tests.papers_data import PDF_BYTES, make_meeting

if TYPE_CHECKING:
    from tests.world import World

EVERYONE = {"member", "chair", "researcher"}
TEAM = {"chair", "researcher"}

# Panel endpoint -> the panel roles ("member", "chair", "researcher") that may open it.
ALLOWED: dict[str, set[str]] = {
    "meetings.edit_agenda": TEAM,
    "meetings.new_agenda_item": TEAM,
    "meetings.edit_agenda_item": TEAM,
    "meetings.move_agenda_item": TEAM,
    "meetings.remove_agenda_item": TEAM,
    "meetings.new_paper": TEAM,
    "meetings.edit_paper": TEAM,
    "meetings.remove_paper": TEAM,
    "meetings.download_paper": EVERYONE,
    "meetings.download_paper_version": TEAM,
    "meetings.show_pack": EVERYONE,
    "meetings.publish_pack": {"chair"},
    "meetings.record_attendance": {"chair"},
    "meetings.show_minutes": EVERYONE,
    "meetings.write_minutes": TEAM,
    "meetings.show_minutes_revision": TEAM,
    "meetings.agree_minutes": TEAM,
    "meetings.share_minutes": TEAM,
    "meetings.comment_on_minutes": {"member"},
    "meetings.list_actions": EVERYONE,
    "meetings.new_action": TEAM,
    "meetings.edit_action": TEAM,
}

# Fields a real form of this domain would send, for the forged-POST test.
FORM: dict[str, str] = {
    "minutes": "15",
    "lead": "Forged lead",
    "summary": "Forged summary",
    "source": "draft",
    "based_on": "0",
    "description": "Forged action",
    "owner": "Forged owner",
}


def add(world: World) -> None:
    """Add this domain's objects to ``world.values`` (URL arguments) and any exceptions."""
    if not current_app.config.get("PAPERS_FOLDER"):
        # Never write test files into the instance folder.
        current_app.config["PAPERS_FOLDER"] = tempfile.mkdtemp(prefix="portal-test-papers-")
    panel = world.cast.panel
    chair = world.cast.people["chair"]
    # Share the meetings domain's meeting when it made one, so <meeting_id> means one thing.
    meeting = None
    if "meeting_id" in world.values:
        meeting = db.session.get(Meeting, world.values["meeting_id"])
    if meeting is None:
        meeting = make_meeting(panel, title="World meeting")
    item = agenda.add_agenda_item(meeting, AgendaItemDetails(title="World agenda item"))
    paper = papers.add_paper(
        meeting, "World paper", item.id, chair.id, upload=Upload("world.pdf", PDF_BYTES)
    )
    meeting.pack_published_at = utcnow()
    revision = minutes.save_minutes(meeting, "World minutes", 0, chair.id, share=True)
    action = minutes.add_action(
        meeting,
        minutes.ActionDetails("World action", "The chair", None, ActionStatus.OPEN),
    )
    db.session.commit()
    world.values.update(
        meeting_id=meeting.id,
        agenda_item_id=item.id,
        paper_id=paper.id,
        file_version=1,
        minutes_revision=revision.number,
        meeting_action_id=action.id,
    )
