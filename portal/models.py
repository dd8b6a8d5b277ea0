"""Imports every model so that ``db.metadata`` describes the whole schema (for migrations)."""

from portal.accounts.models import User, UserSession
from portal.audit.models import AuditEvent
from portal.core.models import SupportContact
from portal.drafts.models import (
    Draft,
    DraftItem,
    DraftVersion,
    ItemAnswer,
    MissingAction,
    OmissionCheck,
    ReviewRound,
    VersionItem,
)
from portal.feedback.models import Comment, FeedbackEntry
from portal.notifications.models import OutboxMessage
from portal.panels.models import Membership, Panel, Site

__all__ = [
    "AuditEvent",
    "Comment",
    "Draft",
    "DraftItem",
    "DraftVersion",
    "FeedbackEntry",
    "ItemAnswer",
    "MissingAction",
    "OmissionCheck",
    "ReviewRound",
    "VersionItem",
    "Membership",
    "OutboxMessage",
    "Panel",
    "Site",
    "SupportContact",
    "User",
    "UserSession",
]
