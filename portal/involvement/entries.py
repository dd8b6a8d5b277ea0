"""Involvement entries: made by what happens in the portal (attendance, a review round's check
sent, a named questionnaire sent) or by the study team by hand, then approved, paid or declined.

Other domains call one function each (``record_meeting_attendance``, ``record_round_check``,
``record_questionnaire``) from their own service, so the entry is in the same transaction as
the change that caused it. Anonymous questionnaires never reach this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update

from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.extensions import db
from portal.involvement.choices import choice_of, payable_fee
from portal.involvement.models import (
    ActivityKind,
    EntryStatus,
    InvolvementEntry,
)
from portal.involvement.rates import fee_for, rate_on
from portal.meetings.times import in_london


def london_today() -> date:
    return in_london(utcnow()).date()


CHANGEABLE = (EntryStatus.WAITING, EntryStatus.APPROVED)


class EntryProblem(ValueError):
    """A change that cannot be made to this entry (already paid, say); shown to the person."""


def _new_entry(
    panel_id: int,
    user_id: int,
    kind: ActivityKind,
    title: str,
    day: date,
    minutes: int | None,
    source_key: str | None = None,
    created_by_id: int | None = None,
) -> InvolvementEntry:
    rate = rate_on(panel_id, kind, day)
    if minutes is None:
        minutes = rate.usual_minutes if rate is not None else 0
    full_fee = fee_for(rate.rule, rate.amount_pence, minutes) if rate is not None else 0
    entry = InvolvementEntry(
        panel_id=panel_id,
        user_id=user_id,
        kind=kind,
        title=title[:300],
        activity_date=day,
        minutes=minutes,
        rate_id=rate.id if rate is not None else None,
        rate_rule=rate.rule if rate is not None else None,
        rate_amount_pence=rate.amount_pence if rate is not None else 0,
        full_fee_pence=full_fee,
        fee_pence=payable_fee(full_fee, choice_of(panel_id, user_id)),
        expenses_pence=rate.extra_pence if rate is not None else 0,
        status=EntryStatus.WAITING,
        source_key=source_key,
        created_by_id=created_by_id,
    )
    db.session.add(entry)
    return entry


def _by_source(source_key: str) -> InvolvementEntry | None:
    return db.session.scalar(
        select(InvolvementEntry).where(InvolvementEntry.source_key == source_key)
    )


def _record_once(
    panel_id: int,
    user_id: int,
    kind: ActivityKind,
    title: str,
    day: date,
    minutes: int | None,
    source_key: str,
) -> InvolvementEntry:
    found = _by_source(source_key)
    if found is not None:
        if found.status is EntryStatus.REMOVED and found.removed_reason == "not attended":
            found.status = EntryStatus.WAITING
            found.removed_reason = ""
        return found
    entry = _new_entry(panel_id, user_id, kind, title, day, minutes, source_key)
    db.session.flush()
    return entry


def record_meeting_attendance(
    panel_id: int,
    meeting_id: int,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    attended: dict[int, bool],
) -> None:
    """Attendance was recorded: an entry for each person marked attended (once, however often
    the sheet is saved); a waiting entry of someone no longer marked attended is taken away."""
    minutes = max(0, int((ends_at - starts_at).total_seconds() // 60))
    day = in_london(starts_at).date()
    for user_id, came in attended.items():
        key = f"meeting:{meeting_id}:{user_id}"
        if came:
            _record_once(panel_id, user_id, ActivityKind.MEETING, title, day, minutes, key)
            continue
        found = _by_source(key)
        if found is not None and found.status is EntryStatus.WAITING:
            found.status = EntryStatus.REMOVED
            found.removed_reason = "not attended"


def record_round_check(panel_id: int, round_id: int, title: str, user_id: int) -> None:
    """A member sent their omission check: one entry per round, whenever they send changes."""
    _record_once(
        panel_id,
        user_id,
        ActivityKind.REVIEW_ROUND,
        title,
        london_today(),
        None,
        f"round:{round_id}:{user_id}",
    )


def record_questionnaire(panel_id: int, questionnaire_id: int, title: str, user_id: int) -> None:
    """A member sent a named questionnaire. Never called for an anonymous one."""
    _record_once(
        panel_id,
        user_id,
        ActivityKind.QUESTIONNAIRE,
        title,
        london_today(),
        None,
        f"questionnaire:{questionnaire_id}:{user_id}",
    )


@dataclass(frozen=True)
class EntryDetails:
    user_id: int
    kind: ActivityKind
    title: str
    activity_date: date
    minutes: int


def add_entry(panel_id: int, details: EntryDetails, staff_id: int) -> InvolvementEntry:
    """The study team adds something by hand (preparation time, a talk at a conference)."""
    entry = _new_entry(
        panel_id,
        details.user_id,
        details.kind,
        details.title,
        details.activity_date,
        details.minutes,
        created_by_id=staff_id,
    )
    db.session.flush()
    record(
        AuditAction.INVOLVEMENT_ENTRY_ADDED,
        panel_id=panel_id,
        subject_user_id=details.user_id,
        detail=f"entry {entry.id}: {details.kind.value}",
    )
    return entry


def correct_entry(
    entry: InvolvementEntry, title: str, day: date, minutes: int, reason: str
) -> None:
    """Change an entry not yet paid; the fee is worked out again from the rate it keeps."""
    if entry.status not in CHANGEABLE:
        raise EntryProblem("paid")
    entry.title = title
    entry.activity_date = day
    entry.minutes = minutes
    if entry.rate_rule is not None:
        entry.full_fee_pence = fee_for(entry.rate_rule, entry.rate_amount_pence, minutes)
        entry.fee_pence = payable_fee(
            entry.full_fee_pence, choice_of(entry.panel_id, entry.user_id)
        )
    record(
        AuditAction.INVOLVEMENT_ENTRY_CORRECTED,
        panel_id=entry.panel_id,
        subject_user_id=entry.user_id,
        detail=f"entry {entry.id}: {reason}",
    )


def remove_entry(entry: InvolvementEntry, reason: str) -> None:
    """Take away an entry not yet paid, with the reason (kept in the audit log)."""
    if entry.status not in CHANGEABLE:
        raise EntryProblem("paid")
    entry.status = EntryStatus.REMOVED
    entry.removed_reason = reason
    record(
        AuditAction.INVOLVEMENT_ENTRY_REMOVED,
        panel_id=entry.panel_id,
        subject_user_id=entry.user_id,
        detail=f"entry {entry.id}: {reason}",
    )


def approve_entries(panel_id: int, entry_ids: list[int], staff_id: int) -> int:
    """Approve waiting entries for payment, in one conditional UPDATE: an entry someone else
    already approved or paid is left as it is. Returns how many were approved."""
    if not entry_ids:
        return 0
    result = db.session.execute(
        update(InvolvementEntry)
        .where(
            InvolvementEntry.panel_id == panel_id,
            InvolvementEntry.id.in_(entry_ids),
            InvolvementEntry.status == EntryStatus.WAITING,
        )
        .values(status=EntryStatus.APPROVED, approved_at=utcnow(), approved_by_id=staff_id)
        .execution_options(synchronize_session=False)
    )
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if count:
        record(
            AuditAction.INVOLVEMENT_ENTRIES_APPROVED,
            panel_id=panel_id,
            detail=f"{count} entries",
        )
    return count


def decline_payment(entry: InvolvementEntry) -> None:
    """The member chose not to be paid for this one. Nothing asks why."""
    if entry.status not in CHANGEABLE or entry.total_pence == 0:
        raise EntryProblem("paid")
    entry.status = EntryStatus.DECLINED
    record(
        AuditAction.INVOLVEMENT_PAYMENT_DECLINED,
        panel_id=entry.panel_id,
        subject_user_id=entry.user_id,
        detail=f"entry {entry.id}",
    )


def get_entry(panel_id: int, entry_id: int) -> InvolvementEntry | None:
    return db.session.scalar(
        select(InvolvementEntry).where(
            InvolvementEntry.panel_id == panel_id, InvolvementEntry.id == entry_id
        )
    )


def entries_of(
    panel_id: int, user_id: int, start: date | None = None, end: date | None = None
) -> list[InvolvementEntry]:
    """A person's entries in a panel (removed ones left out), newest first. One query."""
    query = select(InvolvementEntry).where(
        InvolvementEntry.panel_id == panel_id,
        InvolvementEntry.user_id == user_id,
        InvolvementEntry.status != EntryStatus.REMOVED,
    )
    if start is not None:
        query = query.where(InvolvementEntry.activity_date >= start)
    if end is not None:
        query = query.where(InvolvementEntry.activity_date <= end)
    return list(
        db.session.scalars(
            query.order_by(InvolvementEntry.activity_date.desc(), InvolvementEntry.id.desc())
        )
    )
