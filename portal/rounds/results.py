"""A review round's results for the study team: the tallies, who has answered, what they said.

Only submitted omission checks count. Reminders to those who have not answered are in
``reminders``. Every loader here runs a fixed number of queries however
many members, items or answers a round has; long lists come one page at a time. The answers
and comments about each item are counted as they are sent (``counts``), not on every view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.agreements.service import consents_to_quote
from portal.drafts.models import Draft, DraftVersion, VersionItem
from portal.extensions import db
from portal.paging import PAGE_SIZE, Page, last_page
from portal.panels.models import Membership
from portal.panels.service import MEMBERS_AND_CHAIR, active_in_panel
from portal.rounds.counts import COLUMNS
from portal.rounds.models import (
    ItemAnswer,
    MissingAction,
    OmissionCheck,
    Resonance,
    ReviewRound,
    RoundItemCount,
)

ANSWERS: tuple[Resonance, ...] = (
    Resonance.STRONGLY,
    Resonance.PARTLY,
    Resonance.NO,
    Resonance.NOT_SURE,
)
# The people a round asks: panel members with lived experience, the chair among them.
ANSWERING_ROLES = MEMBERS_AND_CHAIR


def _page(query: Select[Any], count_query: Select[Any], number: int) -> Page[Any]:
    total = db.session.scalar(count_query) or 0
    last = last_page(total)
    number = min(max(1, number), last)
    rows = list(db.session.execute(query.limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)))
    return Page(rows=rows, number=number, total=total)


def get_round(panel_id: int, draft_id: int, round_id: int) -> ReviewRound | None:
    """The round with its version, draft and site, if it is about this draft in this panel;
    else None."""
    return db.session.scalar(
        select(ReviewRound)
        .join(DraftVersion, DraftVersion.id == ReviewRound.version_id)
        .where(
            ReviewRound.id == round_id,
            ReviewRound.panel_id == panel_id,
            DraftVersion.draft_id == draft_id,
        )
        .options(
            joinedload(ReviewRound.version).joinedload(DraftVersion.draft).joinedload(Draft.site)
        )
    )


@dataclass(frozen=True)
class AnswerLine:
    """One answer about one item: how many gave it, and their share of those who answered."""

    answer: Resonance
    count: int
    share: int


@dataclass
class ItemTally:
    """How members answered about one item, and how many commented on it."""

    item: VersionItem
    counts: dict[Resonance, int] = field(default_factory=lambda: dict.fromkeys(ANSWERS, 0))
    comments: int = 0

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    def share(self, answer: Resonance) -> int:
        """The percentage of those who answered about this item, rounded."""
        if not self.answered:
            return 0
        return round(100 * self.counts[answer] / self.answered)

    @property
    def lines(self) -> list[AnswerLine]:
        """Each answer in order, with its count and its share of those who answered."""
        return [AnswerLine(answer, self.counts[answer], self.share(answer)) for answer in ANSWERS]


def _submitted(review_round: ReviewRound) -> Any:
    return and_(OmissionCheck.round_id == review_round.id, OmissionCheck.submitted_at.is_not(None))


def item_tallies(review_round: ReviewRound) -> list[ItemTally]:
    """Every item of the round's version, in order, with the count of each answer and of
    comments, from the counts kept as answers are sent (``portal.rounds.counts``)."""
    rows = db.session.execute(
        select(VersionItem, RoundItemCount)
        .outerjoin(
            RoundItemCount,
            and_(
                RoundItemCount.version_item_id == VersionItem.id,
                RoundItemCount.round_id == review_round.id,
            ),
        )
        .where(VersionItem.version_id == review_round.version_id)
        .order_by(VersionItem.position)
    )
    tallies = []
    for item, kept in rows:
        tally = ItemTally(item)
        if kept is not None:
            tally.counts = {answer: getattr(kept, COLUMNS[answer]) for answer in ANSWERS}
            tally.comments = kept.comments
        tallies.append(tally)
    return tallies


@dataclass(frozen=True)
class ResponseSummary:
    asked: int
    submitted: int
    started: int


def response_summary(review_round: ReviewRound) -> ResponseSummary:
    """How many people the round asks, how many have sent their answers and how many started."""
    row = db.session.execute(
        select(
            func.count(Membership.id),
            func.count(OmissionCheck.submitted_at),
            func.count(OmissionCheck.id),
        )
        .select_from(Membership)
        .outerjoin(
            OmissionCheck,
            and_(
                OmissionCheck.user_id == Membership.user_id,
                OmissionCheck.round_id == review_round.id,
            ),
        )
        .where(*asked(review_round))
    ).one()
    return ResponseSummary(asked=row[0], submitted=row[1], started=row[2] - row[1])


def asked(review_round: ReviewRound) -> tuple[Any, ...]:
    """Conditions on ``Membership`` for the people the round asks to answer."""
    return active_in_panel(review_round.panel_id, ANSWERING_ROLES)


def respondents(review_round: ReviewRound, page: int) -> Page[Any]:
    """Everyone the round asks, those who have not sent their answers first.

    Each row has ``pseudonym_code``, ``display_name``, ``submitted_at`` and ``started``.
    """
    joined = and_(
        OmissionCheck.user_id == Membership.user_id, OmissionCheck.round_id == review_round.id
    )
    query = (
        select(
            Membership.pseudonym_code,
            User.display_name,
            OmissionCheck.submitted_at,
            OmissionCheck.id.is_not(None).label("started"),
        )
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .outerjoin(OmissionCheck, joined)
        .where(*asked(review_round))
        .order_by(OmissionCheck.submitted_at.is_not(None), Membership.id)
    )
    count = select(func.count(Membership.id)).where(*asked(review_round))
    return _page(query, count, page)


# Who said it, and whether they consent, now, to being quoted (shown beside their words).
AUTHOR = (
    Membership.pseudonym_code,
    User.display_name,
    consents_to_quote(Membership.panel_id, OmissionCheck.user_id).label("may_quote"),
)


def _with_author(query: Select[Any], review_round: ReviewRound) -> Select[Any]:
    return query.join(User, User.id == OmissionCheck.user_id).outerjoin(
        Membership,
        and_(
            Membership.user_id == OmissionCheck.user_id,
            Membership.panel_id == review_round.panel_id,
        ),
    )


def item_comments(review_round: ReviewRound, tallies: list[ItemTally], page: int) -> Page[Any]:
    """Comments members made on single items, by item (``tallies`` are the round's, from
    ``item_tallies``). Rows: ``position``, ``title``, ``resonance``, ``comment``,
    ``comment_html``, ``pseudonym_code``, ``display_name``, ``may_quote``.

    Each item's count of comments says which items the page's comments are about, so only
    those items' answers are read, however many members and items the round has.
    """
    total = sum(tally.comments for tally in tallies)
    number = min(max(1, page), last_page(total))
    first = (number - 1) * PAGE_SIZE  # how many comments come before this page
    before = 0
    skip = 0
    items: list[int] = []
    for tally in tallies:
        if before + tally.comments > first and before < first + PAGE_SIZE:
            if not items:
                skip = first - before
            items.append(tally.item.id)
        before += tally.comments
    if not items:
        return Page(rows=[], number=number, total=total)
    query = _with_author(
        select(
            VersionItem.position,
            VersionItem.title,
            ItemAnswer.resonance,
            ItemAnswer.comment,
            ItemAnswer.comment_html,
            *AUTHOR,
        )
        .select_from(ItemAnswer)
        .join(OmissionCheck, OmissionCheck.id == ItemAnswer.check_id)
        .join(VersionItem, VersionItem.id == ItemAnswer.version_item_id),
        review_round,
    ).where(
        _submitted(review_round),
        ItemAnswer.version_item_id.in_(items),
        ItemAnswer.comment != "",
    )
    rows = db.session.execute(
        query.order_by(VersionItem.position, OmissionCheck.id).limit(PAGE_SIZE).offset(skip)
    )
    return Page(rows=list(rows), number=number, total=total)


def missing_actions(review_round: ReviewRound, page: int) -> Page[Any]:
    """Things members said are missing. Rows: ``description``, ``why_it_matters``,
    ``pseudonym_code``, ``display_name``."""
    query = _with_author(
        select(
            MissingAction.description,
            MissingAction.why_it_matters,
            MissingAction.description_html,
            MissingAction.why_it_matters_html,
            *AUTHOR,
        )
        .select_from(MissingAction)
        .join(OmissionCheck, OmissionCheck.id == MissingAction.check_id),
        review_round,
    )
    query = query.where(_submitted(review_round)).order_by(
        OmissionCheck.id, MissingAction.position, MissingAction.id
    )
    count = (
        select(func.count(MissingAction.id))
        .join(OmissionCheck, OmissionCheck.id == MissingAction.check_id)
        .where(_submitted(review_round))
    )
    return _page(query, count, page)


def other_words(review_round: ReviewRound, page: int) -> Page[Any]:
    """Rewording suggestions and general comments. Rows: ``rewording``, ``general_comment``,
    ``pseudonym_code``, ``display_name``."""
    condition = (
        _submitted(review_round),
        (func.trim(OmissionCheck.rewording) != "")
        | (func.trim(OmissionCheck.general_comment) != ""),
    )
    query = _with_author(
        select(
            OmissionCheck.rewording,
            OmissionCheck.general_comment,
            OmissionCheck.rewording_html,
            OmissionCheck.general_comment_html,
            *AUTHOR,
        ).select_from(OmissionCheck),
        review_round,
    )
    query = query.where(*condition).order_by(OmissionCheck.id)
    count = select(func.count(OmissionCheck.id)).where(*condition)
    return _page(query, count, page)
