"""Scheduled questionnaire work the worker runs: reminders and meeting-feedback offers.

Every message has a key that says what it is for and whom (``questionnaire-offer:7:12``); the
outbox refuses a key it has seen, so running this twice, or in two workers at once, sends each
message once.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_babel import force_locale, gettext
from sqlalchemy import or_, select

from portal.accounts.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.links import portal_path
from portal.meetings.models import Meeting
from portal.notifications.kinds import Kind
from portal.notifications.tell import tell
from portal.panels.service import not_paused
from portal.questionnaires.models import Completion, Questionnaire

# A reminder goes to those who have not answered when this little time is left.
REMINDER_BEFORE_CLOSING = timedelta(days=2)


def _open_questionnaires() -> list[tuple[Questionnaire, Meeting | None]]:
    now = utcnow()
    return list(
        db.session.execute(
            select(Questionnaire, Meeting)
            .outerjoin(Meeting, Meeting.id == Questionnaire.meeting_id)
            .where(
                Questionnaire.is_template.is_(False),
                Questionnaire.opens_at <= now,
                or_(Questionnaire.closes_at.is_(None), Questionnaire.closes_at > now),
                or_(Questionnaire.meeting_id.is_(None), Meeting.ends_at <= now),
            )
        )
    )


def _not_answered(questionnaire: Questionnaire) -> list[User]:
    from portal.questionnaires.service import audience_user_ids

    asked = audience_user_ids(questionnaire)
    if not asked:
        return []
    answered = select(Completion.user_id).where(Completion.questionnaire_id == questionnaire.id)
    people = db.session.scalars(
        select(User).where(
            User.id.in_(asked), User.id.not_in(answered), User.is_active_account.is_(True)
        )
    )
    # Offers and reminders are not sent to anyone who paused their involvement.
    return not_paused(questionnaire.panel_id, people)


def _send(questionnaire: Questionnaire, meeting: Meeting | None, user: User, kind: str) -> bool:
    from flask import current_app

    locale = user.language or current_app.config["DEFAULT_LOCALE"]
    with force_locale(locale):
        subject = (
            gettext("Reminder: %(title)s", title=questionnaire.title)
            if kind == "reminder"
            else gettext("Tell us how the meeting went")
            if meeting
            else gettext("A questionnaire for you: %(title)s", title=questionnaire.title)
        )
    path = portal_path(
        "questionnaires.answer_page",
        panel_id=questionnaire.panel_id,
        questionnaire_id=questionnaire.id,
        number=1,
    )
    link = current_app.config["BASE_URL"].rstrip("/") + path
    return tell(
        user,
        Kind.DEADLINE_REMINDER if kind == "reminder" else Kind.QUESTIONNAIRE,
        subject=subject,
        template="questionnaire_invite",
        link=link,
        panel_id=questionnaire.panel_id,
        dedupe_key=f"questionnaire-{kind}:{questionnaire.id}:{user.id}",
        name=user.display_name,
        title=questionnaire.title,
        meeting_title=meeting.title if meeting else "",
        reminder=kind == "reminder",
        closes_at=questionnaire.closes_at,
    )


def run_due(app: Flask) -> int:
    """Queue whatever questionnaire mail is due now; returns how many messages were queued.

    Meeting feedback is offered to those who came, once the meeting has ended. Anyone asked
    who has not answered gets one reminder when the closing time is near.
    """
    queued = 0
    with app.app_context():
        now = utcnow()
        for questionnaire, meeting in _open_questionnaires():
            offer = meeting is not None
            remind = (
                questionnaire.closes_at is not None
                and questionnaire.closes_at - now <= REMINDER_BEFORE_CLOSING
            )
            if not offer and not remind:
                continue
            for user in _not_answered(questionnaire):
                if offer:
                    queued += _send(questionnaire, meeting, user, "offer")
                if remind:
                    queued += _send(questionnaire, meeting, user, "reminder")
        db.session.commit()
    return queued
