"""A review round's results as files for analysis: an XLSX workbook or a zip of CSV files.

People appear only as their pseudonym code (``LEAP-07``): never a name or an email address.
The files themselves (safe cells, the data dictionary) are written by ``portal/spreadsheets.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from portal.agreements.service import consents_to_quote
from portal.drafts.models import VersionItem
from portal.extensions import db
from portal.feedback.models import EntryKind, FeedbackEntry
from portal.panels.models import Membership
from portal.rounds.models import ItemAnswer, MissingAction, OmissionCheck, ReviewRound
from portal.spreadsheets import Sheet

UNKNOWN_PERSON = "unknown"


def _response_rows(review_round: ReviewRound) -> list[Sequence[Any]]:
    rows = db.session.execute(
        select(
            Membership.pseudonym_code,
            OmissionCheck.submitted_at,
            VersionItem.position,
            VersionItem.key,
            VersionItem.title,
            ItemAnswer.resonance,
            ItemAnswer.comment,
            _may_quote(),
        )
        .select_from(ItemAnswer)
        .join(OmissionCheck, OmissionCheck.id == ItemAnswer.check_id)
        .join(VersionItem, VersionItem.id == ItemAnswer.version_item_id)
        .outerjoin(Membership, _membership_of(OmissionCheck.user_id, review_round))
        .where(_submitted(review_round))
        .order_by(OmissionCheck.id, VersionItem.position)
    )
    return [
        (
            code or UNKNOWN_PERSON,
            sent,
            position,
            key,
            title,
            answer.value if answer else "",
            text,
            quote,
        )
        for code, sent, position, key, title, answer, text, quote in rows
    ]


def _missing_rows(review_round: ReviewRound) -> list[Sequence[Any]]:
    rows = db.session.execute(
        select(
            Membership.pseudonym_code,
            OmissionCheck.submitted_at,
            MissingAction.description,
            MissingAction.why_it_matters,
            _may_quote(),
        )
        .select_from(MissingAction)
        .join(OmissionCheck, OmissionCheck.id == MissingAction.check_id)
        .outerjoin(Membership, _membership_of(OmissionCheck.user_id, review_round))
        .where(_submitted(review_round))
        .order_by(OmissionCheck.id, MissingAction.position, MissingAction.id)
    )
    return [(code or UNKNOWN_PERSON, *rest) for code, *rest in rows]


def _other_rows(review_round: ReviewRound) -> list[Sequence[Any]]:
    rows = db.session.execute(
        select(
            Membership.pseudonym_code,
            OmissionCheck.submitted_at,
            OmissionCheck.rewording,
            OmissionCheck.general_comment,
            _may_quote(),
        )
        .select_from(OmissionCheck)
        .outerjoin(Membership, _membership_of(OmissionCheck.user_id, review_round))
        .where(_submitted(review_round))
        .order_by(OmissionCheck.id)
    )
    return [(code or UNKNOWN_PERSON, *rest) for code, *rest in rows]


def _triage_rows(review_round: ReviewRound) -> list[Sequence[Any]]:
    author = aliased(Membership)
    assignee = aliased(Membership)
    draft_id = review_round.version.draft_id
    rows = db.session.execute(
        select(
            FeedbackEntry.id,
            author.pseudonym_code,
            FeedbackEntry.created_at,
            FeedbackEntry.kind,
            FeedbackEntry.item_title,
            FeedbackEntry.text,
            FeedbackEntry.withdrawn,
            FeedbackEntry.status,
            FeedbackEntry.reason,
            FeedbackEntry.duplicate_of_id,
            assignee.pseudonym_code,
            FeedbackEntry.response,
            FeedbackEntry.responded_at,
            consents_to_quote(FeedbackEntry.panel_id, FeedbackEntry.author_id),
        )
        .select_from(FeedbackEntry)
        .outerjoin(
            author,
            and_(
                author.user_id == FeedbackEntry.author_id,
                author.panel_id == FeedbackEntry.panel_id,
            ),
        )
        .outerjoin(
            assignee,
            and_(
                assignee.user_id == FeedbackEntry.assignee_id,
                assignee.panel_id == FeedbackEntry.panel_id,
            ),
        )
        .where(
            FeedbackEntry.panel_id == review_round.panel_id,
            or_(
                FeedbackEntry.round_id == review_round.id,
                and_(
                    FeedbackEntry.draft_id == draft_id,
                    FeedbackEntry.kind == EntryKind.COMMENT,
                ),
            ),
        )
        .order_by(FeedbackEntry.id)
    )
    found = []
    for row in rows:
        (entry_id, code, created, kind, item, text, withdrawn, status, reason, dup, who) = row[:11]
        found.append(
            (
                entry_id,
                code or UNKNOWN_PERSON,
                created,
                kind.value,
                item,
                "" if withdrawn else text,  # a withdrawn comment's words are not kept in view
                withdrawn,
                status.value,
                reason,
                dup,
                who or "",
                row[11],
                row[12],
                row[13],
            )
        )
    return found


def _may_quote() -> Any:
    """Whether the person who sent the check consents, now, to being quoted."""
    return consents_to_quote(Membership.panel_id, OmissionCheck.user_id)


def _membership_of(user_id: Any, review_round: ReviewRound) -> Any:
    return and_(Membership.user_id == user_id, Membership.panel_id == review_round.panel_id)


def _submitted(review_round: ReviewRound) -> Any:
    return and_(OmissionCheck.round_id == review_round.id, OmissionCheck.submitted_at.is_not(None))


def _participant_meaning() -> str:
    return gettext("The person's pseudonym code in this panel, such as LEAP-07. Never a name.")


def _sent_meaning() -> str:
    return gettext("When they sent their answers (UTC, year-month-day hours:minutes:seconds).")


def round_sheets(review_round: ReviewRound) -> list[Sheet]:
    """The round's results as tables: answers, missing actions, other comments and triage."""
    participant = ("participant", _participant_meaning())
    sent = ("submitted_at", _sent_meaning())
    may_quote = (
        "may_quote",
        gettext(
            "yes when the person consents, now, to being quoted (never by name); no when they "
            "have not agreed or withdrew."
        ),
    )
    return [
        Sheet(
            "responses",
            gettext("One row for each answer a person gave about one item."),
            (
                participant,
                sent,
                ("item_number", gettext("The item's place in the list, starting at 1.")),
                ("item_key", gettext("The item's stable identifier; the same in every version.")),
                ("item_title", gettext("The item's title in this version.")),
                (
                    "answer",
                    gettext(
                        "Does the item match their lived experience? strongly = Yes, strongly; "
                        "partly = Yes, partly; no = No; not_sure = Not sure; empty = no answer."
                    ),
                ),
                ("item_comment", gettext("What they wrote about this item, if anything.")),
                may_quote,
            ),
            _response_rows(review_round),
        ),
        Sheet(
            "missing_actions",
            gettext("One row for each important thing a person said is missing."),
            (
                participant,
                sent,
                ("description", gettext("What they said is missing.")),
                ("why_it_matters", gettext("Why it matters to them, if they said.")),
                may_quote,
            ),
            _missing_rows(review_round),
        ),
        Sheet(
            "other_comments",
            gettext("One row for each person who sent their answers."),
            (
                participant,
                sent,
                ("rewording", gettext("What they think should be worded differently.")),
                ("general_comment", gettext("Anything else they wanted to say.")),
                may_quote,
            ),
            _other_rows(review_round),
        ),
        Sheet(
            "triage",
            gettext(
                "What the study team decided about each thing said in this round, and each "
                "comment on this draft."
            ),
            (
                ("entry_id", gettext("The entry's number in the study team's inbox.")),
                participant,
                ("created_at", gettext("When it reached the inbox (UTC).")),
                (
                    "kind",
                    gettext(
                        "comment = a comment on the draft or an item; item_answer = a comment in "
                        "an omission check; missing_action; rewording; general = a general comment."
                    ),
                ),
                ("item_title", gettext("The item it is about, if any.")),
                ("text", gettext("What the person said. Empty when they withdrew it.")),
                ("withdrawn", gettext("yes when the person withdrew it.")),
                (
                    "status",
                    gettext(
                        "new, acknowledged, actioned, not_actioned (see reason) or duplicate "
                        "(see duplicate_of)."
                    ),
                ),
                ("reason", gettext("Why it was not actioned.")),
                ("duplicate_of", gettext("The entry_id it repeats.")),
                ("assignee", gettext("Pseudonym code of the researcher looking after it.")),
                ("response", gettext("The study team's answer to the person.")),
                ("responded_at", gettext("When the answer was given (UTC).")),
                may_quote,
            ),
            _triage_rows(review_round),
        ),
    ]
