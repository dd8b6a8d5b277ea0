"""Every kind of message the portal sends, and what each kind allows.

A domain says what it is telling a person (``Kind.MEETING_REMINDER``); the notifications domain
decides how, from the person's choices, the panel's defaults and the rules here. Transactional
kinds (signing in, invitations, account and security notices) always go by email at once.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


class Delivery(enum.StrEnum):
    """How a person wants email of one kind."""

    NOW = "now"
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


class Kind(enum.StrEnum):
    SIGN_IN = "sign_in"
    ACCOUNT = "account"
    INVITATION = "invitation"
    DATA_DOWNLOAD = "data_download"
    ROUND_OPENED = "round_opened"
    DEADLINE_REMINDER = "deadline_reminder"
    FEEDBACK_ANSWER = "feedback_answer"
    ASSIGNED = "assigned"
    MEETING_CHANGE = "meeting_change"
    MEETING_REMINDER = "meeting_reminder"
    MEETING_PACK = "meeting_pack"
    MINUTES = "minutes"
    QUESTIONNAIRE = "questionnaire"
    POLL = "poll"
    RECEIPT = "receipt"
    PAYMENT = "payment"
    TEAM_REQUEST = "team_request"


@dataclass(frozen=True)
class KindRules:
    name: LazyString  # shown on the settings page
    transactional: bool = False
    text_allowed: bool = False  # a text message makes sense for it
    reminder: bool = False  # replaced by a phone call for those who ask for one
    team_only: bool = False  # only the study team receives it
    # Still reaches a member who paused their involvement: it answers what they did or asked.
    while_paused: bool = False


RULES: dict[Kind, KindRules] = {
    Kind.SIGN_IN: KindRules(_l("Sign-in links and password resets"), transactional=True),
    Kind.ACCOUNT: KindRules(_l("Changes to your account, and security"), transactional=True),
    Kind.INVITATION: KindRules(_l("Invitations to join a panel"), transactional=True),
    Kind.DATA_DOWNLOAD: KindRules(_l("Downloads of your data you asked for"), transactional=True),
    Kind.ROUND_OPENED: KindRules(_l("New drafts to look at"), text_allowed=True),
    Kind.DEADLINE_REMINDER: KindRules(
        _l("Reminders before a deadline"), text_allowed=True, reminder=True
    ),
    Kind.FEEDBACK_ANSWER: KindRules(_l("Answers from the study team"), while_paused=True),
    Kind.ASSIGNED: KindRules(_l("Feedback given to you to look at"), team_only=True),
    Kind.MEETING_CHANGE: KindRules(_l("New meetings, and changes to meetings"), text_allowed=True),
    Kind.MEETING_REMINDER: KindRules(_l("Meeting reminders"), text_allowed=True, reminder=True),
    Kind.MEETING_PACK: KindRules(_l("Papers before a meeting")),
    Kind.MINUTES: KindRules(_l("Minutes to read")),
    Kind.QUESTIONNAIRE: KindRules(_l("Questionnaires")),
    Kind.POLL: KindRules(_l("Finding a date for a meeting"), text_allowed=True, reminder=True),
    Kind.RECEIPT: KindRules(_l("Copies of answers you sent"), while_paused=True),
    Kind.PAYMENT: KindRules(
        _l("Payments to you, and questions about your expense claims"), transactional=True
    ),
    Kind.TEAM_REQUEST: KindRules(
        _l("Someone asking to be contacted, or asking about their data (study team)"),
        transactional=True,
        team_only=True,
    ),
}

OPTIONAL_KINDS: tuple[Kind, ...] = tuple(kind for kind in Kind if not RULES[kind].transactional)
TRANSACTIONAL_KINDS: tuple[Kind, ...] = tuple(kind for kind in Kind if RULES[kind].transactional)

# What a person gets of a kind when neither they nor their panel's study team chose otherwise.
DEFAULT_DELIVERY = Delivery.NOW


def kind_from(value: str) -> Kind | None:
    """The kind named by ``value`` (from a link or a form), or None for a name we do not know."""
    try:
        return Kind(value)
    except ValueError:
        return None


def is_transactional(kind: Kind) -> bool:
    return RULES[kind].transactional
