"""A translated summary of a draft, a questionnaire or a meeting, in one language.

Each row belongs to exactly one subject (one of three foreign keys is set) in the same panel,
and keeps the SHA-256 of the English it was written against, so pages can tell when the English
has changed since. ``lock_version`` goes up with every saved change: a save based on an older
number is a conflict, shown to the person instead of overwriting a colleague's words.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, utcnow
from portal.extensions import db
from portal.text import StoredHTML, keep_html

if TYPE_CHECKING:
    from portal.accounts.models import User


class SubjectKind(enum.StrEnum):
    DRAFT = "draft"
    QUESTIONNAIRE = "questionnaire"
    MEETING = "meeting"


SUBJECT_COLUMNS = {
    SubjectKind.DRAFT: "draft_id",
    SubjectKind.QUESTIONNAIRE: "questionnaire_id",
    SubjectKind.MEETING: "meeting_id",
}


class TranslatedSummary(TimestampMixin, db.Model):
    """What a draft, questionnaire or meeting says, summarised in one of the portal's other
    languages by someone who reads it. Never made by a machine in the portal."""

    __table_args__ = (
        UniqueConstraint("draft_id", "language"),
        UniqueConstraint("questionnaire_id", "language"),
        UniqueConstraint("meeting_id", "language"),
        CheckConstraint(
            "(CASE WHEN draft_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN questionnaire_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN meeting_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_subject",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"))
    questionnaire_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire.id", ondelete="CASCADE")
    )
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    # One of portal.languages.TRANSLATED.
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(default="")
    # ``text`` as safe HTML, kept in step by ``keep_html``.
    text_html: Mapped[str] = mapped_column(StoredHTML, default="", server_default="")
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when someone confirmed that the words still match English that had changed.
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    checked_at: Mapped[datetime | None]
    # SHA-256 (hex) of the member-visible English the summary was written or checked against.
    english_sha256: Mapped[str] = mapped_column(String(64))
    lock_version: Mapped[int] = mapped_column(default=1)
    # The UPDATE also checks lock_version, so two saves racing each other cannot both win.
    __mapper_args__ = {"version_id_col": lock_version, "version_id_generator": False}

    written_by: Mapped[User | None] = relationship(foreign_keys=[written_by_id], lazy="raise")
    checked_by: Mapped[User | None] = relationship(foreign_keys=[checked_by_id], lazy="raise")

    @property
    def subject_kind(self) -> SubjectKind:
        if self.draft_id is not None:
            return SubjectKind.DRAFT
        if self.questionnaire_id is not None:
            return SubjectKind.QUESTIONNAIRE
        return SubjectKind.MEETING

    @property
    def subject_id(self) -> int:
        return getattr(self, SUBJECT_COLUMNS[self.subject_kind])


keep_html(TranslatedSummary.text, TranslatedSummary.text_html)
