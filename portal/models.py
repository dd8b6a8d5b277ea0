"""Imports every model so that ``db.metadata`` describes the whole schema (for migrations)."""

from portal.accounts.models import EmailToken, Invitation, User, UserSession
from portal.agreements.models import Agreement, AgreementRecord, AgreementVersion, ConsentState
from portal.audit.models import AuditEvent
from portal.core.models import SupportContact
from portal.drafts.models import Draft, DraftItem, DraftVersion, VersionItem
from portal.feedback.models import Comment, FeedbackEntry
from portal.involvement.models import (
    BatchPayment,
    ExpenseClaim,
    InvolvementEntry,
    OrganisationDetails,
    PanelPaySettings,
    PaymentBatch,
    PaymentChoice,
    Rate,
)
from portal.meetings.models import (
    AgendaItem,
    Attendance,
    AvailabilityPoll,
    CalendarFeed,
    Meeting,
    MeetingAction,
    MinutesRevision,
    Paper,
    PaperFile,
    PollAnswer,
    PollSlot,
    ReminderSent,
    Rsvp,
)
from portal.notifications.models import (
    ContactSettings,
    DigestItem,
    NotificationChoice,
    OutboxMessage,
    PanelDefault,
    TextMessage,
)
from portal.panels.models import Membership, Panel, Site
from portal.questionnaires.models import Answer, Completion, Question, Questionnaire, Submission
from portal.rights.models import (
    CrisisLine,
    DataExport,
    ErasureRequest,
    PanelContact,
    RetentionPolicy,
    SupportRequest,
)
from portal.rounds.models import ItemAnswer, MissingAction, OmissionCheck, ReviewRound
from portal.summaries.models import TranslatedSummary

__all__ = [
    "BatchPayment",
    "ExpenseClaim",
    "InvolvementEntry",
    "OrganisationDetails",
    "PanelPaySettings",
    "PaymentBatch",
    "PaymentChoice",
    "Rate",
    "Agreement",
    "AgreementRecord",
    "AgreementVersion",
    "ConsentState",
    "CrisisLine",
    "DataExport",
    "ErasureRequest",
    "PanelContact",
    "RetentionPolicy",
    "SupportRequest",
    "AgendaItem",
    "Answer",
    "Attendance",
    "AvailabilityPoll",
    "CalendarFeed",
    "Completion",
    "Meeting",
    "MeetingAction",
    "MinutesRevision",
    "Paper",
    "PaperFile",
    "PollAnswer",
    "PollSlot",
    "Question",
    "Questionnaire",
    "ReminderSent",
    "Rsvp",
    "Submission",
    "AuditEvent",
    "Comment",
    "Draft",
    "DraftItem",
    "DraftVersion",
    "EmailToken",
    "FeedbackEntry",
    "Invitation",
    "ItemAnswer",
    "MissingAction",
    "OmissionCheck",
    "ReviewRound",
    "VersionItem",
    "Membership",
    "OutboxMessage",
    "ContactSettings",
    "DigestItem",
    "NotificationChoice",
    "PanelDefault",
    "TextMessage",
    "Panel",
    "Site",
    "SupportContact",
    "TranslatedSummary",
    "User",
    "UserSession",
]
