"""Shared set-up for the review-round tests: a published draft and a round open on it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.db import utcnow
from portal.drafts.models import Draft, DraftKind, DraftVersion, VersionItem
from portal.drafts.service import DraftDetails, ItemDetails, add_item, create_draft, publish
from portal.extensions import db
from portal.rounds.models import ReviewRound
from tests.roles import Cast


def published_draft(
    cast: Cast,
    titles: tuple[str, ...] = ("Peer support workers in every team", "Work with schools"),
    content_note: str = "",
) -> tuple[Draft, DraftVersion]:
    researcher = cast.people["researcher"]
    draft = create_draft(
        cast.panel.id,
        DraftDetails(
            kind=DraftKind.PRIORITY_ACTIONS,
            title="East London: priority actions",
            content_note=content_note,
        ),
        researcher.id,
    )
    for title in titles:
        add_item(draft, ItemDetails(title=title, description=f"About {title}"), draft.lock_version)
    version = publish(draft, researcher.id, draft.lock_version)
    db.session.commit()
    return draft, version


def open_round(
    cast: Cast, draft: Draft, version: DraftVersion, closes_in: timedelta = timedelta(days=7)
) -> ReviewRound:
    review_round = ReviewRound(
        panel_id=cast.panel.id,
        version_id=version.id,
        instructions="Tell us what **matters** to you.",
        closes_at=utcnow() + closes_in,
        opened_by_id=cast.people["researcher"].id,
    )
    db.session.add(review_round)
    db.session.commit()
    return review_round


def round_url(cast: Cast, draft: Draft, review_round: ReviewRound, rest: str = "") -> str:
    return f"/panels/{cast.panel.id}/drafts/{draft.id}/rounds/{review_round.id}{rest}"


def items_of(version: DraftVersion) -> list[VersionItem]:
    return list(
        db.session.scalars(
            select(VersionItem)
            .where(VersionItem.version_id == version.id)
            .order_by(VersionItem.position)
        )
    )


def resume_link(start_page: str) -> str:
    """The address behind "Continue where you left off" on the check's first page."""
    before, found, _after = start_page.partition("Continue where you left off")
    assert found, "no resume button on the page"
    return before.rsplit('href="', 1)[1].split('"', 1)[0]
