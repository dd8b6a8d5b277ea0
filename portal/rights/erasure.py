"""Erasure: a person's account and contact details go; what they wrote for the study stays
under their panel code (pseudonymised), unless the study team chooses to delete it too.

The audit log records that an erasure happened and its scope, never the erased details. Every
mention of the person's name or email address anywhere in the database (an email in the
outbox, an invitation, an audit detail) is replaced by their panel code.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Enum, String, Text, delete, func, select, update
from sqlalchemy.sql.expression import literal

from portal.accounts.models import (
    EmailToken,
    Invitation,
    LinkRequest,
    RecoveryCode,
    SingleSignOnIdentity,
    User,
    UserSession,
)
from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.extensions import db
from portal.feedback.models import Comment, FeedbackEntry
from portal.links import portal_url
from portal.meetings.models import CalendarFeed, PollAnswer, Rsvp
from portal.notifications.kinds import Kind
from portal.notifications.models import OutboxMessage
from portal.notifications.tell import tell
from portal.panels.models import Membership
from portal.questionnaires.models import Submission
from portal.rights.models import DataExport, ErasureRequest, ErasureStatus, SupportRequest
from portal.rounds.counts import forget_checks
from portal.rounds.models import OmissionCheck
from portal.text import StoredHTML

# A name this short could be part of other words; only whole account fields are cleared then.
SHORTEST_NAME_TO_REPLACE = 3


@dataclass(frozen=True)
class ErasurePreview:
    """What erasing a person removes and what it keeps, in numbers for the confirm page."""

    codes: list[str]
    comments: int
    entries: int
    omission_checks: int
    named_answers: int
    agreement_decisions: int
    sessions: int
    contact_requests: int


def _count(model: type, condition: object) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(condition)) or 0  # type: ignore[arg-type]


def preview(person: User) -> ErasurePreview:
    from portal.agreements.models import AgreementRecord

    codes = list(
        db.session.scalars(
            select(Membership.pseudonym_code)
            .where(Membership.user_id == person.id)
            .order_by(Membership.id)
        )
    )
    return ErasurePreview(
        codes=codes,
        comments=_count(Comment, Comment.author_id == person.id),
        entries=_count(FeedbackEntry, FeedbackEntry.author_id == person.id),
        omission_checks=_count(OmissionCheck, OmissionCheck.user_id == person.id),
        named_answers=_count(Submission, Submission.user_id == person.id),
        agreement_decisions=_count(AgreementRecord, AgreementRecord.user_id == person.id),
        sessions=_count(UserSession, UserSession.user_id == person.id),
        contact_requests=_count(SupportRequest, SupportRequest.user_id == person.id),
    )


def is_erased(person: User) -> bool:
    return person.email.endswith("@erased.invalid")


def erase(person: User, *, delete_words: bool) -> str:
    """Erase a person. Returns the name they are known by afterwards (their panel codes).

    Goes: name, email address, phone, mobile number and message choices, access needs, password,
    two-step, sessions, emailed links, invitations, single sign-on links, calendar address, copies
    of their data, requests to be contacted, meeting access notes and poll notes, and mail and
    texts to them. Their involvement and payment record stays under their panel code (a finance
    record the organisation must keep). Stays (unless
    ``delete_words``): what they wrote, under their panel code. Ends every membership.
    """
    codes = preview(person).codes
    known_as = ", ".join(codes) or f"Erased person {person.id}"
    name, email = person.display_name, person.email
    for model, column in (
        (UserSession, UserSession.user_id),
        (EmailToken, EmailToken.user_id),
        (RecoveryCode, RecoveryCode.user_id),
        (SingleSignOnIdentity, SingleSignOnIdentity.user_id),
        (CalendarFeed, CalendarFeed.user_id),
        (DataExport, DataExport.user_id),
        (SupportRequest, SupportRequest.user_id),
    ):
        db.session.execute(delete(model).where(column == person.id))
    db.session.execute(delete(Invitation).where(func.lower(Invitation.email) == email))
    db.session.execute(delete(LinkRequest).where(func.lower(LinkRequest.email) == email))
    db.session.execute(delete(OutboxMessage).where(func.lower(OutboxMessage.to_address) == email))
    _forget_contact_choices(person.id)
    # A bulk update skips ``keep_html``: the note's stored HTML is cleared with it.
    db.session.execute(
        update(Rsvp).where(Rsvp.user_id == person.id).values(access_note="", access_note_html="")
    )
    db.session.execute(update(PollAnswer).where(PollAnswer.user_id == person.id).values(note=""))
    if delete_words:
        forget_checks(OmissionCheck.user_id == person.id)
        for model, column in (
            (FeedbackEntry, FeedbackEntry.author_id),
            (Comment, Comment.author_id),
            (OmissionCheck, OmissionCheck.user_id),
            (Submission, Submission.user_id),
        ):
            db.session.execute(delete(model).where(column == person.id))
    db.session.execute(
        update(Membership)
        .where(Membership.user_id == person.id)
        .values(active=False, paused_at=None, paused_until=None)
    )
    db.session.execute(
        update(ErasureRequest)
        .where(ErasureRequest.user_id == person.id, ErasureRequest.status == ErasureStatus.NEW)
        .values(status=ErasureStatus.DONE, handled_at=utcnow())
    )
    person.email = f"erased-{person.id}@erased.invalid"
    person.display_name = known_as[:120]
    person.password_hash = None
    person.phone = ""
    person.accessibility_needs = ""
    person.language = ""
    person.contact_preference = "email"
    person.prefers_email_link = False
    person.is_active_account = False
    person.is_admin = False
    person.totp_secret = None
    person.totp_last_step = None
    person.two_step_enabled_at = None
    db.session.flush()
    _replace_everywhere(email, known_as)
    if len(name.strip()) >= SHORTEST_NAME_TO_REPLACE:
        _replace_everywhere(name, known_as)
    record(
        AuditAction.PERSON_ERASED,
        subject_user_id=person.id,
        detail="words deleted" if delete_words else "words kept under panel code",
    )
    db.session.expire_all()
    return known_as


def _forget_contact_choices(user_id: int) -> None:
    """Their mobile number, their choices of messages, texts to them and digests saved up."""
    from portal.notifications.models import (
        ContactSettings,
        DigestItem,
        NotificationChoice,
        TextMessage,
    )

    for model, column in (
        (ContactSettings, ContactSettings.user_id),
        (NotificationChoice, NotificationChoice.user_id),
        (DigestItem, DigestItem.user_id),
        (TextMessage, TextMessage.user_id),
    ):
        db.session.execute(delete(model).where(column == user_id))


def _replace_everywhere(text: str, replacement: str) -> None:
    """Replace ``text`` with ``replacement`` in every text column of every table."""
    if not text:
        return
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text | StoredHTML) or column.primary_key:
                continue
            if column.foreign_keys or column.unique or isinstance(column.type, Enum):
                continue
            changed = func.replace(column, literal(text), literal(replacement))
            db.session.execute(
                table.update()
                .where(column.is_not(None), changed != column)
                .values({column.key: changed})
            )


def ask_for_erasure(person: User) -> ErasureRequest:
    """A person asks to be erased: the request waits in the administrators' inbox."""
    waiting = db.session.scalar(
        select(ErasureRequest).where(
            ErasureRequest.user_id == person.id, ErasureRequest.status == ErasureStatus.NEW
        )
    )
    if waiting is not None:
        return waiting
    request = ErasureRequest(user_id=person.id)
    db.session.add(request)
    record(AuditAction.ERASURE_REQUESTED, subject_user_id=person.id)
    admins = db.session.scalars(
        select(User).where(User.is_admin.is_(True), User.is_active_account.is_(True))
    )
    for admin in admins:
        if admin.id != person.id:
            tell_about_erasure_request(admin)
    return request


def tell_about_erasure_request(admin: User) -> None:
    """Email: someone asked to be erased (``Kind.TEAM_REQUEST``, always sent). It names
    nobody: the administrator reads who on the portal."""
    tell(
        admin,
        Kind.TEAM_REQUEST,
        subject=_l("Someone asked for their data to be erased"),
        template="erasure_request",
        name=admin.display_name,
        link=portal_url("rights.erasure_requests"),
    )


def erasure_requests() -> list[ErasureRequest]:
    """Requests waiting for an administrator, oldest first."""
    from sqlalchemy.orm import joinedload

    return list(
        db.session.scalars(
            select(ErasureRequest)
            .where(ErasureRequest.status == ErasureStatus.NEW)
            .options(joinedload(ErasureRequest.user))
            .order_by(ErasureRequest.requested_at)
        )
    )


def has_asked(person: User) -> bool:
    return (
        db.session.scalar(
            select(ErasureRequest.id).where(
                ErasureRequest.user_id == person.id, ErasureRequest.status == ErasureStatus.NEW
            )
        )
        is not None
    )
