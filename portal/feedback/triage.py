"""The study team's inbox: filter, triage, assign and answer what members said.

Every load here is a fixed number of queries however many entries there are. Each triage save
checks the ``lock_version`` the researcher started from; if someone else saved the entry in
between, ``TriageConflict`` is raised and nothing changes, so the view can keep the second
person's text. Answers and assignments are emailed through the outbox in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import Integer, Select, and_, bindparam, func, select, update
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.orm.exc import StaleDataError

from portal import paging
from portal.accounts.email_links import public_link
from portal.accounts.models import User
from portal.agreements.service import consents_to_quote, quote_consenting
from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.drafts.models import Draft, DraftVersion
from portal.extensions import db
from portal.feedback.models import FeedbackEntry, TriageStatus
from portal.notifications.kinds import Kind
from portal.notifications.tell import tell
from portal.panels.models import Membership, Role
from portal.panels.service import sites_of
from portal.rounds.models import ReviewRound

PAGE_SIZE = 25
RESPONSE_MAX_LENGTH = 5000


class TriageConflict(Exception):
    """Someone else saved this entry after the researcher opened it."""


class TriageProblem(ValueError):
    """A decision that cannot be saved; ``field`` names the form field to mark."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class InboxFilters:
    draft_id: int | None = None
    site_id: int | None = None
    round_id: int | None = None
    status: TriageStatus | None = None
    # A researcher's id, or 0 for "nobody".
    assignee_id: int | None = None

    def as_query(self) -> dict[str, str]:
        """The filters as URL query arguments (only those set)."""
        values = {
            "draft": self.draft_id,
            "site": self.site_id,
            "round": self.round_id,
            "status": self.status.value if self.status else None,
            "assignee": self.assignee_id,
        }
        return {name: str(value) for name, value in values.items() if value is not None}


@dataclass(frozen=True)
class InboxRow:
    entry: FeedbackEntry
    pseudonym_code: str
    # Does the author currently consent to being quoted (their latest answer to the panel's
    # quote agreement is "I agree")?
    quote_consent: bool = False


@dataclass(frozen=True)
class Page(paging.Page[Any]):
    """A page of the inbox or of My feedback, 25 to a page."""

    size: int = PAGE_SIZE
    # True when more entries match than were counted (``COUNTED_UP_TO``): ``total`` is then
    # that many, and whether a next page exists is known from the page itself.
    more: bool = False
    has_next: bool = False

    @property
    def count(self) -> int:
        return self.pages

    @property
    def next_page(self) -> bool:
        """Is there a page after this one? Beyond those counted, the page itself knows."""
        return self.has_next if self.more else self.number < self.count


@dataclass(frozen=True)
class TriageDecision:
    status: TriageStatus
    reason: str = ""
    duplicate_of_id: int | None = None
    assignee_id: int | None = None
    response: str = ""
    quoted: bool = False


@dataclass
class FilterChoices:
    drafts: list[tuple[int, str]] = field(default_factory=list)
    sites: list[tuple[int, str]] = field(default_factory=list)
    rounds: list[tuple[int, str]] = field(default_factory=list)
    researchers: list[tuple[int, str]] = field(default_factory=list)


# The inbox counts the entries its filters match up to this many; beyond it, it says "more
# than 1000 entries": counting reads every matching entry, so an exact count of a long-running
# study's inbox would cost more with every entry.
COUNTED_UP_TO = 1000


# --- loading ------------------------------------------------------------------------------


def _with_code(query: Select[Any]) -> Select[Any]:
    """Add the author's pseudonym code in this panel, and whether they consent to being quoted,
    to a query of entries."""
    consent = consents_to_quote(FeedbackEntry.panel_id, FeedbackEntry.author_id)
    return query.add_columns(Membership.pseudonym_code, consent).outerjoin(
        Membership,
        and_(
            Membership.panel_id == FeedbackEntry.panel_id,
            Membership.user_id == FeedbackEntry.author_id,
        ),
    )


