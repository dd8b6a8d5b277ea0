"""A review round's results for the study team: the tallies, who has answered, what they said.

Only submitted omission checks count. Reminders to those who have not answered are in
``reminders``. Every loader here runs a fixed number of queries however
many members, items or answers a round has; long lists come one page at a time. The answers
and comments about each item are counted as they are sent (``counts``), not on every view.

The page's queries are built once and run with their values bound (README: "What keeps pages
fast"), and its figures, including each list's length, come from one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, bindparam, func, select
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


def _page(query: Select[Any], total: int, number: int, **values: Any) -> Page[Any]:
    """The page ``number`` (kept within the pages there are) of ``total`` rows of ``query``, a
    statement built once with ``limit`` and ``offset`` among its parameters."""
    number = min(max(1, number), last_page(total))
    offset = (number - 1) * PAGE_SIZE
    rows = list(db.session.execute(query, {**values, "limit": PAGE_SIZE, "offset": offset}))
    return Page(rows=rows, number=number, total=total)


def _paged(query: Select[Any]) -> Select[Any]:
    return query.limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))


@cache
def _round_query() -> Select[Any]:
    return (
        select(ReviewRound)
        .join(DraftVersion, DraftVersion.id == ReviewRound.version_id)
        .where(
            ReviewRound.id == bindparam("round_id"),
            ReviewRound.panel_id == bindparam("panel_id"),
            DraftVersion.draft_id == bindparam("draft_id"),
        )
        .options(
            joinedload(ReviewRound.version).joinedload(DraftVersion.draft).joinedload(Draft.site)
        )
    )


def get_round(panel_id: int, draft_id: int, round_id: int) -> ReviewRound | None:
    """The round with its version, draft and site, if it is about this draft in this panel;
    else None."""
    values = {"round_id": round_id, "panel_id": panel_id, "draft_id": draft_id}
    return db.session.scalar(_round_query(), values)


@dataclass(frozen=True)
class AnswerLine:
    """One answer about one item: how many gave it, and their share of those who answered."""

    answer: Resonance
    count: int
    share: int


@dataclass(frozen=True)
class ItemHeading:
    """What the results say of an item: which it is, where it comes, and its title."""

    id: int
    position: int
    title: str


@dataclass
class ItemTally:
    """How members answered about one item, and how many commented on it."""

    item: ItemHeading
    counts: dict[Resonance, int] = field(default_factory=lambda: dict.fromkeys(ANSWERS, 0))
    comments: int = 0

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    @property
    def lines(self) -> list[AnswerLine]:
        """Each answer in order, with its count and its share of those who answered."""
        answered = self.answered
        return [
            AnswerLine(answer, self.counts[answer], _share(self.counts[answer], answered))
            for answer in ANSWERS
        ]


def _share(count: int, answered: int) -> int:
    """The percentage of those who answered about an item, rounded."""
    return round(100 * count / answered) if answered else 0


def _submitted() -> ColumnElement[bool]:
    """The sent omission checks of the round whose id is the parameter ``round_id``."""
    return and_(
        OmissionCheck.round_id == bindparam("round_id"), OmissionCheck.submitted_at.is_not(None)
    )


@cache
def _tallies_query() -> Select[Any]:
    return (
        select(
            VersionItem.id,
            VersionItem.position,
            VersionItem.title,
            *(getattr(RoundItemCount, column) for column in (*COLUMNS.values(), "comments")),
        )
        .outerjoin(
            RoundItemCount,
            and_(
                RoundItemCount.version_item_id == VersionItem.id,
                RoundItemCount.round_id == bindparam("round_id"),
            ),
        )
        .where(VersionItem.version_id == bindparam("version_id"))
        .order_by(VersionItem.position)
    )


def item_tallies(review_round: ReviewRound) -> list[ItemTally]:
    """Every item of the round's version, in order, with the count of each answer and of
    comments, from the counts kept as answers are sent (``portal.rounds.counts``)."""
    rows = db.session.execute(
        _tallies_query(), {"round_id": review_round.id, "version_id": review_round.version_id}
    )
    tallies = []
    for row in rows:
        tally = ItemTally(ItemHeading(row.id, row.position, row.title))
        if row.comments is not None:  # the item has a row of counts
            tally.counts = {answer: getattr(row, COLUMNS[answer]) for answer in ANSWERS}
            tally.comments = row.comments
        tallies.append(tally)
    return tallies


@dataclass(frozen=True)
class ResponseSummary:
    """The round's figures: how many people it asks, how many have sent their answers and how
    many started without sending; how many missing actions and how many rewording suggestions
    or general comments were sent (the lengths of the page's lists)."""

    asked: int
    submitted: int
    started: int
    missing: int = 0
    other: int = 0


def _asked() -> tuple[ColumnElement[bool], ...]:
    """``asked`` for the round whose panel is the parameter ``panel_id``."""
    return active_in_panel(bindparam("panel_id"), ANSWERING_ROLES)  # type: ignore[arg-type]


def _other_words_sent() -> tuple[ColumnElement[bool], ...]:
    return (
        _submitted(),
        (func.trim(OmissionCheck.rewording) != "")
        | (func.trim(OmissionCheck.general_comment) != ""),
    )


@cache
def _summary_query() -> Select[Any]:
    people = (
        select(
            func.count(Membership.id).label("asked"),
            func.count(OmissionCheck.submitted_at).label("submitted"),
            func.count(OmissionCheck.id).label("checks"),
        )
        .select_from(Membership)
        .outerjoin(
            OmissionCheck,
            and_(
                OmissionCheck.user_id == Membership.user_id,
                OmissionCheck.round_id == bindparam("round_id"),
            ),
        )
        .where(*_asked())
        .subquery()
    )
    missing = (
        select(func.count(MissingAction.id))
        .join(OmissionCheck, OmissionCheck.id == MissingAction.check_id)
        .where(_submitted())
        .correlate(None)
        .scalar_subquery()
    )
    other = (
        select(func.count(OmissionCheck.id))
        .where(*_other_words_sent())
        .correlate(None)
        .scalar_subquery()
    )
    return select(
        people.c.asked,
        people.c.submitted,
        people.c.checks,
        missing.label("missing"),
        other.label("other"),
    ).select_from(people)


def response_summary(review_round: ReviewRound) -> ResponseSummary:
    """The round's figures (``ResponseSummary``), in one query."""
    row = db.session.execute(
        _summary_query(), {"round_id": review_round.id, "panel_id": review_round.panel_id}
    ).one()
    return ResponseSummary(
        asked=row.asked,
        submitted=row.submitted,
        started=row.checks - row.submitted,
        missing=row.missing,
        other=row.other,
    )


def asked(review_round: ReviewRound) -> tuple[Any, ...]:
    """Conditions on ``Membership`` for the people the round asks to answer."""
    return active_in_panel(review_round.panel_id, ANSWERING_ROLES)


@cache
def _respondents_query() -> Select[Any]:
    joined = and_(
        OmissionCheck.user_id == Membership.user_id,
        OmissionCheck.round_id == bindparam("round_id"),
    )
    return _paged(
        select(
            Membership.pseudonym_code,
            User.display_name,
            OmissionCheck.submitted_at,
            OmissionCheck.id.is_not(None).label("started"),
        )
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .outerjoin(OmissionCheck, joined)
        .where(*_asked())
        .order_by(OmissionCheck.submitted_at.is_not(None), Membership.id)
    )


def respondents(review_round: ReviewRound, summary: ResponseSummary, page: int) -> Page[Any]:
    """Everyone the round asks (``summary.asked`` of them), those who have not sent their
    answers first.

    Each row has ``pseudonym_code``, ``display_name``, ``submitted_at`` and ``started``.
    """
    values = {"round_id": review_round.id, "panel_id": review_round.panel_id}
    return _page(_respondents_query(), summary.asked, page, **values)


# Who said it, and whether they consent, now, to being quoted (shown beside their words).
AUTHOR = (
    Membership.pseudonym_code,
    User.display_name,
    consents_to_quote(Membership.panel_id, OmissionCheck.user_id).label("may_quote"),
)


def _with_author(query: Select[Any]) -> Select[Any]:
    return query.join(User, User.id == OmissionCheck.user_id).outerjoin(
        Membership,
        and_(
            Membership.user_id == OmissionCheck.user_id,
            Membership.panel_id == bindparam("panel_id"),
        ),
    )


@cache
def _comments_query() -> Select[Any]:
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
        .join(VersionItem, VersionItem.id == ItemAnswer.version_item_id)
    ).where(
        _submitted(),
        ItemAnswer.version_item_id.in_(bindparam("items", expanding=True)),
        ItemAnswer.comment != "",
    )
    return _paged(query.order_by(VersionItem.position, OmissionCheck.id))


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
    values = {
        "round_id": review_round.id,
        "panel_id": review_round.panel_id,
        "items": items,
        "limit": PAGE_SIZE,
        "offset": skip,
    }
    rows = db.session.execute(_comments_query(), values)
    return Page(rows=list(rows), number=number, total=total)


