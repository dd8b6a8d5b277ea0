"""Agenda items, meeting papers and the pre-meeting pack: the operations behind their pages.

Nothing here commits: the view (or the worker's job) commits once. Uploaded files are checked
from their content (``paper_files``) before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.db import utcnow
from portal.drafts.models import Draft
from portal.extensions import db
from portal.meetings import paper_files
from portal.meetings.models import AgendaItem, Meeting, MeetingStatus, Paper, PaperFile
from portal.notifications.service import queue_mail
from portal.panels.models import Membership
from portal.text import translated


class PaperProblem(ValueError):
    """An upload we cannot accept; the message is shown next to the file field."""


@dataclass(frozen=True)
class AgendaItemDetails:
    title: str
    description: str = ""
    minutes: int = 10
    lead: str = ""


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def get_meeting(panel_id: int, meeting_id: int, with_agenda: bool = False) -> Meeting | None:
    """The meeting if it is in this panel; with its agenda, papers and their files if asked."""
    query = select(Meeting).where(Meeting.id == meeting_id, Meeting.panel_id == panel_id)
    if with_agenda:
        query = query.options(
            selectinload(Meeting.agenda_items),
            selectinload(Meeting.papers).selectinload(Paper.files),
            selectinload(Meeting.papers).selectinload(Paper.draft),
        )
    return db.session.scalar(query)


def total_minutes(items: list[AgendaItem]) -> int:
    return sum(item.minutes for item in items)


def papers_by_item(meeting: Meeting) -> dict[int | None, list[Paper]]:
    """The meeting's papers grouped by the agenda item they belong to (None: no item)."""
    grouped: dict[int | None, list[Paper]] = {}
    for paper in meeting.papers:
        grouped.setdefault(paper.agenda_item_id, []).append(paper)
    return grouped


def get_agenda_item(meeting: Meeting, item_id: int) -> AgendaItem | None:
    return db.session.scalar(
        select(AgendaItem).where(AgendaItem.id == item_id, AgendaItem.meeting_id == meeting.id)
    )


def _items_in_order(meeting: Meeting) -> list[AgendaItem]:
    return list(
        db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    )


def add_agenda_item(meeting: Meeting, details: AgendaItemDetails) -> AgendaItem:
    """Add an item at the end of the agenda."""
    items = _items_in_order(meeting)
    item = AgendaItem(
        meeting_id=meeting.id,
        position=(items[-1].position + 1) if items else 1,
        title=details.title,
        description=details.description,
        minutes=details.minutes,
        lead=details.lead,
    )
    db.session.add(item)
    db.session.flush()
    return item


def update_agenda_item(item: AgendaItem, details: AgendaItemDetails) -> None:
    item.title = details.title
    item.description = details.description
    item.minutes = details.minutes
    item.lead = details.lead


def remove_agenda_item(meeting: Meeting, item: AgendaItem) -> None:
    """Take an item off the agenda; its papers stay with the meeting, linked to no item."""
    db.session.execute(
        update(Paper).where(Paper.agenda_item_id == item.id).values(agenda_item_id=None)
    )
    db.session.delete(item)
    db.session.flush()
    for position, other in enumerate(_items_in_order(meeting), start=1):
        other.position = position


def move_agenda_item(meeting: Meeting, item: AgendaItem, direction: str) -> bool:
    """Swap an item with the one above or below. False when it is already at that end."""
    items = _items_in_order(meeting)
    index = next(i for i, candidate in enumerate(items) if candidate.id == item.id)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for position, candidate in enumerate(items, start=1):
        candidate.position = position
    return True


def get_paper(meeting: Meeting, paper_id: int) -> Paper | None:
    return db.session.scalar(
        select(Paper)
        .where(Paper.id == paper_id, Paper.meeting_id == meeting.id)
        .options(selectinload(Paper.files), selectinload(Paper.draft))
    )


