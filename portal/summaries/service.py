"""Translated summaries: writing, checking and removing them, and loading them for pages.

Every change checks the ``lock_version`` the editor started from: if a colleague saved the same
summary in between, ``EditConflict`` is raised and nothing is changed, so the view can show what
is saved now and keep what the second person typed. Nothing here commits: changes commit with
the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from portal.access import ACTIONS, Action
from portal.db import utcnow
from portal.extensions import db
from portal.languages import LANGUAGES, TRANSLATED, direction
from portal.panels.models import Membership
from portal.summaries.english import English, current_fingerprints, english_texts
from portal.summaries.models import SUBJECT_COLUMNS, SubjectKind, TranslatedSummary


class EditConflict(Exception):
    """Someone else saved, added or removed this summary after the editor opened it."""


class NothingToSummarise(Exception):
    """Members cannot read the subject yet (a draft with no published version)."""


@dataclass(frozen=True)
class Subject:
    """What a summary summarises: a draft, a questionnaire or a meeting of a panel."""

    kind: SubjectKind
    id: int
    panel_id: int
    title: str

    @property
    def url_args(self) -> dict[str, int]:
        """The values its pages' addresses need."""
        return {"panel_id": self.panel_id, SUBJECT_COLUMNS[self.kind]: self.id}


@dataclass(frozen=True)
class LanguageRow:
    """One language on a subject's team page: its summary, if written, and whether the English
    has changed since."""

    language: str
    name: str
    summary: TranslatedSummary | None
    out_of_date: bool

    @property
    def direction(self) -> str:
        return direction(self.language)


@dataclass(frozen=True)
class ReaderSummary:
    """The summary a member reads in their language beside the English."""

    language: str
    name: str
    summary: TranslatedSummary
    out_of_date: bool

    @property
    def direction(self) -> str:
        return direction(self.language)


@dataclass(frozen=True)
class OutOfDate:
    """A summary whose English has changed since, for the study team's to-do list."""

    summary: TranslatedSummary
    name: str
    title: str

    @property
    def direction(self) -> str:
        return direction(self.summary.language)


def _of(kind: SubjectKind, subject_id: int) -> object:
    return getattr(TranslatedSummary, SUBJECT_COLUMNS[kind]) == subject_id


def _with_people() -> tuple[object, ...]:
    return (
        selectinload(TranslatedSummary.written_by),
        selectinload(TranslatedSummary.checked_by),
    )


# --- loading ------------------------------------------------------------------------------


def current_english(subject: Subject) -> English | None:
    """The subject's English as members read it now (None for a draft never published)."""
    return english_texts(subject.kind, [subject.id]).get(subject.id)


def current_fingerprint(subject: Subject) -> str | None:
    """The fingerprint of the subject's English as members read it now (None for a draft never
    published)."""
    english = current_english(subject)
    return english.fingerprint if english is not None else None


def get_summary(subject: Subject, language: str) -> TranslatedSummary | None:
    """The subject's summary in ``language``, with who wrote and checked it, or None."""
    return db.session.scalar(
        select(TranslatedSummary)
        .where(
            _of(subject.kind, subject.id),
            TranslatedSummary.panel_id == subject.panel_id,
            TranslatedSummary.language == language,
        )
        .options(*_with_people())
    )


def is_out_of_date(summary: TranslatedSummary, current: str | None) -> bool:
    return current is not None and summary.english_sha256 != current


def team_rows(subject: Subject) -> list[LanguageRow]:
    """Every translated language for the subject's team page, written or not, in a fixed number
    of queries."""
    summaries = {
        summary.language: summary
        for summary in db.session.scalars(
            select(TranslatedSummary)
            .where(_of(subject.kind, subject.id), TranslatedSummary.panel_id == subject.panel_id)
            .options(*_with_people())
        )
    }
    current = current_fingerprint(subject) if summaries else None
    return [
        LanguageRow(
            language=code,
            name=LANGUAGES[code],
            summary=summaries.get(code),
            out_of_date=code in summaries and is_out_of_date(summaries[code], current),
        )
        for code in TRANSLATED
    ]


def reader_summary(kind: SubjectKind, subject_id: int, language: str) -> ReaderSummary | None:
    """The summary in the reader's language, if there is one, and whether it is out of date.
    English readers (and languages the portal has no summaries in) get None, with no query."""
    if language not in TRANSLATED:
        return None
    summary = db.session.scalar(
        select(TranslatedSummary).where(
            _of(kind, subject_id), TranslatedSummary.language == language
        )
    )
    if summary is None:
        return None
    current = current_fingerprints(kind, [subject_id]).get(subject_id)
    return ReaderSummary(
        language=language,
        name=LANGUAGES[language],
        summary=summary,
        out_of_date=is_out_of_date(summary, current),
    )