@cache
def _missing_query() -> Select[Any]:
    query = _with_author(
        select(
            MissingAction.description,
            MissingAction.why_it_matters,
            MissingAction.description_html,
            MissingAction.why_it_matters_html,
            *AUTHOR,
        )
        .select_from(MissingAction)
        .join(OmissionCheck, OmissionCheck.id == MissingAction.check_id)
    )
    return _paged(
        query.where(_submitted()).order_by(
            OmissionCheck.id, MissingAction.position, MissingAction.id
        )
    )


def missing_actions(review_round: ReviewRound, summary: ResponseSummary, page: int) -> Page[Any]:
    """Things members said are missing (``summary.missing`` of them). Rows: ``description``,
    ``why_it_matters``, their HTML, ``pseudonym_code``, ``display_name``, ``may_quote``."""
    values = {"round_id": review_round.id, "panel_id": review_round.panel_id}
    return _page(_missing_query(), summary.missing, page, **values)


@cache
def _other_query() -> Select[Any]:
    query = _with_author(
        select(
            OmissionCheck.rewording,
            OmissionCheck.general_comment,
            OmissionCheck.rewording_html,
            OmissionCheck.general_comment_html,
            *AUTHOR,
        ).select_from(OmissionCheck)
    )
    return _paged(query.where(*_other_words_sent()).order_by(OmissionCheck.id))


def other_words(review_round: ReviewRound, summary: ResponseSummary, page: int) -> Page[Any]:
    """Rewording suggestions and general comments (``summary.other`` checks with either).
    Rows: ``rewording``, ``general_comment``, their HTML, ``pseudonym_code``,
    ``display_name``, ``may_quote``."""
    values = {"round_id": review_round.id, "panel_id": review_round.panel_id}
    return _page(_other_query(), summary.other, page, **values)
