"""Download my data: a plain zip of everything the portal holds about one person.

The worker makes it (``make_waiting_copies``), so a large record never holds up a web request.
The zip has no password (any computer's own tools open it): ``my-data.html`` to read,
``my-data.json`` for machines, and a PDF copy of each agreement as the person saw it. Anonymous
questionnaire answers are stored with no link to anyone, so they cannot be included.
"""

from __future__ import annotations

import enum
import hashlib
import io
import json
import secrets
import zipfile
from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask, current_app, has_app_context, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import DeclarativeBase

from portal.accounts.models import User, UserSession
from portal.agreements.models import AgreementRecord
from portal.audit.models import AuditEvent
from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.extensions import db
from portal.feedback.models import Comment, FeedbackEntry
from portal.links import portal_url
from portal.meetings.models import Attendance, PollAnswer, Rsvp
from portal.notifications.kinds import Kind
from portal.notifications.tell import tell
from portal.panels.models import Membership, Panel
from portal.questionnaires.models import Answer, Completion, Submission
from portal.rights.models import DataExport, ExportStatus, SupportRequest
from portal.rounds.models import ItemAnswer, MissingAction, OmissionCheck

LINK_DAYS = 7
# Never copied out, even to the person: secrets and their hashes, and stored HTML (the text it
# was made from is included).
LEFT_OUT = frozenset(
    {"password_hash", "totp_secret", "totp_last_step", "token_hash", "code_hash", "pdf_copy"}
)


def involvement_and_payments_of(user_id: int) -> dict[str, list[dict[str, Any]]]:
    """The person's involvement record: payment choices, entries, expense claims and the
    payments made to them (with their voucher code or transfer reference)."""
    from portal.involvement.models import (
        BatchPayment,
        ExpenseClaim,
        InvolvementEntry,
        PaymentChoice,
    )

    return {
        "payment_choices": _rows(PaymentChoice, PaymentChoice.user_id == user_id),
        "involvement_entries": _rows(InvolvementEntry, InvolvementEntry.user_id == user_id),
        "expense_claims": _rows(ExpenseClaim, ExpenseClaim.user_id == user_id),
        "payments": _rows(BatchPayment, BatchPayment.user_id == user_id),
    }


