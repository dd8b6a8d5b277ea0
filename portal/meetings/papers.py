"""Meeting papers: uploaded files (checked by their content first) or links to published drafts,
each file kept in every version uploaded.

Nothing here commits: changes commit with the request. Uploaded files are checked from their content
(``paper_files``) before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.drafts.models import Draft
from portal.extensions import db
from portal.meetings import paper_files
from portal.meetings.models import Meeting, Paper, PaperFile
from portal.text import translated


class PaperProblem(ValueError):
    """An upload we cannot accept; the message is shown next to the file field."""


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def papers_by_item(meeting: Meeting) -> dict[int | None, list[Paper]]:
    """The meeting's papers grouped by the agenda item they belong to (None: no item)."""
    grouped: dict[int | None, list[Paper]] = {}
    for paper in meeting.papers:
        grouped.setdefault(paper.agenda_item_id, []).append(paper)
    return grouped


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
