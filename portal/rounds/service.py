"""Review rounds: open, extend and close them, and see how far the panel has got.

A round is open until ``closes_at`` (or until it is closed early). Members answer it in their
omission checks (``checks``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts.models import User
from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.drafts.models import Draft, DraftVersion
from portal.extensions import db
from portal.links import portal_path
from portal.notifications.kinds import Kind
from portal.notifications.tell import tell
from portal.panels.models import Membership, Role
from portal.panels.service import MEMBERS_AND_CHAIR, active_in_panel, active_people
from portal.rounds.models import OmissionCheck, ReviewRound

ANSWERING_ROLES = MEMBERS_AND_CHAIR


class RoundClosed(Exception):
    """The round's deadline has passed or it was closed early: nothing was saved."""


class NotInRound(Exception):
    """The item named is not part of the version this round is about."""


# --- loading ------------------------------------------------------------------------------


def rounds_for_draft(draft_id: int) -> list[ReviewRound]:
    """A draft's review rounds, newest first, with their version loaded."""
    return list(
        db.session.scalars(
            select(ReviewRound)
            .join(ReviewRound.version)
            .where(DraftVersion.draft_id == draft_id)
            .options(joinedload(ReviewRound.version))
            .order_by(ReviewRound.opened_at.desc(), ReviewRound.id.desc())
        )
    )


def open_round_on(version: DraftVersion) -> ReviewRound | None:
    """The review round open now on this version, if there is one."""
    now = utcnow()
    return db.session.scalar(
        select(ReviewRound)
        .where(
            ReviewRound.version_id == version.id,
            ReviewRound.closed_early_at.is_(None),
            ReviewRound.closes_at > now,
        )
        .order_by(ReviewRound.closes_at)
        .limit(1)
    )


def published_versions(draft_id: int) -> list[DraftVersion]:
    return list(
        db.session.scalars(
            select(DraftVersion)
            .where(DraftVersion.draft_id == draft_id)
            .order_by(DraftVersion.number.desc())
        )
    )


# Built once with its values bound when it runs: asked on every page of a draft, a round or an
# omission check, where building a statement costs more than running it (README: "What keeps
# pages fast").
@cache
def _get_round() -> Select[Any]:
    return (
        select(ReviewRound)
        .join(ReviewRound.version)
        .where(
            ReviewRound.id == bindparam("round_id"),
            ReviewRound.panel_id == bindparam("panel_id"),
            DraftVersion.draft_id == bindparam("draft_id"),
        )
        .options(
            joinedload(ReviewRound.version).options(
                selectinload(DraftVersion.items), joinedload(DraftVersion.draft)
            )
        )
    )


def get_round(panel_id: int, draft: Draft, round_id: int) -> ReviewRound | None:
    """The round if it is about this draft in this panel, with its version's items; else None."""
    values = {"round_id": round_id, "panel_id": panel_id, "draft_id": draft.id}
    return db.session.scalar(_get_round(), values)


@dataclass(frozen=True)
class RoundProgress:
    answering: int  # members and the chair, who are asked to answer
    submitted: int
    started: int


def round_progress(review_round: ReviewRound) -> RoundProgress:
    """How many people are asked, have started and have sent their answers."""
    answering = db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(*active_in_panel(review_round.panel_id, ANSWERING_ROLES))
    )
    started, submitted = db.session.execute(
        select(func.count(OmissionCheck.id), func.count(OmissionCheck.submitted_at)).where(
            OmissionCheck.round_id == review_round.id
        )
    ).one()
    return RoundProgress(answering=answering or 0, submitted=submitted, started=started)


# The home page's queries, built once with their values bound when they run: on a page asked for
# this often, building a statement costs more than running it (README: "What keeps pages fast").
@cache
def _open_rounds() -> Select[Any]:
    return (
        select(ReviewRound)
        .where(
            ReviewRound.panel_id.in_(bindparam("panel_ids", expanding=True)),
            ReviewRound.closed_early_at.is_(None),
            ReviewRound.closes_at > bindparam("now"),
        )
        .options(joinedload(ReviewRound.version).joinedload(DraftVersion.draft))
        .order_by(ReviewRound.closes_at, ReviewRound.id)
    )


