"""Meetings of the panel: finding a date, the agenda and papers, replies, and what was agreed.

Times are stored in UTC and shown in Europe/London. A meeting's calendar entry keeps one ``uid``
for its whole life; ``sequence`` goes up with every change people are told about, so calendar
programs update the entry instead of adding a second one.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, enum_column, utcnow
from portal.extensions import db
from portal.text import StoredHTML, keep_html

if TYPE_CHECKING:
    from portal.accounts.models import User
    from portal.drafts.models import Draft


class PollStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    DECIDED = "decided"  # a slot was chosen and a meeting made from it


class Availability(enum.StrEnum):
    YES = "yes"
    IF_NEED_BE = "if_need_be"
    NO = "no"


class AvailabilityPoll(TimestampMixin, db.Model):
    """The chair's question "when can you come?", with 2 to 12 possible times."""

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(default="")
    # ``description`` as safe HTML, kept in step by ``keep_html``.
    description_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    closes_at: Mapped[datetime]
    status: Mapped[PollStatus] = mapped_column(
        enum_column(PollStatus, "poll_status"), default=PollStatus.OPEN
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))

    slots: Mapped[list[PollSlot]] = relationship(
        back_populates="poll",
        order_by="PollSlot.starts_at",
        cascade="all, delete-orphan",
        lazy="raise",
    )


class PollSlot(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(
        ForeignKey("availability_poll.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    poll: Mapped[AvailabilityPoll] = relationship(back_populates="slots", lazy="raise")


class PollAnswer(TimestampMixin, db.Model):
    """One member's answer for one slot."""

    __table_args__ = (UniqueConstraint("slot_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("poll_slot.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    availability: Mapped[Availability] = mapped_column(enum_column(Availability, "availability"))
    note: Mapped[str] = mapped_column(String(500), default="")


class MeetingStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Meeting(TimestampMixin, db.Model):
    __table_args__ = (Index("ix_meeting_panel_starts", "panel_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    joining_link: Mapped[str] = mapped_column(String(500), default="")
    venue: Mapped[str] = mapped_column(default="")
    accessibility_info: Mapped[str] = mapped_column(default="")
    # ``venue`` and ``accessibility_info`` as safe HTML, kept in step by ``keep_html``.
    venue_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    accessibility_info_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    # Said before the meeting's details when it may talk about something upsetting.
    content_note: Mapped[str] = mapped_column(default="", server_default="")
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus, "meeting_status"), default=MeetingStatus.DRAFT
    )
    calendar_uid: Mapped[str] = mapped_column(String(100), unique=True)
    calendar_sequence: Mapped[int] = mapped_column(default=0)
    # Raised by every saved edit of the details, so a second person's edit meets a conflict.
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")
    previous_results_summary: Mapped[str] = mapped_column(default="")
    # ``previous_results_summary`` as safe HTML, kept in step by ``keep_html``.
    previous_results_summary_html: Mapped[str] = mapped_column(
        StoredHTML, default="", server_default=""
    )
    pack_published_at: Mapped[datetime | None]
    pack_sent_at: Mapped[datetime | None]
    minutes_agreed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting",
        order_by="AgendaItem.position",
        cascade="all, delete-orphan",
        lazy="raise",
    )
    papers: Mapped[list[Paper]] = relationship(
        back_populates="meeting", order_by="Paper.id", cascade="all, delete-orphan", lazy="raise"
    )


class AgendaItem(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(default="")
    # ``description`` as safe HTML, kept in step by ``keep_html``.
    description_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    minutes: Mapped[int] = mapped_column(default=10)
    lead: Mapped[str] = mapped_column(String(200), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items", lazy="raise")


class Paper(TimestampMixin, db.Model):
    """A meeting paper: an uploaded file (with every earlier version kept) or a portal draft."""

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(300))
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("draft.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting] = relationship(back_populates="papers", lazy="raise")
    draft: Mapped[Draft | None] = relationship(lazy="raise")
    files: Mapped[list[PaperFile]] = relationship(
        back_populates="paper",
        order_by="PaperFile.version",
        cascade="all, delete-orphan",
        lazy="raise",
    )


class PaperFile(db.Model):
    """One uploaded version of a paper, stored under instance/ with a random name."""

    __table_args__ = (UniqueConstraint("paper_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("paper.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    paper: Mapped[Paper] = relationship(back_populates="files", lazy="raise")


class RsvpAnswer(enum.StrEnum):
    ATTENDING = "attending"
    NOT_ATTENDING = "not_attending"
    MAYBE = "maybe"


class Rsvp(TimestampMixin, db.Model):
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    answer: Mapped[RsvpAnswer] = mapped_column(enum_column(RsvpAnswer, "rsvp_answer"))
    # Seen only by the chair and the study team.
    access_note: Mapped[str] = mapped_column(default="")
    # ``access_note`` as safe HTML, kept in step by ``keep_html``.
    access_note_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")

    user: Mapped[User] = relationship(lazy="raise")


class Attendance(db.Model):
    """Who came, recorded by the chair; kept for the involvement record."""

    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    attended: Mapped[bool] = mapped_column(default=True)
    minutes_attended: Mapped[int | None]
    # Told the chair beforehand that they could not come; only meaningful when not attended.
    sent_apologies: Mapped[bool] = mapped_column(default=False, server_default=false())


class MinutesRevision(db.Model):
    """One version of a meeting's minutes; every revision is kept."""

    __table_args__ = (UniqueConstraint("meeting_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    body: Mapped[str]
    # ``body`` as safe HTML, kept in step by ``keep_html``.
    body_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    shared_at: Mapped[datetime | None]
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class MeetingAction(TimestampMixin, db.Model):
    """An action agreed at a meeting: what, who, by when, and where it is now."""

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str]
    # ``description`` as safe HTML, kept in step by ``keep_html``.
    description_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus, "action_status"), default=ActionStatus.OPEN
    )


class ReminderSent(db.Model):
    """A reminder already queued, so running the worker twice never sends it twice."""

    __table_args__ = (UniqueConstraint("meeting_id", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarFeed(db.Model):
    """A member's personal calendar address.

    The address carries a token derived from the secret key and ``version``; resetting the
    address bumps the version, so the old address stops working at once.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    version: Mapped[int] = mapped_column(default=1)
    reset_at: Mapped[datetime] = mapped_column(default=utcnow)


keep_html(AvailabilityPoll.description, AvailabilityPoll.description_html)
keep_html(Meeting.venue, Meeting.venue_html)
keep_html(Meeting.accessibility_info, Meeting.accessibility_info_html)
keep_html(AgendaItem.description, AgendaItem.description_html)
keep_html(Meeting.previous_results_summary, Meeting.previous_results_summary_html)
keep_html(Rsvp.access_note, Rsvp.access_note_html)
keep_html(MinutesRevision.body, MinutesRevision.body_html)
keep_html(MeetingAction.description, MeetingAction.description_html)