def linkable_drafts(panel_id: int) -> list[Draft]:
    """Published drafts of the panel, which members can read, so they can be a paper."""
    return list(
        db.session.scalars(
            select(Draft)
            .where(Draft.panel_id == panel_id, Draft.latest_version_number > 0)
            .order_by(Draft.title)
        )
    )


def check_upload(upload: Upload) -> paper_files.FileKind:
    """The kind of file this is, or ``PaperProblem`` saying plainly why it cannot be used."""
    limit_mb = current_app.config["PAPERS_MAX_MB"]
    if len(upload.data) > limit_mb * 1024 * 1024:
        raise PaperProblem(
            translated("The file must be smaller than %(size)d MB", size=limit_mb)  # type: ignore[arg-type]
        )
    if not upload.data:
        raise PaperProblem(_l("The file is empty. Choose another file"))  # type: ignore[arg-type]
    kind = paper_files.detect_kind(upload.data)
    if kind is None:
        raise PaperProblem(
            _l(  # type: ignore[arg-type]
                "This file is not a type we accept. Upload a PDF, Word, Excel, PowerPoint, "
                "OpenDocument text, plain text, PNG or JPEG file"
            )
        )
    if paper_files.extension_of(upload.filename) not in kind.extensions:
        raise PaperProblem(
            translated(
                "The file's name does not match what is in it: it is a %(kind)s. "
                "Check you chose the right file",
                kind=kind.name,
            )
        )
    return kind


def _add_file(paper: Paper, upload: Upload, user_id: int, version: int) -> PaperFile:
    kind = check_upload(upload)
    stored_name = paper_files.store(upload.data)
    record = PaperFile(
        paper_id=paper.id,
        version=version,
        stored_name=stored_name,
        original_name=paper_files.download_name(upload.filename, kind.extensions[0]),
        content_type=kind.content_type,
        size_bytes=len(upload.data),
        uploaded_by_id=user_id,
    )
    db.session.add(record)
    try:
        db.session.flush()
    except Exception:
        paper_files.discard(stored_name)
        raise
    return record


def add_paper(
    meeting: Meeting,
    title: str,
    agenda_item_id: int | None,
    user_id: int,
    upload: Upload | None = None,
    draft_id: int | None = None,
) -> Paper:
    """A new paper: an uploaded file (checked first) or a link to a published draft."""
    if upload is not None:
        check_upload(upload)
    paper = Paper(
        meeting_id=meeting.id,
        agenda_item_id=agenda_item_id,
        title=title,
        draft_id=None if upload is not None else draft_id,
    )
    db.session.add(paper)
    db.session.flush()
    if upload is not None:
        _add_file(paper, upload, user_id, version=1)
    return paper


def replace_paper_file(paper: Paper, upload: Upload, user_id: int) -> PaperFile:
    """Upload a new version; earlier versions are kept and stay downloadable by the team."""
    latest = max((record.version for record in paper.files), default=0)
    return _add_file(paper, upload, user_id, version=latest + 1)


def update_paper(
    paper: Paper, title: str, agenda_item_id: int | None, draft_id: int | None
) -> None:
    paper.title = title
    paper.agenda_item_id = agenda_item_id
    if not paper.files:
        paper.draft_id = draft_id


def remove_paper(paper: Paper) -> list[str]:
    """Delete a paper and every version of its file; returns the stored names to discard
    once the change is committed."""
    stored = [record.stored_name for record in paper.files]
    db.session.delete(paper)
    db.session.flush()
    return stored


def file_version(paper: Paper, version: int | None) -> PaperFile | None:
    """A stored version of the paper's file; the latest when ``version`` is None."""
    if not paper.files:
        return None
    if version is None:
        return paper.files[-1]
    return next((record for record in paper.files if record.version == version), None)


def pack_is_published(meeting: Meeting) -> bool:
    return meeting.pack_published_at is not None


