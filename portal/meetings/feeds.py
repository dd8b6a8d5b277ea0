"""Personal calendar feeds: each member's published meetings at an address only they know."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.links import portal_url
from portal.meetings import calendar
from portal.meetings.models import CalendarFeed, Meeting, MeetingStatus
from portal.panels.models import Membership


def _feed_of(user_id: int) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user_id))


def feed_url(user_id: int) -> str | None:
    """The person's calendar address, or None until they ask for one."""
    feed = _feed_of(user_id)
    if feed is None:
        return None
    token = calendar.feed_token(user_id, feed.version)
    return portal_url("meetings.calendar_feed", token=token)


def reset_feed(user_id: int) -> CalendarFeed:
    """Give the person a calendar address, or a new one: the old address stops working."""
    feed = _feed_of(user_id)
    if feed is None:
        feed = CalendarFeed(user_id=user_id, version=1)
        db.session.add(feed)
    else:
        feed.version += 1
        feed.reset_at = utcnow()
    db.session.flush()
    return feed


def feed_for_token(token: str) -> str | None:
    """The calendar file for a feed address, or None when the address is not (or no longer)
    right. Shows the published meetings of every panel the person is active in."""
    user_part, _, _ = token.partition("-")
    if not user_part.isdigit() or len(user_part) > 12:
        return None
    user_id = int(user_part)
    feed = _feed_of(user_id)
    if feed is None or not calendar.token_matches(token, user_id, feed.version):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active_account:
        return None
    meetings = db.session.scalars(
        select(Meeting)
        .join(Membership, Membership.panel_id == Meeting.panel_id)
        .where(
            Membership.user_id == user_id,
            Membership.active.is_(True),
            Meeting.status == MeetingStatus.PUBLISHED,
        )
        .order_by(Meeting.starts_at)
    )
    # Fetched by a calendar program, not the person's browser: worded in their own language.
    with force_locale(user.language or current_app.config["DEFAULT_LOCALE"]):
        return calendar.feed(meetings, gettext("Panel meetings"))
