"""Stepping back and reaching out: pausing involvement, stopping being a member, and asking
someone from the panel to get in touch. Nobody is ever asked why."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.audit.service import AuditAction, record
from portal.db import utcnow
from portal.extensions import db
from portal.links import portal_url
from portal.notifications.kinds import Kind
from portal.notifications.tell import tell
from portal.panels.models import Membership, Role
from portal.panels.service import LONDON, active_people
from portal.rights.models import ContactWay, SupportRequest, SupportStatus

MESSAGE_MAX_LENGTH = 1000


class CareProblem(ValueError):
    """Something that cannot be done, in words for the person."""


def pause(membership: Membership, until: date | None, now: datetime | None = None) -> None:
    """Pause a member's involvement until a day (UK date) or, with None, until they return.
    No reason is asked or kept; the audit event says only that it happened."""
    moment = now or utcnow()
    if until is not None and until <= moment.astimezone(LONDON).date():
        raise CareProblem(gettext("The date must be in the future"))
    membership.paused_at = moment
    membership.paused_until = until
    record(
        AuditAction.INVOLVEMENT_PAUSED,
        subject_user_id=membership.user_id,
        panel_id=membership.panel_id,
        detail="until a date" if until else "until they return",
    )


def come_back(membership: Membership) -> bool:
    """End a pause at once (the one button). False when there was no pause."""
    if membership.paused_at is None:
        return False
    membership.paused_at = None
    membership.paused_until = None
    record(
        AuditAction.INVOLVEMENT_RESUMED,
        subject_user_id=membership.user_id,
        panel_id=membership.panel_id,
    )
    return True


def leave(membership: Membership) -> None:
    """The member stops being a member. No reason is asked; everything they did is kept under
    their panel code, and an administrator can bring them back."""
    membership.active = False
    membership.left_at = utcnow()
    membership.paused_at = None
    membership.paused_until = None
    record(
        AuditAction.MEMBERSHIP_ENDED,
        subject_user_id=membership.user_id,
        panel_id=membership.panel_id,
        detail="chosen by the member",
    )


# --- "Ask someone to contact me" ------------------------------------------------------------


def ask_to_be_contacted(
    membership: Membership, person: User, message: str, contact_way: ContactWay
) -> SupportRequest:
    """A request for someone to get in touch: it reaches the chair and the study team, by
    email and on their list of requests, with its own status."""
    if len(message) > MESSAGE_MAX_LENGTH:
        raise CareProblem(gettext("Your message is too long"))
    request = SupportRequest(
        panel_id=membership.panel_id,
        user_id=membership.user_id,
        message=message.strip(),
        contact_way=contact_way,
    )
    db.session.add(request)
    db.session.flush()
    record(
        AuditAction.CONTACT_REQUESTED,
        subject_user_id=membership.user_id,
        panel_id=membership.panel_id,
        detail=f"request {request.id}",
    )
    for someone in active_people(membership.panel_id, (Role.CHAIR, Role.RESEARCHER)):
        if someone.id != person.id:
            tell_about_contact_request(someone, request, membership.pseudonym_code)
    return request


def tell_about_contact_request(someone: User, request: SupportRequest, code: str) -> None:
    """Email: a member asked to be contacted (``Kind.TEAM_REQUEST``: someone asking for help,
    so it is always sent)."""
    tell(
        someone,
        Kind.TEAM_REQUEST,
        subject=_l("A member asked to be contacted"),
        template="contact_request",
        panel_id=request.panel_id,
        name=someone.display_name,
        code=code,
        link=portal_url("rights.contact_request", panel_id=request.panel_id, request_id=request.id),
    )


def _requests_with_codes() -> Select[tuple[SupportRequest, str]]:
    """Requests to be contacted, each with its member's panel code and the member loaded."""
    return (
        select(SupportRequest, Membership.pseudonym_code)
        .join(
            Membership,
            (Membership.panel_id == SupportRequest.panel_id)
            & (Membership.user_id == SupportRequest.user_id),
        )
        .options(joinedload(SupportRequest.user))
    )


def contact_requests(panel_id: int) -> list[tuple[SupportRequest, str]]:
    """The panel's requests to be contacted, open ones first, each with the member's code."""
    rows = db.session.execute(
        _requests_with_codes()
        .where(SupportRequest.panel_id == panel_id)
        .order_by(
            (SupportRequest.status == SupportStatus.DONE).asc(), SupportRequest.created_at.desc()
        )
    )
    return [(row, code) for row, code in rows]


# Built once with its values bound when it runs: asked on every inbox page, where building a
# statement costs more than running it (README: "What keeps pages fast").
@cache
def _open_contact_requests() -> Select[Any]:
    return select(func.count(SupportRequest.id)).where(
        SupportRequest.panel_id == bindparam("panel_id"),
        SupportRequest.status != SupportStatus.DONE,
    )


def open_contact_request_count(panel_id: int) -> int:
    return db.session.scalar(_open_contact_requests(), {"panel_id": panel_id}) or 0


def get_contact_request(panel_id: int, request_id: int) -> tuple[SupportRequest, str] | None:
    row = db.session.execute(
        _requests_with_codes().where(
            SupportRequest.id == request_id, SupportRequest.panel_id == panel_id
        )
    ).first()
    return (row[0], row[1]) if row else None


def set_contact_request_status(
    request: SupportRequest, status: SupportStatus, by_user_id: int
) -> None:
    request.status = status
    request.handled_by_id = by_user_id
    record(
        AuditAction.CONTACT_REQUEST_CHANGED,
        subject_user_id=request.user_id,
        panel_id=request.panel_id,
        detail=f"request {request.id}: {status.value}",
    )


def own_contact_requests(panel_id: int, user_id: int) -> list[SupportRequest]:
    return list(
        db.session.scalars(
            select(SupportRequest)
            .where(SupportRequest.panel_id == panel_id, SupportRequest.user_id == user_id)
            .order_by(SupportRequest.created_at.desc())
        )
    )


def any_membership(panel_id: int, user_id: int) -> Membership | None:
    """The person's membership of the panel, active or not."""
    return db.session.scalar(
        select(Membership).where(Membership.panel_id == panel_id, Membership.user_id == user_id)
    )
