"""Routing: everything a member says to the study team becomes an entry in the team's inbox.

The inbox keeps its own copy of the words (``FeedbackEntry.text``), kept in step with the source
here: when an omission check is changed before its deadline the entries follow, and when a
comment is withdrawn its entry says so. Triage decisions already made are kept.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.drafts.models import Draft, VersionItem
from portal.extensions import db
from portal.feedback.models import Comment, EntryKind, FeedbackEntry
from portal.rounds.models import OmissionCheck, ReviewRound


def route_comment(comment: Comment, draft: Draft | None, item_title: str = "") -> FeedbackEntry:
    """Put a new or edited comment in the inbox (or update its copy there)."""
    entry = db.session.scalar(select(FeedbackEntry).where(FeedbackEntry.comment_id == comment.id))
    if entry is None:
        entry = FeedbackEntry(
            panel_id=comment.panel_id,
            kind=EntryKind.COMMENT,
            author_id=comment.author_id,
            comment_id=comment.id,
            draft_id=draft.id if draft else None,
            site_id=draft.site_id if draft else None,
            item_title=item_title,
            text=comment.body,
        )
        db.session.add(entry)
    entry.text = comment.body
    entry.withdrawn = comment.withdrawn_at is not None
    return entry


def route_omission_check(check: OmissionCheck, review_round: ReviewRound, draft: Draft) -> None:
    """Make the inbox match a submitted omission check: one entry per thing said.

    Entries are keyed by where they came from, so re-submitting updates them in place; things
    the member has since taken out are marked withdrawn rather than deleted.
    """
    items = {
        item.id: item
        for item in db.session.scalars(
            select(VersionItem).where(VersionItem.version_id == review_round.version_id)
        )
    }
    wanted: dict[str, tuple[EntryKind, str, str]] = {}
    for answer in check.answers:
        if answer.comment.strip():
            item = items.get(answer.version_item_id)
            wanted[f"check:{check.id}:item:{answer.version_item_id}"] = (
                EntryKind.ITEM_ANSWER,
                answer.comment,
                item.title if item else "",
            )
    for missing in check.missing_actions:
        text = missing.description
        if missing.why_it_matters.strip():
            text = f"{missing.description}\n\nWhy it matters: {missing.why_it_matters}"
        wanted[f"check:{check.id}:missing:{missing.id}"] = (EntryKind.MISSING_ACTION, text, "")
    if check.rewording.strip():
        wanted[f"check:{check.id}:rewording"] = (EntryKind.REWORDING, check.rewording, "")
    if check.general_comment.strip():
        wanted[f"check:{check.id}:general"] = (EntryKind.GENERAL, check.general_comment, "")

    prefix = f"check:{check.id}:"
    existing = {
        entry.source_key: entry
        for entry in db.session.scalars(
            select(FeedbackEntry).where(
                FeedbackEntry.source_key.startswith(prefix, autoescape=True)
            )
        )
    }
    for key, (kind, text, item_title) in wanted.items():
        entry = existing.get(key)
        if entry is None:
            db.session.add(
                FeedbackEntry(
                    panel_id=review_round.panel_id,
                    kind=kind,
                    author_id=check.user_id,
                    draft_id=draft.id,
                    site_id=draft.site_id,
                    round_id=review_round.id,
                    source_key=key,
                    item_title=item_title,
                    text=text,
                )
            )
        else:
            entry.text = text
            entry.item_title = item_title
            entry.withdrawn = False
    for key, entry in existing.items():
        if key not in wanted:
            entry.withdrawn = True


def route_minutes_comment(
    panel_id: int, author_id: int, source_key: str, heading: str, text: str
) -> FeedbackEntry:
    """Put a member's comment on a meeting's minutes in the inbox, like any other comment.

    ``source_key`` (for example ``minutes:<meeting>:<revision>:<random>``) ties the entry to the
    minutes it is about, so the member's own comments can be found and shown with them.
    """
    entry = FeedbackEntry(
        panel_id=panel_id,
        kind=EntryKind.COMMENT,
        author_id=author_id,
        source_key=source_key,
        item_title=heading[:300],
        text=text,
    )
    db.session.add(entry)
    return entry
