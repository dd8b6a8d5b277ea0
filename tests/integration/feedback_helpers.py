"""Shared set-up for the feedback tests: a published draft, comments posted through the form."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.drafts.models import Draft, DraftKind, DraftVersion
from portal.drafts.service import DraftDetails, ItemDetails, add_item, create_draft, publish
from portal.extensions import db
from portal.feedback.models import Comment, FeedbackEntry
from tests.conftest import submit_form
from tests.roles import Cast


def published_draft(
    cast: Cast,
    titles: tuple[str, ...] = ("Peer support in every ward", "Training on ethnicity"),
    site_id: int | None = None,
    title: str = "East London priority actions",
) -> Draft:
    researcher = cast.people["researcher"]
    draft = create_draft(
        cast.panel.id,
        DraftDetails(kind=DraftKind.PRIORITY_ACTIONS, title=title, site_id=site_id),
        researcher.id,
    )
    for item_title in titles:
        add_item(draft, ItemDetails(title=item_title), draft.lock_version)
    publish(draft, researcher.id, draft.lock_version)
    db.session.commit()
    return draft


def version_url(cast: Cast, draft: Draft, number: int = 1) -> str:
    return f"/panels/{cast.panel.id}/drafts/{draft.id}/versions/{number}"


def item_key(draft: Draft, title: str) -> str:
    version = db.session.scalars(
        select(DraftVersion).where(DraftVersion.draft_id == draft.id)
    ).first()
    assert version is not None
    from portal.drafts.models import VersionItem

    return db.session.scalars(
        select(VersionItem.key).where(
            VersionItem.version_id == version.id, VersionItem.title == title
        )
    ).one()


def post_comment(
    client: FlaskClient,
    cast: Cast,
    draft: Draft,
    body: str,
    visibility: str = "team",
    shown_as: str = "name",
    about: str = "",
    follow_redirects: bool = False,
) -> Any:
    return submit_form(
        client,
        version_url(cast, draft) + "/comments/new",
        {"body": body, "visibility": visibility, "shown_as": shown_as, "about": about},
        follow_redirects=follow_redirects,
    )


def last_comment() -> Comment:
    db.session.expire_all()
    comment = db.session.scalars(select(Comment).order_by(Comment.id.desc())).first()
    assert comment is not None
    return comment


def entry_for(comment: Comment) -> FeedbackEntry:
    db.session.expire_all()
    return db.session.scalars(
        select(FeedbackEntry).where(FeedbackEntry.comment_id == comment.id)
    ).one()
