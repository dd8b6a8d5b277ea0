"""Review rounds with answers in them, made directly through the models, for results tests."""

from __future__ import annotations

from datetime import timedelta

from portal.accounts.models import User
from portal.db import utcnow
from portal.drafts.models import DraftKind, DraftVersion, VersionItem
from portal.drafts.service import DraftDetails, ItemDetails, add_item, create_draft, publish
from portal.extensions import db
from portal.panels.models import Panel
from portal.rounds.counts import recount
from portal.rounds.models import ItemAnswer, MissingAction, OmissionCheck, Resonance, ReviewRound


def make_round(
    panel: Panel,
    researcher: User,
    titles: tuple[str, ...] = ("Peer support in every ward", "Training on cultures"),
    closes_in: timedelta = timedelta(days=7),
    draft_title: str = "East London priority actions",
) -> ReviewRound:
    """A published draft with these items, and an open review round on it."""
    draft = create_draft(
        panel.id, DraftDetails(kind=DraftKind.PRIORITY_ACTIONS, title=draft_title), researcher.id
    )
    for title in titles:
        add_item(draft, ItemDetails(title=title), draft.lock_version)
    version: DraftVersion = publish(draft, researcher.id, draft.lock_version)
    review_round = ReviewRound(
        panel_id=panel.id,
        version_id=version.id,
        instructions="Tell us what matches your experience.",
        closes_at=utcnow() + closes_in,
        opened_by_id=researcher.id,
    )
    db.session.add(review_round)
    db.session.commit()
    return review_round


def items_of(review_round: ReviewRound) -> list[VersionItem]:
    return list(
        db.session.scalars(
            db.select(VersionItem)
            .where(VersionItem.version_id == review_round.version_id)
            .order_by(VersionItem.position)
        )
    )


def answer_round(
    review_round: ReviewRound,
    user: User,
    answers: list[Resonance | None],
    comments: list[str] | None = None,
    missing: list[tuple[str, str]] | None = None,
    rewording: str = "",
    general_comment: str = "",
    submitted: bool = True,
) -> OmissionCheck:
    """A member's omission check: one answer per item, in item order."""
    check = OmissionCheck(
        round_id=review_round.id,
        user_id=user.id,
        rewording=rewording,
        general_comment=general_comment,
        submitted_at=utcnow() if submitted else None,
    )
    db.session.add(check)
    db.session.flush()
    comments = comments or []
    for index, (item, resonance) in enumerate(zip(items_of(review_round), answers, strict=False)):
        text = comments[index] if index < len(comments) else ""
        db.session.add(
            ItemAnswer(
                check_id=check.id, version_item_id=item.id, resonance=resonance, comment=text
            )
        )
    for position, (description, why) in enumerate(missing or [], start=1):
        db.session.add(
            MissingAction(
                check_id=check.id, position=position, description=description, why_it_matters=why
            )
        )
    # Written straight to the tables, as the demo study is: the kept counts are made again.
    recount(review_round.id)
    db.session.commit()
    return check


def draft_id_of(review_round: ReviewRound) -> int:
    draft_id = db.session.scalar(
        db.select(DraftVersion.draft_id).where(DraftVersion.id == review_round.version_id)
    )
    assert draft_id is not None
    return draft_id


def results_path(review_round: ReviewRound, rest: str = "/results") -> str:
    """The address of a round's results page (or, with ``rest``, one of its other pages)."""
    draft_id = draft_id_of(review_round)
    return f"/panels/{review_round.panel_id}/drafts/{draft_id}/rounds/{review_round.id}{rest}"
