"""Questionnaires: named or anonymous, with answers that, when anonymous, cannot be traced back.

For an anonymous questionnaire, a ``Submission`` has no person, no time finer than the day, and
a random id; the separate ``Completion`` says who has answered (for reminders and involvement
records) and nothing about what they said. Named questionnaires keep a link to the person so
their answers can be changed until closing.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, enum_column
from portal.extensions import db
from portal.text import StoredHTML, keep_html


class QuestionType(enum.StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    AGREE_SCALE = "agree_scale"  # 5 points, strongly disagree .. strongly agree
    YES_NO_NOT_SURE = "yes_no_not_sure"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    RANKING = "ranking"  # choose and order your top N
    SECTION = "section"  # a heading with help text; not a question


class Audience(enum.StrEnum):
    PANEL = "panel"
    MEETING_ATTENDEES = "meeting_attendees"


class Questionnaire(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    introduction: Mapped[str] = mapped_column(default="")
    privacy_note: Mapped[str] = mapped_column(default="")
    # ``introduction`` and ``privacy_note`` as safe HTML, kept in step by ``keep_html``.
    introduction_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    privacy_note_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    # Said before the first question when it may talk about something upsetting.
    content_note: Mapped[str] = mapped_column(default="", server_default="")
    anonymous: Mapped[bool] = mapped_column(default=False)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    audience: Mapped[Audience] = mapped_column(
        enum_column(Audience, "audience"), default=Audience.PANEL
    )
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    copied_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    is_template: Mapped[bool] = mapped_column(default=False)
    # Raised by every saved edit of the details, so a second person's edit meets a conflict.
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    questions: Mapped[list[Question]] = relationship(
        back_populates="questionnaire",
        order_by="Question.position",
        cascade="all, delete-orphan",
        lazy="raise",
    )


class Question(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    kind: Mapped[QuestionType] = mapped_column(enum_column(QuestionType, "question_type"))
    text: Mapped[str] = mapped_column(String(500))
    help_text: Mapped[str] = mapped_column(default="")
    # ``help_text`` as safe HTML, for a section's page; kept in step by ``keep_html``.
    help_text_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    required: Mapped[bool] = mapped_column(default=False)
    # Choices for choice and ranking questions, in order; N for a ranking.
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    top_n: Mapped[int | None]

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="questions", lazy="raise")


class Submission(db.Model):
    """One set of answers. For anonymous questionnaires ``user_id`` is always empty and
    ``submitted_on`` is only the day; ``id`` is random so its order says nothing."""

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    submitted_on: Mapped[date | None]
    is_final: Mapped[bool] = mapped_column(default=False)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", lazy="raise"
    )


class Answer(db.Model):
    """One answer. Keyed by submission and question: no counter that records the order."""

    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # Text for text questions; chosen option(s) or ranked options, as a JSON list otherwise.
    text: Mapped[str] = mapped_column(default="")
    # ``text`` as safe HTML for the results page, kept in step by ``keep_html``.
    text_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)

    submission: Mapped[Submission] = relationship(back_populates="answers", lazy="raise")


class Completion(db.Model):
    """Who has answered a questionnaire, with nothing about what they answered.

    Its id is random and it keeps only the day, so it cannot be lined up with a submission.
    """

    __table_args__ = (UniqueConstraint("questionnaire_id", "user_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    completed_on: Mapped[date]


keep_html(Questionnaire.introduction, Questionnaire.introduction_html)
keep_html(Questionnaire.privacy_note, Questionnaire.privacy_note_html)
keep_html(Question.help_text, Question.help_text_html)
keep_html(Answer.text, Answer.text_html)