# Which of the filters are set, and whether the assignee asked for is nobody (0) or someone:
# each such shape has its own statement, built once, with the filters' values bound when it runs.
FilterShape = tuple[bool, bool, bool, bool, str | None]


def _shape(filters: InboxFilters) -> FilterShape:
    assignee = None
    if filters.assignee_id is not None:
        assignee = "nobody" if filters.assignee_id == 0 else "someone"
    return (
        filters.draft_id is not None,
        filters.site_id is not None,
        filters.round_id is not None,
        filters.status is not None,
        assignee,
    )


def _filtered(query: Select[Any], shape: FilterShape) -> Select[Any]:
    draft, site, round_, status, assignee = shape
    query = query.where(FeedbackEntry.panel_id == bindparam("panel_id"))
    if draft:
        query = query.where(FeedbackEntry.draft_id == bindparam("draft_id"))
    if site:
        query = query.where(FeedbackEntry.site_id == bindparam("site_id"))
    if round_:
        query = query.where(FeedbackEntry.round_id == bindparam("round_id"))
    if status:
        query = query.where(FeedbackEntry.status == bindparam("status"))
    if assignee == "nobody":
        query = query.where(FeedbackEntry.assignee_id.is_(None))
    elif assignee == "someone":
        query = query.where(FeedbackEntry.assignee_id == bindparam("assignee_id"))
    return query


def inbox_values(panel_id: int, filters: InboxFilters, number: int = 1) -> dict[str, Any]:
    """The values the inbox's statements run with: the panel, the filters that are set, and
    where page ``number`` starts."""
    values: dict[str, Any] = {
        "panel_id": panel_id,
        "draft_id": filters.draft_id,
        "site_id": filters.site_id,
        "round_id": filters.round_id,
        "status": filters.status,
        "assignee_id": filters.assignee_id,
        "offset": (number - 1) * PAGE_SIZE,
    }
    return {name: value for name, value in values.items() if value is not None}


@cache
def _count_statement(shape: FilterShape) -> Select[Any]:
    matching = _filtered(select(FeedbackEntry.id), shape).limit(COUNTED_UP_TO + 1)
    return select(func.count()).select_from(matching.subquery())


def inbox_count_query(filters: InboxFilters) -> Select[Any]:
    """How many entries the filters match, counted up to one more than ``COUNTED_UP_TO`` (each
    filter has an index that answers it); run with ``inbox_values``."""
    return _count_statement(_shape(filters))


@cache
def _rows_statement(shape: FilterShape) -> Select[Any]:
    return (
        _with_code(_filtered(select(FeedbackEntry), shape))
        .options(
            joinedload(FeedbackEntry.author),
            joinedload(FeedbackEntry.assignee),
            joinedload(FeedbackEntry.draft),
            # The list shows the start of what was said, not all of it, nor the answer's words.
            defer(FeedbackEntry.text, raiseload=True),
            defer(FeedbackEntry.text_html, raiseload=True),
            defer(FeedbackEntry.response_html, raiseload=True),
        )
        .order_by(FeedbackEntry.created_at.desc(), FeedbackEntry.id.desc())
        # One row more than a page says whether there is a next page beyond those counted.
        .limit(PAGE_SIZE + 1)
        .offset(bindparam("offset", type_=Integer))
    )


def inbox_rows_query(filters: InboxFilters) -> Select[Any]:
    """A page of the entries the filters match, newest first, with pseudonym codes, and one
    more if there is one; run with ``inbox_values`` for the page's number."""
    return _rows_statement(_shape(filters))


