"""Telling a person something: the one way a domain sends a message.

The domain names the kind and what to say; this module decides, from the kind's rules and the
person's choices, whether it goes by email now, into a digest, by text, or not at all. Everything
is added to the caller's transaction, so a change that is rolled back tells nobody.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import LazyString, force_locale, gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.kinds import RULES, Delivery, Kind
from portal.notifications.models import DigestItem
from portal.notifications.preferences import PHONE_INSTEAD, contact_settings, may_reach, route_for
from portal.notifications.service import Attachment, queue_mail
from portal.notifications.texts import queue_text
from portal.notifications.unsubscribe import unsubscribe_url
from portal.text import PlainSentence

SETTINGS_PATH = "/account/notifications"


def settings_link() -> str:
    return current_app.config["BASE_URL"].rstrip("/") + SETTINGS_PATH


def _why(kind: Kind) -> str:
    if kind is Kind.PAYMENT:
        return gettext("We always send this email, because it is about money owed or paid to you.")
    if kind is Kind.TEAM_REQUEST:
        return gettext(
            "We always send this email, because someone is waiting for the study team to act."
        )
    if RULES[kind].transactional:
        return gettext(
            "We always send this email, because it is about your account or how you sign in."
        )
    return gettext(
        "You get this email because you are in a panel on %(service)s and have not turned off "
        "“%(kind)s”.",
        service=current_app.config["SERVICE_NAME"],
        kind=str(RULES[kind].name),
    )


def _default_text(kind: Kind) -> str:
    service = current_app.config["SERVICE_NAME"]
    words = {
        Kind.ROUND_OPENED: gettext("There is something new for you to look at on %(service)s."),
        Kind.DEADLINE_REMINDER: gettext(
            "A reminder from %(service)s: there is still time to send your answers."
        ),
        Kind.MEETING_CHANGE: gettext("A panel meeting has been arranged or changed."),
        Kind.MEETING_REMINDER: gettext("A reminder from %(service)s: you have a meeting soon."),
        Kind.POLL: gettext("Please tell %(service)s when you can come to a meeting."),
    }
    return words.get(kind, gettext("There is a new message for you on %(service)s.")) % {
        "service": service
    }


def tell(
    person: User,
    kind: Kind,
    /,
    *,
    subject: str | LazyString | PlainSentence,
    template: str,
    link: str,
    panel_id: int | None = None,
    dedupe_key: str | None = None,
    text: str | None = None,
    attachment: Attachment | None = None,
    **context: Any,
) -> bool:
    """Tell ``person`` something of ``kind``, the way they chose; the caller commits.

    ``subject`` and ``template`` make the email (``mail/<template>.txt`` and ``.html``),
    ``link`` (a full address) is the page it is about: a digest lists the subject with the
    link, a text carries ``text`` (or a plain sentence for the kind; never sensitive detail)
    and the link. Transactional kinds always go by email at once. Returns whether anything was
    queued (False when the person turned the kind off, or ``dedupe_key`` was used already).
    """
    now = utcnow()
    locale = person.language or current_app.config["DEFAULT_LOCALE"]
    with force_locale(locale):  # a lazy subject is worded in the recipient's language
        subject = str(subject)
        text = None if text is None else str(text)
    if RULES[kind].transactional:
        with force_locale(locale):
            why = _why(kind)
        message = queue_mail(
            person.email,
            subject,
            template,
            dedupe_key=dedupe_key,
            locale=locale,
            attachment=attachment,
            kind=kind.value,
            why=why,
            settings_link=settings_link(),
            link=link,
            **context,
        )
        return message is not None
    if not may_reach(person, panel_id, kind, now):
        return False
    if RULES[kind].reminder and person.contact_preference == PHONE_INSTEAD:
        return False  # the chair's list of calls to make has them instead
    route = route_for(person, kind, panel_id)
    queued = False
    if route.delivery is Delivery.NOW:
        with force_locale(locale):
            why = _why(kind)
        message = queue_mail(
            person.email,
            subject,
            template,
            dedupe_key=dedupe_key,
            locale=locale,
            attachment=attachment,
            kind=kind.value,
            unsubscribe_url=unsubscribe_url(person.id, kind),
            why=why,
            settings_link=settings_link(),
            link=link,
            **context,
        )
        queued = message is not None
    elif route.delivery in (Delivery.DAILY, Delivery.WEEKLY):
        queued = _save_for_digest(person, kind, route.delivery, subject, link, panel_id, dedupe_key)
    if route.by_text:
        settings = contact_settings(person.id)
        if settings.mobile and settings.mobile_failed_at is None:
            with force_locale(locale):
                body = text or _default_text(kind)
            texted = queue_text(
                settings,
                kind,
                body,
                link,
                now,
                dedupe_key=f"text:{dedupe_key}" if dedupe_key else None,
                panel_id=panel_id,
            )
            queued = queued or texted is not None
    return queued


def _save_for_digest(
    person: User,
    kind: Kind,
    period: Delivery,
    title: str,
    link: str,
    panel_id: int | None,
    dedupe_key: str | None,
) -> bool:
    if dedupe_key is not None:
        already = db.session.scalar(
            select(DigestItem.id).where(DigestItem.dedupe_key == dedupe_key)
        )
        if already is not None:
            return False
    item = DigestItem(
        user_id=person.id,
        panel_id=panel_id,
        kind=kind.value,
        period=period,
        title=title[:300],
        link=link[:500],
        dedupe_key=dedupe_key,
        created_at=utcnow(),
    )
    # As in the outbox: another worker may save the same key meanwhile; only this is undone.
    try:
        with db.session.begin_nested():
            db.session.add(item)
    except IntegrityError:
        return False
    return True


def tell_address(
    address: str,
    kind: Kind,
    *,
    subject: str | LazyString | PlainSentence,
    template: str,
    locale: str | None = None,
    **context: Any,
) -> None:
    """Email someone who may have no account yet (an invitation, a new address to confirm).
    Only transactional kinds go to a bare address."""
    if not RULES[kind].transactional:
        raise ValueError(f"{kind} is not transactional; tell a person instead")
    with force_locale(locale or current_app.config["DEFAULT_LOCALE"]):
        subject = str(subject)
        why = gettext("We sent this email because someone asked for it to go to this address.")
    queue_mail(
        address,
        subject,
        template,
        locale=locale,
        kind=kind.value,
        why=why,
        settings_link="",
        **context,
    )
