"""The English a translated summary is written against: what members read, and its fingerprint.

One function per kind of subject gives the member-visible English as plain text, in the order
members read it. Its SHA-256 is the fingerprint a summary keeps; when the subject's current
fingerprint differs, the English has changed since and the summary is out of date.

``current_fingerprints`` works them out for many subjects at once in a fixed number of queries
(one per kind), so a list of summaries never asks the database once per row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.drafts.models import Draft, DraftVersion
from portal.extensions import db
from portal.meetings.models import Meeting
from portal.questionnaires.models import Questionnaire
from portal.summaries.models import SubjectKind


def _joined(parts: Iterable[str]) -> str:
    """The parts members read, one paragraph each, with line endings and outer spaces evened
    out, so saving the same words again never counts as a change."""
    cleaned = (part.replace("\r\n", "\n").replace("\r", "\n").strip() for part in parts)
    return "\n\n".join(part for part in cleaned if part)


def english_of_draft(version: DraftVersion) -> str:
    """A published version as members read it: its title, summary and each item's words.
    Needs the version's items loaded."""
    parts = [version.title, version.summary]
    for item in version.items:
        parts += [item.title, item.theme, item.description]
        parts += [item.what, item.who, item.by_when, item.resources]
    return _joined(parts)


def english_of_questionnaire(questionnaire: Questionnaire) -> str:
    """A questionnaire as members read it: its title, introduction, privacy note and every
    question with its help and choices. Needs the questions loaded."""
    parts = [questionnaire.title, questionnaire.introduction, questionnaire.privacy_note]
    for question in questionnaire.questions:
        parts += [question.text, question.help_text, *question.options]
    return _joined(parts)


def english_of_meeting(meeting: Meeting) -> str:
    """A meeting as members read it: its title, where it is, accessibility and, once the pack
    is shared with members, the agenda and the summary of previous results. Needs the agenda
    items loaded."""
    parts = [meeting.title, meeting.venue, meeting.accessibility_info]
    if meeting.pack_published_at is not None:
        for item in meeting.agenda_items:
            parts += [item.title, item.lead, item.description]
        parts.append(meeting.previous_results_summary)
    return _joined(parts)


def fingerprint(english: str) -> str:
    """The SHA-256 of the English, as 64 hex digits."""
    return hashlib.sha256(english.encode("utf-8")).hexdigest()


def latest_versions(draft_ids: Iterable[int]) -> dict[int, DraftVersion]:
    """Each draft's latest published version with its items, in one query. Drafts never
    published are left out: members cannot read them yet."""
    ids = set(draft_ids)
    if not ids:
        return {}
    versions = db.session.scalars(
        select(DraftVersion)
        .join(Draft, Draft.id == DraftVersion.draft_id)
        .where(Draft.id.in_(ids), DraftVersion.number == Draft.latest_version_number)
        .options(joinedload(DraftVersion.items))
    ).unique()
    return {version.draft_id: version for version in versions}


@dataclass(frozen=True)
class English:
    """A subject's title and the English members read now."""

    title: str
    text: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.text)


def english_texts(kind: SubjectKind, subject_ids: Iterable[int]) -> dict[int, English]:
    """The member-visible English of each subject of one kind, in one query."""
    ids = set(subject_ids)
    if not ids:
        return {}
    if kind is SubjectKind.DRAFT:
        return {
            key: English(version.title, english_of_draft(version))
            for key, version in latest_versions(ids).items()
        }
    if kind is SubjectKind.QUESTIONNAIRE:
        questionnaires = db.session.scalars(
            select(Questionnaire)
            .where(Questionnaire.id.in_(ids))
            .options(joinedload(Questionnaire.questions))
        ).unique()
        return {q.id: English(q.title, english_of_questionnaire(q)) for q in questionnaires}
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.id.in_(ids)).options(joinedload(Meeting.agenda_items))
    ).unique()
    return {meeting.id: English(meeting.title, english_of_meeting(meeting)) for meeting in meetings}


def current_fingerprints(kind: SubjectKind, subject_ids: Iterable[int]) -> dict[int, str]:
    """The current fingerprint of each subject of one kind (none for a draft never published)."""
    return {key: english.fingerprint for key, english in english_texts(kind, subject_ids).items()}