def contact_choices_of(user_id: int) -> dict[str, list[dict[str, Any]]]:
    """How the person chose to be contacted, and the text messages sent to them."""
    from portal.notifications.models import ContactSettings, NotificationChoice, TextMessage

    return {
        "contact_settings": _rows(ContactSettings, ContactSettings.user_id == user_id),
        "choices_per_kind": _rows(NotificationChoice, NotificationChoice.user_id == user_id),
        "text_messages": _rows(TextMessage, TextMessage.user_id == user_id),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return None
    return value


def _rows(model: type[DeclarativeBase], condition: Any) -> list[dict[str, Any]]:
    columns = [
        column
        for column in model.__table__.columns  # type: ignore[attr-defined]
        if column.key not in LEFT_OUT and not column.key.endswith("_html")
    ]
    keys = list(model.__table__.primary_key.columns)  # type: ignore[attr-defined]
    found = db.session.scalars(select(model).where(condition).order_by(*keys))
    return [{column.key: _plain(getattr(row, column.key)) for column in columns} for row in found]


def everything_about(user_id: int) -> dict[str, Any]:
    """Everything the portal holds about a person, as plain values, by section."""
    checks = select(OmissionCheck.id).where(OmissionCheck.user_id == user_id)
    named = select(Submission.id).where(Submission.user_id == user_id)
    panel_names = dict(db.session.execute(select(Panel.id, Panel.name)).all())
    memberships = _rows(Membership, Membership.user_id == user_id)
    for membership in memberships:
        membership["panel_name"] = panel_names.get(membership["panel_id"], "")
    return {
        "account": _rows(User, User.id == user_id),
        "panels_and_roles": memberships,
        "agreements": _rows(AgreementRecord, AgreementRecord.user_id == user_id),
        "comments": _rows(Comment, Comment.author_id == user_id),
        "what_you_said_and_answers": _rows(FeedbackEntry, FeedbackEntry.author_id == user_id),
        "omission_checks": _rows(OmissionCheck, OmissionCheck.user_id == user_id),
        "omission_check_answers": _rows(ItemAnswer, ItemAnswer.check_id.in_(checks)),
        "missing_actions": _rows(MissingAction, MissingAction.check_id.in_(checks)),
        "named_questionnaire_answers": _rows(Submission, Submission.user_id == user_id)
        + _rows(Answer, Answer.submission_id.in_(named)),
        "questionnaires_answered": _rows(Completion, Completion.user_id == user_id),
        "meeting_replies_and_access_notes": _rows(Rsvp, Rsvp.user_id == user_id),
        "availability_poll_answers": _rows(PollAnswer, PollAnswer.user_id == user_id),
        "attendance": _rows(Attendance, Attendance.user_id == user_id),
        "requests_to_be_contacted": _rows(SupportRequest, SupportRequest.user_id == user_id),
        **involvement_and_payments_of(user_id),
        **contact_choices_of(user_id),
        "sign_in_history": _rows(UserSession, UserSession.user_id == user_id),
        "audit_events": _rows(
            AuditEvent,
            or_(AuditEvent.subject_user_id == user_id, AuditEvent.actor_id == user_id),
        ),
    }


SECTION_TITLES: dict[str, str] = {
    "account": "Your account",
    "panels_and_roles": "Your panels and roles",
    "agreements": "What you agreed to",
    "comments": "Your comments (including withdrawn ones)",
    "what_you_said_and_answers": "What you said and the study team's answers",
    "omission_checks": "Your omission checks",
    "omission_check_answers": "Your answers in omission checks",
    "missing_actions": "Missing actions you described",
    "named_questionnaire_answers": "Your named questionnaire answers",
    "questionnaires_answered": "Questionnaires you answered",
    "meeting_replies_and_access_notes": "Your meeting replies and access notes",
    "availability_poll_answers": "Your answers to availability polls",
    "attendance": "Meetings you attended",
    "requests_to_be_contacted": "When you asked to be contacted",
    "payment_choices": "How you chose to be paid",
    "involvement_entries": "What you took part in, and the fees for it",
    "expense_claims": "Your expense claims",
    "payments": "Payments made to you",
    "contact_settings": "How we contact you",
    "choices_per_kind": "The messages you chose to get",
    "text_messages": "Text messages sent to you",
    "sign_in_history": "When you signed in",
    "audit_events": "What the portal recorded about you",
}


def build_zip(user_id: int, made_at: datetime) -> bytes:
    """The zip: the readable page, the JSON, and each agreement's PDF copy."""
    data = everything_about(user_id)
    page = render_template(
        "rights/data_copy_page.html",
        sections=[(SECTION_TITLES[key], rows) for key, rows in data.items()],
        made_at=made_at,
    )
    buffer = io.BytesIO()
    stamp = made_at.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in (
            ("my-data.html", page.encode()),
            ("my-data.json", json.dumps(data, indent=2, ensure_ascii=False).encode()),
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), content)
        copies = db.session.execute(
            select(AgreementRecord.id, AgreementRecord.pdf_copy)
            .where(AgreementRecord.user_id == user_id)
            .order_by(AgreementRecord.id)
        )
        for record_id, pdf in copies:
            archive.writestr(zipfile.ZipInfo(f"agreements/{record_id}.pdf", date_time=stamp), pdf)
    return buffer.getvalue()


# --- asking, making, downloading ------------------------------------------------------------


class CopyProblem(ValueError):
    pass


def ask_for_copy(user_id: int, requested_by_id: int) -> DataExport:
    """Ask for a copy of a person's data (by themselves, or an administrator for a subject
    access request). The worker makes it and emails a link to whoever asked."""
    waiting = db.session.scalar(
        select(DataExport).where(
            DataExport.user_id == user_id,
            DataExport.requested_by_id == requested_by_id,
            DataExport.status == ExportStatus.WAITING,
        )
    )
    if waiting is not None:
        return waiting
    export = DataExport(user_id=user_id, requested_by_id=requested_by_id)
    db.session.add(export)
    db.session.flush()
    record(
        AuditAction.DATA_EXPORT_REQUESTED,
        subject_user_id=user_id,
        detail="by the person" if user_id == requested_by_id else "subject access request",
    )
    return export