@cache
def _my_checks() -> Select[Any]:
    return select(OmissionCheck).where(
        OmissionCheck.user_id == bindparam("user_id"),
        OmissionCheck.round_id.in_(bindparam("round_ids", expanding=True)),
    )


def home_rounds(user_id: int, memberships: list[Membership]) -> dict[str, Any]:
    """What the home page shows about review rounds: open rounds and this person's progress.

    Two queries whatever the number of panels and rounds (none without memberships).
    """
    roles = {membership.panel_id: membership.role for membership in memberships}
    if not roles:
        return {"rounds": []}
    rounds = list(db.session.scalars(_open_rounds(), {"panel_ids": list(roles), "now": utcnow()}))
    checks: dict[int, OmissionCheck] = {}
    if rounds:
        checks = {
            check.round_id: check
            for check in db.session.scalars(
                _my_checks(), {"user_id": user_id, "round_ids": [r.id for r in rounds]}
            )
        }
    shown = []
    for review_round in rounds:
        role = roles[review_round.panel_id]
        check = checks.get(review_round.id)
        if role is Role.RESEARCHER:
            state = "manage"
        elif check is None:
            state = "not_started"
        elif check.submitted_at is None:
            state = "in_progress"
        else:
            state = "sent"
        shown.append({"round": review_round, "draft": review_round.version.draft, "state": state})
    return {"rounds": shown}


# --- the study team -----------------------------------------------------------------------


def _answering_people(panel_id: int) -> list[User]:
    return active_people(panel_id, ANSWERING_ROLES, skip_paused=True)


def _tell_the_panel(review_round: ReviewRound, draft: Draft, template: str, key: str) -> None:
    link = portal_path(
        "rounds.start_check",
        panel_id=review_round.panel_id,
        draft_id=draft.id,
        round_id=review_round.id,
    )
    base_url = current_app.config["BASE_URL"].rstrip("/")
    for person in _answering_people(review_round.panel_id):
        with force_locale(person.language or current_app.config["DEFAULT_LOCALE"]):
            subject = gettext("Please check: %(title)s", title=review_round.version.title)
        tell(
            person,
            Kind.ROUND_OPENED,
            subject=subject,
            template=template,
            link=base_url + link,
            panel_id=review_round.panel_id,
            dedupe_key=f"round:{review_round.id}:{key}:{person.id}",
            name=person.display_name,
            title=review_round.version.title,
            closes_at=review_round.closes_at,
            path=link,
        )


def open_round(
    panel_id: int,
    draft: Draft,
    version: DraftVersion,
    instructions: str,
    closes_at: datetime,
    opened_by_id: int,
) -> ReviewRound:
    """Open a published version to the panel and email its members and chair.

    The round and its emails commit together, with the request.
    """
    if version.draft_id != draft.id or draft.panel_id != panel_id:
        raise NotInRound
    review_round = ReviewRound(
        panel_id=panel_id,
        version_id=version.id,
        instructions=instructions,
        closes_at=closes_at,
        opened_by_id=opened_by_id,
    )
    review_round.version = version
    db.session.add(review_round)
    db.session.flush()
    _tell_the_panel(review_round, draft, "review_round_opened", "opened")
    record(AuditAction.ROUND_OPENED, panel_id=panel_id, detail=f"round {review_round.id}")
    return review_round


def extend_round(review_round: ReviewRound, draft: Draft, closes_at: datetime) -> None:
    """Move the deadline later and tell the panel the new date; commits with the request."""
    review_round.closes_at = closes_at
    review_round.closed_early_at = None
    db.session.flush()
    key = f"extended:{int(closes_at.timestamp())}"
    _tell_the_panel(review_round, draft, "review_round_extended", key)
    record(
        AuditAction.ROUND_DEADLINE_CHANGED,
        panel_id=review_round.panel_id,
        detail=f"round {review_round.id}",
    )


def close_round(review_round: ReviewRound) -> None:
    """Close the round now: nobody can change their answers after this."""
    if review_round.closed_early_at is None:
        review_round.closed_early_at = utcnow()
        record(
            AuditAction.ROUND_CLOSED,
            panel_id=review_round.panel_id,
            detail=f"round {review_round.id}",
        )
