"""Members' omission checks: answer each item, say what is missing, suggest rewording, send.

A member's omission check is saved as they go and can be changed until the round closes; every
change after it is sent is routed to the study team's inbox again, so the inbox always holds
what the member last said. After the deadline nothing is stored: ``RoundClosed`` is raised
before anything changes.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.db import utcnow
from portal.drafts.models import VersionItem
from portal.extensions import db
from portal.feedback.routing import route_omission_check
from portal.involvement.entries import record_round_check
from portal.links import portal_path
from portal.notifications.kinds import Kind
from portal.notifications.tell import tell
from portal.rounds import counts
from portal.rounds.models import ItemAnswer, MissingAction, OmissionCheck, Resonance, ReviewRound
from portal.rounds.service import NotInRound, RoundClosed


# Built once with its values bound when it runs: asked on every page of a draft, a round or an
# omission check, where building a statement costs more than running it (README: "What keeps
# pages fast").
@cache
def _get_check(for_update: bool) -> Select[Any]:
    query = (
        select(OmissionCheck)
        .where(
            OmissionCheck.round_id == bindparam("round_id"),
            OmissionCheck.user_id == bindparam("user_id"),
        )
        .options(selectinload(OmissionCheck.answers), selectinload(OmissionCheck.missing_actions))
    )
    if for_update:
        query = query.with_for_update(of=OmissionCheck)
    return query


def get_check(
    review_round: ReviewRound, user_id: int, for_update: bool = False
) -> OmissionCheck | None:
    """A person's omission check for a round, with everything they said, or None.

    ``for_update`` locks the row (on PostgreSQL) so two saves from the same person, such as a
    double click, take turns instead of both adding the same answer.
    """
    values = {"round_id": review_round.id, "user_id": user_id}
    return db.session.scalar(_get_check(for_update), values)


def _open_check(review_round: ReviewRound, user_id: int) -> OmissionCheck:
    if not review_round.is_open(utcnow()):
        raise RoundClosed
    check = get_check(review_round, user_id, for_update=True)
    if check is None:
        check = OmissionCheck(round_id=review_round.id, user_id=user_id)
        check.answers = []
        check.missing_actions = []
        try:
            with db.session.begin_nested():
                db.session.add(check)
        except IntegrityError:
            # The same person's other request made it first: use that one.
            check = get_check(review_round, user_id, for_update=True)
            if check is None:
                raise
    return check


def _after_change(check: OmissionCheck, review_round: ReviewRound, resume_page: str) -> None:
    check.resume_page = resume_page
    db.session.flush()
    if check.submitted_at is not None:
        # Already sent: the inbox follows what the member now says.
        route_omission_check(check, review_round, review_round.version.draft)


def item_in_round(review_round: ReviewRound, item_id: int) -> VersionItem | None:
    return next((item for item in review_round.version.items if item.id == item_id), None)


def save_item_answer(
    review_round: ReviewRound,
    user_id: int,
    item_id: int,
    resonance: Resonance | None,
    comment: str,
    resume_page: str,
) -> OmissionCheck:
    """Keep a member's answer about one item of the round's version."""
    if item_in_round(review_round, item_id) is None:
        raise NotInRound
    check = _open_check(review_round, user_id)
    comment = comment.strip()
    answer = next((a for a in check.answers if a.version_item_id == item_id), None)
    if answer is None:
        answer = ItemAnswer(version_item_id=item_id)
        check.answers.append(answer)
        before: tuple[Resonance | None, str] = (None, "")
    else:
        before = (answer.resonance, answer.comment)
    answer.resonance = resonance
    answer.comment = comment
    if check.submitted_at is not None:
        counts.count_changed_answer(review_round.id, item_id, before, (resonance, comment))
    _after_change(check, review_round, resume_page)
    return check


def save_missing_actions(
    review_round: ReviewRound,
    user_id: int,
    actions: list[tuple[str, str]],
    resume_page: str,
) -> OmissionCheck:
    """Replace a member's list of missing actions with ``actions`` (description, why)."""
    check = _open_check(review_round, user_id)
    kept = list(check.missing_actions)
    for position, (description, why) in enumerate(actions, start=1):
        if position <= len(kept):
            row = kept[position - 1]
        else:
            row = MissingAction(description=description)
            check.missing_actions.append(row)
        row.position = position
        row.description = description
        row.why_it_matters = why
    for row in kept[len(actions) :]:
        check.missing_actions.remove(row)
    _after_change(check, review_round, resume_page)
    return check


def save_text_answer(
    review_round: ReviewRound, user_id: int, question: str, text: str, resume_page: str
) -> OmissionCheck:
    """Keep the rewording suggestion (``question="rewording"``) or the general comment."""
    check = _open_check(review_round, user_id)
    if question == "rewording":
        check.rewording = text
    else:
        check.general_comment = text
    _after_change(check, review_round, resume_page)
    return check


def submit_check(review_round: ReviewRound, user_id: int) -> OmissionCheck:
    """Send a member's answers: route everything they said to the study team, record the
    involvement (once per round) and email them."""
    check = _open_check(review_round, user_id)
    first_time = check.submitted_at is None
    check.submitted_at = utcnow()
    check.resume_page = "answers"
    db.session.flush()
    if first_time:
        counts.count_sent_check(check)
    draft = review_round.version.draft
    route_omission_check(check, review_round, draft)
    record_round_check(review_round.panel_id, review_round.id, review_round.version.title, user_id)
    person = db.session.get(User, user_id)
    if person is not None:
        path = portal_path(
            "rounds.check_answers",
            panel_id=review_round.panel_id,
            draft_id=draft.id,
            round_id=review_round.id,
        )
        with force_locale(person.language or current_app.config["DEFAULT_LOCALE"]):
            subject = gettext("We have your answers: %(title)s", title=review_round.version.title)
        tell(
            person,
            Kind.RECEIPT,
            subject=subject,
            template="omission_check_sent",
            link=current_app.config["BASE_URL"].rstrip("/") + path,
            panel_id=review_round.panel_id,
            name=person.display_name,
            title=review_round.version.title,
            closes_at=review_round.closes_at,
            changed=not first_time,
            path=path,
        )
    return check
