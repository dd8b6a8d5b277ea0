"""The pre-meeting pack: the agenda, the papers and a summary of the previous meeting's results,
shared with members once the chair publishes it, and the meeting page's agenda and papers.

The worker emails a published pack when it is due (``jobs.send_due_packs``). Nothing here
commits: changes commit with the request, or the worker commits.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from portal.db import utcnow
from portal.extensions import db
from portal.meetings.agenda import items_in_order, total_minutes
from portal.meetings.models import Meeting, Paper


def pack_is_published(meeting: Meeting) -> bool:
    return meeting.pack_published_at is not None


def publish_pack(meeting: Meeting, previous_results_summary: str) -> None:
    """Share the agenda, papers and summary with members; they are emailed when it is due.

    Publishing again only changes the summary: the email goes out once.
    """
    meeting.previous_results_summary = previous_results_summary
    if meeting.pack_published_at is None:
        meeting.pack_published_at = utcnow()


# Built once with its values bound when it runs: on the meeting page, asked for often, building a
# statement costs more than running it (README: "What keeps pages fast").
@cache
def _meeting_papers() -> Select[Any]:
    return (
        select(Paper)
        .where(Paper.meeting_id == bindparam("meeting_id"))
        .order_by(Paper.id)
        .options(joinedload(Paper.files), joinedload(Paper.draft))
    )


def meeting_page_sections(meeting: Meeting, can_manage: bool) -> dict[str, object]:
    """What the meeting page's agenda and papers sections need, in two queries.

    The meeting page passes these to ``meetings/_agenda_section.html`` and
    ``meetings/_papers_section.html``: ``render_template(..., **meeting_page_sections(...))``.
    """
    items = items_in_order(meeting)
    # Files and drafts joined to the papers: one query however many papers there are.
    meeting_papers = list(
        db.session.scalars(_meeting_papers(), {"meeting_id": meeting.id}).unique()
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