def copies_asked_by(user_id: int, requested_by_id: int) -> list[DataExport]:
    return list(
        db.session.scalars(
            select(DataExport)
            .where(DataExport.user_id == user_id, DataExport.requested_by_id == requested_by_id)
            .order_by(DataExport.id.desc())
            .limit(5)
        )
    )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_copy(export: DataExport, now: datetime | None = None) -> str:
    """Make the zip for a waiting copy and email its link; returns the link's token."""
    moment = now or utcnow()
    token = secrets.token_urlsafe(32)
    export.content = build_zip(export.user_id, moment)
    export.status = ExportStatus.READY
    export.ready_at = moment
    export.expires_at = moment + timedelta(days=LINK_DAYS)
    export.token_hash = _hash(token)
    asker = db.session.get(User, export.requested_by_id or export.user_id)
    if asker is not None:
        tell_copy_ready(asker, token, export.expires_at, export.user_id != asker.id)
    return token


def tell_copy_ready(asker: User, token: str, expires_at: datetime, for_someone_else: bool) -> None:
    """Email: the copy of the data is ready (``Kind.DATA_DOWNLOAD``, always sent)."""
    tell(
        asker,
        Kind.DATA_DOWNLOAD,
        subject=_l("Your copy of the data is ready"),
        template="data_copy_ready",
        name=asker.display_name,
        link=portal_url("rights.download_copy", token=token),
        expires_at=expires_at,
        for_someone_else=for_someone_else,
    )


def copy_for_link(token: str, user_id: int, now: datetime | None = None) -> DataExport | None:
    """The ready copy this link opens for this person, or None: a link works once, only for
    whoever asked, and only until it expires."""
    if not token or len(token) > 100:
        return None
    export = db.session.scalar(select(DataExport).where(DataExport.token_hash == _hash(token)))
    moment = now or utcnow()
    if export is None or export.status is not ExportStatus.READY:
        return None
    if (export.requested_by_id or export.user_id) != user_id:
        return None
    if export.expires_at is None or export.expires_at <= moment:
        return None
    return export


def hand_over(export: DataExport) -> bytes:
    """The zip, once: afterwards the link no longer works and the copy is gone."""
    content = export.content or b""
    export.content = None
    export.status = ExportStatus.DOWNLOADED
    export.downloaded_at = utcnow()
    record(AuditAction.DATA_EXPORT_DOWNLOADED, subject_user_id=export.user_id)
    return content


def make_waiting_copies(app: Flask) -> int:
    """Worker job: make every waiting copy and forget expired ones. Returns how many were made."""
    if not has_app_context():
        with app.app_context():
            return make_waiting_copies(app)
    now = utcnow()
    made = 0
    for export_id in list(
        db.session.scalars(select(DataExport.id).where(DataExport.status == ExportStatus.WAITING))
    ):
        # Claimed by a conditional update, so two workers never make the same copy twice.
        claimed = db.session.execute(
            DataExport.__table__.update()  # type: ignore[attr-defined]
            .where(DataExport.id == export_id, DataExport.status == ExportStatus.WAITING)
            .values(status=ExportStatus.READY, ready_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            db.session.rollback()
            continue
        export = db.session.get(DataExport, export_id)
        if export is None:
            continue
        try:
            make_copy(export, now)
        except Exception:
            db.session.rollback()
            current_app.logger.exception("could not make data copy %s", export_id)
            continue
        db.session.commit()
        made += 1
    expired = db.session.scalars(
        select(DataExport).where(
            DataExport.status == ExportStatus.READY, DataExport.expires_at <= now
        )
    )
    for export in expired:
        export.status = ExportStatus.EXPIRED
        export.content = None
    db.session.commit()
    return made