def publish_pack(meeting: Meeting, previous_results_summary: str) -> None:
    """Share the agenda, papers and summary with members; they are emailed when it is due.

    Publishing again only changes the summary: the email goes out once.
    """
    meeting.previous_results_summary = previous_results_summary
    if meeting.pack_published_at is None:
        meeting.pack_published_at = utcnow()


def _pack_recipients(panel_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.panel_id == panel_id,
                Membership.active.is_(True),
                User.is_active_account.is_(True),
            )
            .order_by(User.id)
        )
    )


def _send_pack(meeting_id: int) -> int:
    """Claim one meeting's pack and queue its emails, in the caller's transaction.

    The claim is a conditional update: of two workers, only the one that changes the row goes on,
    so the pack is never sent twice.
    """
    now = utcnow()
    claimed = db.session.execute(
        update(Meeting)
        .where(Meeting.id == meeting_id, Meeting.pack_sent_at.is_(None))
        .values(pack_sent_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return 0
    meeting = get_meeting_for_pack(meeting_id)
    base_url = current_app.config["BASE_URL"].rstrip("/")
    pack_link = f"{base_url}/panels/{meeting.panel_id}/meetings/{meeting.id}/pack"
    count = 0
    for person in _pack_recipients(meeting.panel_id):
        message = queue_mail(
            person.email,
            gettext("Papers for the meeting: %(title)s", title=meeting.title),
            "meeting_pack",
            dedupe_key=f"meeting-pack:{meeting.id}:{person.id}",
            locale=person.language or None,
            person=person,
            meeting=meeting,
            papers_by_item=papers_by_item(meeting),
            total_minutes=total_minutes(meeting.agenda_items),
            pack_link=pack_link,
        )
        count += message is not None
    return count


def get_meeting_for_pack(meeting_id: int) -> Meeting:
    meeting = db.session.scalar(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.agenda_items),
            selectinload(Meeting.papers).selectinload(Paper.files),
            selectinload(Meeting.papers).selectinload(Paper.draft),
        )
        .execution_options(populate_existing=True)
    )
    assert meeting is not None  # noqa: S101 - just claimed in this transaction
    return meeting


def send_due_packs(app: Flask) -> int:
    """Email each published pack whose meeting is close enough; returns messages queued.

    A pack is due ``PACK_DAYS_BEFORE`` days before its meeting (or at once, when published
    later than that) and only while the meeting is published and still to come.
    """
    with app.app_context():
        now = utcnow()
        days = app.config["PACK_DAYS_BEFORE"]
        due = list(
            db.session.scalars(
                select(Meeting.id).where(
                    Meeting.pack_published_at.is_not(None),
                    Meeting.pack_sent_at.is_(None),
                    Meeting.status == MeetingStatus.PUBLISHED,
                    Meeting.starts_at > now,
                    Meeting.starts_at <= now + timedelta(days=days),
                )
            )
        )
        queued = 0
        for meeting_id in due:
            queued += _send_pack(meeting_id)
            db.session.commit()
        db.session.remove()
        return queued


def meeting_page_sections(meeting: Meeting, can_manage: bool) -> dict[str, object]:
    """What the meeting page's agenda and papers sections need, in two queries.

    The meeting page passes these to ``meetings/_agenda_section.html`` and
    ``meetings/_papers_section.html``: ``render_template(..., **meeting_page_sections(...))``.
    """
    items = _items_in_order(meeting)
    meeting_papers = list(
        db.session.scalars(
            select(Paper)
            .where(Paper.meeting_id == meeting.id)
            .order_by(Paper.id)
            .options(selectinload(Paper.files), selectinload(Paper.draft))
        )
    )
    grouped: dict[int | None, list[Paper]] = {}
    for paper in meeting_papers:
        grouped.setdefault(paper.agenda_item_id, []).append(paper)
    return {
        "agenda_items": items,
        "papers_by_item": grouped,
        "total_minutes": total_minutes(items),
        "pack_readable": can_manage or pack_is_published(meeting),
    }