# Asked on the team's home page: built once with its values bound when it runs (README: "What
# keeps pages fast").
@cache
def _summaries_in() -> Select[Any]:
    return (
        select(TranslatedSummary)
        .where(TranslatedSummary.panel_id.in_(bindparam("panel_ids", expanding=True)))
        .order_by(TranslatedSummary.written_at, TranslatedSummary.id)
    )


def out_of_date_in_panels(panel_kinds: dict[int, set[SubjectKind]]) -> list[OutOfDate]:
    """Every summary whose English has changed since it was written, of the kinds of subject
    given for each panel, oldest first: one query for the summaries and one for each kind."""
    if not panel_kinds:
        return []
    summaries = [
        summary
        for summary in db.session.scalars(_summaries_in(), {"panel_ids": list(panel_kinds)})
        if summary.subject_kind in panel_kinds[summary.panel_id]
    ]
    english: dict[SubjectKind, dict[int, English]] = {}
    for kind in SubjectKind:
        english[kind] = english_texts(
            kind, {s.subject_id for s in summaries if s.subject_kind is kind}
        )
    found = []
    for summary in summaries:
        now = english[summary.subject_kind].get(summary.subject_id)
        if now is not None and summary.english_sha256 != now.fingerprint:
            found.append(OutOfDate(summary, LANGUAGES.get(summary.language, ""), now.title))
    return found


# --- changing -----------------------------------------------------------------------------


def _flush_or_conflict() -> None:
    """Write pending changes now, turning a colleague's save in between into ``EditConflict``."""
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as error:
        db.session.rollback()
        raise EditConflict from error


def save_summary(
    subject: Subject,
    language: str,
    text: str,
    written_by_id: int,
    lock_version: int,
    now: datetime | None = None,
) -> TranslatedSummary:
    """Add or change the subject's summary in ``language``, written against the English members
    read now, so it is current again.

    ``lock_version`` is the version the editor started from: 0 for a new summary. If a colleague
    added, changed or removed it since, ``EditConflict`` is raised and nothing changes.
    """
    if language not in TRANSLATED:
        raise ValueError(f"no summaries in {language!r}")
    current = current_fingerprint(subject)
    if current is None:
        raise NothingToSummarise
    summary = get_summary(subject, language)
    if (summary.lock_version if summary else 0) != lock_version:
        raise EditConflict
    if summary is None:
        summary = TranslatedSummary(panel_id=subject.panel_id, language=language, lock_version=0)
        setattr(summary, SUBJECT_COLUMNS[subject.kind], subject.id)
        db.session.add(summary)
    summary.text = text
    summary.written_by_id = written_by_id
    summary.written_at = now or utcnow()
    summary.checked_by_id = None
    summary.checked_at = None
    summary.english_sha256 = current
    summary.lock_version += 1
    _flush_or_conflict()
    return summary


def confirm_still_matches(
    subject: Subject,
    summary: TranslatedSummary,
    checked_by_id: int,
    lock_version: int,
    now: datetime | None = None,
) -> None:
    """Record that someone checked the summary against the English members read now and it
    still matches: it is current again, and says who checked it and when."""
    if summary.lock_version != lock_version:
        raise EditConflict
    current = current_fingerprint(subject)
    if current is None:
        raise NothingToSummarise
    summary.english_sha256 = current
    summary.checked_by_id = checked_by_id
    summary.checked_at = now or utcnow()
    summary.lock_version += 1
    _flush_or_conflict()


def remove_summary(summary: TranslatedSummary, lock_version: int) -> None:
    """Remove a summary, unless a colleague changed it since the remover looked at it."""
    if summary.lock_version != lock_version:
        raise EditConflict
    db.session.delete(summary)
    _flush_or_conflict()


# --- the study team's home page -----------------------------------------------------------

# Who looks after each kind of subject's summaries: those who may edit the subject itself.
EDITED_WITH = {
    SubjectKind.DRAFT: Action.DRAFT_EDIT,
    SubjectKind.QUESTIONNAIRE: Action.QUESTIONNAIRE_BUILD,
    SubjectKind.MEETING: Action.MEETING_MANAGE,
}
HOME_LIMIT = 10


def home_summaries(user_id: int, memberships: list[Membership]) -> dict[str, Any]:
    """The home page's to-do: summaries this person may change whose English has changed since
    they were written (the first few, and how many there are). Four queries at most."""
    kinds = {
        membership.panel_id: {
            kind for kind, action in EDITED_WITH.items() if membership.role in ACTIONS[action]
        }
        for membership in memberships
    }
    found = out_of_date_in_panels({panel: wanted for panel, wanted in kinds.items() if wanted})
    return {"out_of_date": found[:HOME_LIMIT], "more": max(len(found) - HOME_LIMIT, 0)}
