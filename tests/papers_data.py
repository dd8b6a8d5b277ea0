"""Meetings and files for the agenda, papers and minutes tests, made straight through the models."""

from __future__ import annotations

import io
import secrets
import zipfile
from datetime import timedelta

from portal.db import utcnow
from portal.extensions import db
from portal.meetings.models import AgendaItem, Meeting, MeetingStatus
from portal.panels.models import Panel

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
# The start of a Windows program: what a renamed .exe really holds.
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def office_bytes(main_part: str) -> bytes:
    """A minimal Office Open XML package whose main part is ``main_part``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def make_meeting(
    panel: Panel,
    title: str = "Workshop 3: what matters most",
    days_ahead: float = 10,
    status: MeetingStatus = MeetingStatus.PUBLISHED,
    agenda: tuple[str, ...] = (),
) -> Meeting:
    starts = (utcnow() + timedelta(days=days_ahead)).replace(microsecond=0)
    meeting = Meeting(
        panel_id=panel.id,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        status=status,
        calendar_uid=f"{secrets.token_hex(8)}@test",
    )
    db.session.add(meeting)
    db.session.flush()
    for position, item_title in enumerate(agenda, start=1):
        db.session.add(
            AgendaItem(meeting_id=meeting.id, position=position, title=item_title, minutes=20)
        )
    db.session.commit()
    return meeting
