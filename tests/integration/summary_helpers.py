"""Translated summaries as several test modules set them up: a published draft and its pages."""

from __future__ import annotations

from portal.drafts.models import Draft, DraftKind
from portal.drafts.service import DraftDetails, ItemDetails, add_item, create_draft, publish
from portal.extensions import db
from tests.roles import Cast


def published_draft(cast: Cast, title: str = "Priority actions") -> Draft:
    """A draft with one item, published once as version 1."""
    researcher = cast.people["researcher"]
    draft = create_draft(
        cast.panel.id,
        DraftDetails(kind=DraftKind.PRIORITY_ACTIONS, title=title, summary="What we heard."),
        researcher.id,
    )
    add_item(draft, ItemDetails(title="Peer support in every clinic"), draft.lock_version)
    publish(draft, researcher.id, draft.lock_version)
    db.session.commit()
    return draft


def publish_a_change(cast: Cast, draft: Draft, title: str = "Interpreters on request") -> None:
    """The English changes: another item, published as the next version."""
    fresh = db.session.get(Draft, draft.id)
    assert fresh is not None
    add_item(fresh, ItemDetails(title=title), fresh.lock_version)
    publish(fresh, cast.people["researcher"].id, fresh.lock_version)
    db.session.commit()


def summary_url(cast: Cast, draft: Draft, language: str = "ur", action: str = "") -> str:
    return f"/panels/{cast.panel.id}/drafts/{draft.id}/summaries/{language}{action}"