def inbox_page(panel_id: int, filters: InboxFilters, number: int) -> Page:
    """One page of the inbox, newest first: two queries, built once for each combination of
    filters, and the same work however many entries there are (a count of every one would
    read each of them)."""
    counted = db.session.scalar(inbox_count_query(filters), inbox_values(panel_id, filters)) or 0
    more = counted > COUNTED_UP_TO
    total = min(counted, COUNTED_UP_TO)
    number = max(1, number) if more else min(max(1, number), paging.last_page(total, PAGE_SIZE))
    found = db.session.execute(inbox_rows_query(filters), inbox_values(panel_id, filters, number))
    rows = [InboxRow(entry, code or "", bool(consent)) for entry, code, consent in found]
    has_next = len(rows) > PAGE_SIZE
    return Page(rows=rows[:PAGE_SIZE], total=total, number=number, more=more, has_next=has_next)


# Built once with their values bound when they run: asked on every inbox page, where building a
# statement costs more than running it (README: "What keeps pages fast").
@cache
def _researchers_of() -> Select[Any]:
    return (
        select(User.id, User.display_name)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.panel_id == bindparam("panel_id"),
            Membership.active.is_(True),
            Membership.role == Role.RESEARCHER,
        )
        .order_by(User.display_name)
    )


@cache
def _drafts_to_filter() -> Select[Any]:
    return (
        select(Draft.id, Draft.title)
        .where(Draft.panel_id == bindparam("panel_id"))
        .order_by(Draft.title)
    )


@cache
def _rounds_to_filter() -> Select[Any]:
    return (
        select(ReviewRound.id, DraftVersion.title, DraftVersion.number, ReviewRound.opened_at)
        .join(DraftVersion, DraftVersion.id == ReviewRound.version_id)
        .where(ReviewRound.panel_id == bindparam("panel_id"))
        .order_by(ReviewRound.opened_at.desc())
    )


def researchers_of(panel_id: int) -> list[tuple[int, str]]:
    """The panel's active researchers as (user id, name), by name."""
    return [
        (user_id, name)
        for user_id, name in db.session.execute(_researchers_of(), {"panel_id": panel_id})
    ]


def filter_choices(panel_id: int) -> FilterChoices:
    """What the inbox's filters offer: four queries."""
    drafts = db.session.execute(_drafts_to_filter(), {"panel_id": panel_id})
    rounds = db.session.execute(_rounds_to_filter(), {"panel_id": panel_id})
    return FilterChoices(
        drafts=[(draft_id, title) for draft_id, title in drafts],
        sites=[(site.id, site.name) for site in sites_of(panel_id)],
        rounds=[
            (round_id, gettext("%(title)s, version %(number)d", title=title, number=number))
            for round_id, title, number, _opened in rounds
        ],
        researchers=researchers_of(panel_id),
    )


def get_entry(panel_id: int, entry_id: int) -> InboxRow | None:
    """An entry of this panel with its author, assignee and draft, or None (the view: 404)."""
    query = _with_code(
        select(FeedbackEntry)
        .where(FeedbackEntry.id == entry_id, FeedbackEntry.panel_id == panel_id)
        .options(
            joinedload(FeedbackEntry.author),
            joinedload(FeedbackEntry.assignee),
            joinedload(FeedbackEntry.draft),
        )
    )
    found = db.session.execute(query).first()
    if found is None:
        return None
    return InboxRow(found[0], found[1] or "", bool(found[2]))


# --- changing -----------------------------------------------------------------------------


