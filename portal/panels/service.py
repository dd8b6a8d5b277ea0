"""Panels and memberships: the queries other domains use to know who is where."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, bindparam, or_, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.extensions import db
from portal.panels.models import Membership, Panel, Role, Site

# The people a panel asks to take part (omission checks, questionnaires, attendance): everyone
# but the study team.
LONDON = ZoneInfo("Europe/London")

MEMBERS_AND_CHAIR: tuple[Role, ...] = (Role.MEMBER, Role.CHAIR)


def active_in_panel(
    panel_id: int, roles: Collection[Role] | None = None
) -> tuple[ColumnElement[bool], ...]:
    """The conditions on ``Membership`` for "active in this panel, in one of these roles" (any
    role when ``roles`` is None), for queries that count or join memberships themselves."""
    conditions: tuple[ColumnElement[bool], ...] = (
        Membership.panel_id == panel_id,
        Membership.active.is_(True),
    )
    if roles is not None:
        conditions += (Membership.role.in_(tuple(roles)),)
    return conditions


def active_people(
    panel_id: int,
    roles: Collection[Role] | None = None,
    *,
    by_name: bool = False,
    excluding: Iterable[Select[Any]] = (),
    skip_paused: bool = False,
) -> list[User]:
    """The people in a panel we may write to: an active membership in one of ``roles`` (any role
    when None) and an open account. By id, or by name with ``by_name``; ``excluding`` takes
    queries of user ids to leave out (such as those already reminded); ``skip_paused`` leaves
    out those who paused their involvement (for invitations and reminders). One query."""
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(*active_in_panel(panel_id, roles), User.is_active_account.is_(True))
    )
    if skip_paused:
        query = query.where(not_paused_now())
    for user_ids in excluding:
        query = query.where(User.id.not_in(user_ids))
    order = (User.display_name, User.id) if by_name else (User.id,)
    return list(db.session.scalars(query.order_by(*order)))


def not_paused_now(now: datetime | None = None) -> ColumnElement[bool]:
    """The condition on ``Membership`` for "not paused right now" (see ``is_paused``)."""
    today = (now or datetime.now(UTC)).astimezone(LONDON).date()
    return or_(
        Membership.paused_at.is_(None),
        and_(Membership.paused_until.is_not(None), Membership.paused_until <= today),
    )


def active_memberships(panel_id: int, roles: Collection[Role] | None = None) -> list[Membership]:
    """A panel's active memberships in one of ``roles`` (any role when None), each with its
    person loaded, in the order they joined. One query."""
    return list(
        db.session.scalars(
            select(Membership)
            .options(joinedload(Membership.user))
            .where(*active_in_panel(panel_id, roles))
            .order_by(Membership.id)
        )
    )


# Asked on nearly every signed-in request (the header and the access policy): built once, with
# the values bound when they run, as building a statement costs more than running these.
@cache
def _active_membership() -> Select[Any]:
    return select(Membership).where(
        Membership.panel_id == bindparam("panel_id"),
        Membership.active.is_(True),
        Membership.user_id == bindparam("user_id"),
    )


@cache
def _memberships_of() -> Select[Any]:
    return (
        select(Membership)
        .join(Membership.panel)
        .options(joinedload(Membership.panel))
        .where(Membership.user_id == bindparam("user_id"), Membership.active.is_(True))
        .order_by(Panel.name)
    )


def active_membership(panel_id: int, user_id: int) -> Membership | None:
    """A person's active membership of a panel, or None when they are not (or no longer) in it.
    One query on the membership's panel and person."""
    return db.session.scalar(_active_membership(), {"panel_id": panel_id, "user_id": user_id})


def memberships_of(user_id: int) -> list[Membership]:
    """A person's active memberships, each with its panel loaded, by panel name."""
    return list(db.session.scalars(_memberships_of(), {"user_id": user_id}))


def next_pseudonym_code(panel: Panel) -> str:
    """Give out the panel's next pseudonym code, such as ``LEAP-07``. Codes are never reused."""
    number = panel.next_pseudonym_number
    panel.next_pseudonym_number = number + 1
    return f"{panel.pseudonym_prefix}-{number:02d}"


def get_panel(panel_id: int) -> Panel | None:
    return db.session.get(Panel, panel_id)


# Built once with its values bound when it runs: asked on every inbox page, where building a
# statement costs more than running it (README: "What keeps pages fast").
@cache
def _sites_of() -> Select[Any]:
    return select(Site).where(Site.panel_id == bindparam("panel_id")).order_by(Site.name)


def sites_of(panel_id: int) -> list[Site]:
    """A panel's sites, by name."""
    return list(db.session.scalars(_sites_of(), {"panel_id": panel_id}))


def is_paused(membership: Membership, now: datetime | None = None) -> bool:
    """Has this member paused their involvement, as of ``now``? A pause "until a date" ends at
    the start of that day (UK time); a pause "until I return" lasts until they come back.
    Invitations, reminders and questionnaires skip paused members; transactional mail (security
    messages, answers to what they asked) still reaches them."""
    if membership.paused_at is None:
        return False
    if membership.paused_until is None:
        return True
    today = (now or datetime.now(UTC)).astimezone(LONDON).date()
    return today < membership.paused_until


def is_paused_in(panel_id: int, user_id: int, now: datetime | None = None) -> bool:
    """Has this person paused their involvement in this panel, as of ``now``? One query."""
    membership = db.session.scalar(
        select(Membership).where(*active_in_panel(panel_id), Membership.user_id == user_id)
    )
    return membership is not None and is_paused(membership, now)


def paused_user_ids(panel_id: int, now: datetime | None = None) -> set[int]:
    """The people whose involvement in this panel is paused right now. One query."""
    rows = db.session.execute(
        select(Membership.user_id, Membership.paused_at, Membership.paused_until).where(
            *active_in_panel(panel_id), Membership.paused_at.is_not(None)
        )
    )
    today = (now or datetime.now(UTC)).astimezone(LONDON).date()
    return {user_id for user_id, _paused_at, until in rows if until is None or today < until}


def not_paused(panel_id: int, people: Iterable[User], now: datetime | None = None) -> list[User]:
    """``people`` without those who paused their involvement in the panel (for invitations,
    reminders and questionnaires; never for transactional mail)."""
    paused = paused_user_ids(panel_id, now)
    return [person for person in people if person.id not in paused]
