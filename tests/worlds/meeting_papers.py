"""Agenda, papers, packs, minutes and actions: objects and rules for the access matrix."""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import func, select

from portal.db import utcnow
from portal.drafts.models import Draft
from portal.extensions import db
from portal.feedback.models import EntryKind, FeedbackEntry
from portal.meetings import agenda, minutes, papers
from portal.meetings.agenda import AgendaItemDetails
from portal.meetings.models import (
    ActionStatus,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingAction,
    MinutesRevision,
    Paper,
    PaperFile,
)
from portal.meetings.papers import Upload
from tests.growth import Wording, insert_rows, people_for, token
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
    # Moving an agenda item and sharing minutes are buttons: a forged press is a 400.
    for role in ("chair", "researcher"):
        world.forged_exceptions[("meetings.move_agenda_item", role)] = {"status 400"}
        world.forged_exceptions[("meetings.share_minutes", role)] = {"status 400"}


AGENDA_ITEM = Wording("What we will talk about in part NUMBER, and *why*.")
MINUTES_COMMENT = Wording("About point NUMBER of the minutes: **please** add what I said.")
MINUTES = Wording("Minutes, version NUMBER: we *agreed* the plan.")
ACTION = Wording("Grown action NUMBER: send the **notes** round")


def grow(world: World, count: int) -> None:
    """``count`` more agenda items, papers (each with a file), minutes revisions and actions on
    the world meeting, as many more members' attendance, and the member's comments on the
    minutes."""
    meeting_id = world.values["meeting_id"]
    chair_id = world.cast.people["chair"].id
    last_position = db.session.scalar(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting_id)
    )
    positions = range((last_position or 0) + 1, (last_position or 0) + 1 + count)
    item_ids = insert_rows(
        AgendaItem,
        [
            {
                "meeting_id": meeting_id,
                "position": position,
                "title": f"Grown agenda item {position}",
                "description": AGENDA_ITEM.text(position),
                "description_html": AGENDA_ITEM.html(position),
                "minutes": 5,
                "lead": "The chair",
            }
            for position in positions
        ],
    )
    # Half the papers are drafts of the panel's (each a different one), half uploaded files.
    draft_ids = db.session.scalars(
        select(Draft.id)
        .where(Draft.panel_id == world.cast.panel.id)
        .order_by(Draft.id.desc())
        .limit(count // 2)
    ).all()
    draft_for = dict(zip(item_ids[::2], draft_ids, strict=False))
    paper_ids = insert_rows(
        Paper,
        [
            {
                "meeting_id": meeting_id,
                "agenda_item_id": item_id,
                "title": f"Grown paper {item_id}",
                "draft_id": draft_for.get(item_id),
            }
            for item_id in item_ids
        ],
    )
    insert_rows(
        PaperFile,
        [
            {
                "paper_id": paper_id,
                "version": 1,
                "stored_name": token(),
                "original_name": f"paper-{paper_id}.pdf",
                "content_type": "application/pdf",
                "size_bytes": 2048 + paper_id,
                "uploaded_by_id": chair_id,
            }
            for paper_id, item_id in zip(paper_ids, item_ids, strict=True)
            if item_id not in draft_for
        ],
    )
    last_number = db.session.scalar(
        select(func.max(MinutesRevision.number)).where(MinutesRevision.meeting_id == meeting_id)
    )
    now = utcnow()
    insert_rows(
        MinutesRevision,
        [
            {
                "meeting_id": meeting_id,
                "number": number,
                "body": MINUTES.text(number),
                "body_html": MINUTES.html(number),
                "shared_at": None,
                "written_by_id": chair_id,
            }
            for number in range((last_number or 0) + 1, (last_number or 0) + 1 + count)
        ],
    )
    statuses = list(ActionStatus)
    insert_rows(
        MeetingAction,
        [
            {
                "meeting_id": meeting_id,
                "description": ACTION.text(position),
                "description_html": ACTION.html(position),
                "owner": "The chair",
                "status": statuses[position % len(statuses)],
            }
            for position in positions
        ],
    )
    insert_rows(
        Attendance,
        [
            {
                "meeting_id": meeting_id,
                "user_id": user_id,
                "attended": number % 3 != 0,
                "minutes_attended": 90 if number % 3 else None,
                "sent_apologies": number % 6 == 0,
            }
            for number, user_id in enumerate(people_for(world, "meeting_papers", count))
        ],
    )
    revision = world.values["minutes_revision"]
    insert_rows(
        FeedbackEntry,
        [
            {
                "panel_id": world.cast.panel.id,
                "kind": EntryKind.COMMENT,
                "author_id": world.cast.people["member"].id,
                "source_key": f"minutes:{meeting_id}:{revision}:{token()}",
                "item_title": f"Minutes of World meeting, version {revision}",
                "text": MINUTES_COMMENT.text(position),
                "text_html": MINUTES_COMMENT.html(position),
                "preview_html": MINUTES_COMMENT.preview(position),
                "created_at": now,
            }
            for position in positions
        ],
    )
    db.session.commit()