def triage_entry(
    entry: FeedbackEntry, decision: TriageDecision, lock_version: int, by_user_id: int
) -> None:
    """Save a researcher's decision about an entry, unless someone saved it since.

    Raises ``TriageConflict`` (nothing changed) or ``TriageProblem`` (a bad duplicate or
    assignee). Emails a newly assigned researcher, and the member when the response changes.
    """
    if entry.lock_version != lock_version:
        raise TriageConflict
    if decision.quoted and entry.quoted_at is None:
        if entry.author_id not in quote_consenting(entry.panel_id, [entry.author_id]):
            raise TriageProblem(
                "quoted",
                gettext(
                    "This member has not agreed to be quoted, so their words cannot be used in "
                    "a report. Ask them first, or leave this unticked."
                ),
            )
    if decision.status is TriageStatus.DUPLICATE:
        original = db.session.scalar(
            select(FeedbackEntry.id).where(
                FeedbackEntry.id == decision.duplicate_of_id,
                FeedbackEntry.panel_id == entry.panel_id,
            )
        )
        if original is None or original == entry.id:
            raise TriageProblem(
                "duplicate_of", gettext("Enter the number of another entry in this inbox")
            )
    if decision.assignee_id is not None and decision.assignee_id not in dict(
        researchers_of(entry.panel_id)
    ):
        raise TriageProblem("assignee_id", gettext("Choose a researcher of this panel"))

    newly_assigned = decision.assignee_id is not None and decision.assignee_id != entry.assignee_id
    entry.status = decision.status
    entry.reason = decision.reason
    entry.duplicate_of_id = decision.duplicate_of_id
    entry.assignee_id = decision.assignee_id
    answered = decision.response and decision.response != entry.response
    entry.response = decision.response
    if answered:
        entry.responded_at = utcnow()
        entry.responded_by_id = by_user_id
        entry.response_seen_at = None
    if decision.quoted and entry.quoted_at is None:
        entry.quoted_at = utcnow()
        record(
            AuditAction.QUOTED_IN_REPORT,
            subject_user_id=entry.author_id,
            panel_id=entry.panel_id,
            detail=f"entry {entry.id}",
        )
    elif not decision.quoted:
        entry.quoted_at = None
    entry.lock_version += 1
    try:
        db.session.flush()
    except StaleDataError as error:
        db.session.rollback()
        raise TriageConflict from error
    if newly_assigned and decision.assignee_id != by_user_id:
        _tell_assignee(entry, decision.assignee_id)  # type: ignore[arg-type]
    if answered:
        _tell_member(entry)


def bulk_set_status(
    panel_id: int, entry_ids: Sequence[int], status: TriageStatus, reason: str = ""
) -> int:
    """Give several entries of this panel one status; returns how many changed.

    Each changed entry's ``lock_version`` goes up, so a triage page opened before is a conflict.
    """
    if status is TriageStatus.DUPLICATE:
        raise ValueError("duplicates are marked one at a time")
    result = db.session.execute(
        update(FeedbackEntry)
        .where(FeedbackEntry.panel_id == panel_id, FeedbackEntry.id.in_(list(entry_ids)))
        .values(
            status=status,
            reason=reason if status is TriageStatus.NOT_ACTIONED else "",
            duplicate_of_id=None,
            lock_version=FeedbackEntry.lock_version + 1,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _locale_of(user: User) -> str:
    return user.language or current_app.config["DEFAULT_LOCALE"]


def _tell_assignee(entry: FeedbackEntry, assignee_id: int) -> None:
    assignee = db.session.get(User, assignee_id)
    if assignee is None:
        return
    with force_locale(_locale_of(assignee)):
        subject = gettext("Feedback for you to look at")
    tell(
        assignee,
        Kind.ASSIGNED,
        subject=subject,
        template="feedback_assigned",
        link=public_link(f"/panels/{entry.panel_id}/inbox/{entry.id}"),
        panel_id=entry.panel_id,
        name=assignee.display_name,
        entry_number=entry.id,
    )


def _tell_member(entry: FeedbackEntry) -> None:
    author = db.session.get(User, entry.author_id)
    if author is None:
        return
    with force_locale(_locale_of(author)):
        subject = gettext("The study team has answered your feedback")
    tell(
        author,
        Kind.FEEDBACK_ANSWER,
        subject=subject,
        template="feedback_response",
        link=public_link(f"/panels/{entry.panel_id}/my-feedback"),
        panel_id=entry.panel_id,
        name=author.display_name,
        said="" if entry.withdrawn else entry.text,
        response=entry.response,
    )
