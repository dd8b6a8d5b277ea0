"""A real SMTP server on loopback (aiosmtpd) that keeps every message it accepts.

It can be stopped and started again on the same port (to play a mail server that is down), made
to refuse recipients or a message's content with a chosen reply (greylisting, unknown user, a
full queue), made to hold the first message until a second connection is also sending, which
shows whether workers really overlap, and made to stall on a message until told to go on, to
play a worker that dies mid-send.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import cast

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

HOST = "127.0.0.1"


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the server accepted it: the envelope and the parsed content."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])


class RecordingHandler:
    """aiosmtpd handler that records accepted messages; its hooks run on the server's loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._received: list[ReceivedMail] = []
        self.rcpt_reply: str | None = None
        self.data_reply: str | None = None
        self.hold_until_overlap_seconds = 0.0
        self._in_data = 0
        self.most_at_once = 0
        # Every Message-ID whose content reached the server, accepted or not.
        self._seen_message_ids: list[str] = []
        self.stall_next_message = False
        self.stalling = threading.Event()
        self.go_on = threading.Event()

    @property
    def seen_message_ids(self) -> list[str]:
        with self._lock:
            return list(self._seen_message_ids)

    @property
    def received(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self._received)

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if self.rcpt_reply is not None:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self._in_data += 1
        self.most_at_once = max(self.most_at_once, self._in_data)
        try:
            content = envelope.content
            assert isinstance(content, bytes)
            parsed = cast(EmailMessage, message_from_bytes(content, policy=policy.default))
            with self._lock:
                self._seen_message_ids.append(str(parsed["Message-ID"]))
            if self.stall_next_message:
                self.stall_next_message = False
                self.stalling.set()
                # Bounded, like the hold below: a forgotten go_on never hangs the test run.
                loop = asyncio.get_running_loop()
                deadline = loop.time() + 60
                while not self.go_on.is_set() and loop.time() < deadline:
                    await asyncio.sleep(0.01)
            if self.data_reply is not None:
                return self.data_reply
            if self.hold_until_overlap_seconds:
                # Bounded: give up waiting for company rather than hang the test.
                loop = asyncio.get_running_loop()
                deadline = loop.time() + self.hold_until_overlap_seconds
                while self.most_at_once < 2 and loop.time() < deadline:
                    await asyncio.sleep(0.01)
            mail = ReceivedMail(
                mail_from=str(envelope.mail_from), rcpt_tos=list(envelope.rcpt_tos), message=parsed
            )
            with self._lock:
                self._received.append(mail)
        finally:
            self._in_data -= 1
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class MailServer:
    """An SMTP server on ``HOST``:``port``; ``stop()`` and ``start()`` keep the same port."""

    def __init__(self) -> None:
        self.host = HOST
        self.port = free_port()
        self.handler = RecordingHandler()
        self._controller: Controller | None = None

    @property
    def received(self) -> list[ReceivedMail]:
        return self.handler.received

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        assert self._controller is None, "the mail server is already running"
        # A controller's event loop is closed when it stops, so each start needs a new one.
        controller = Controller(self.handler, hostname=self.host, port=self.port)
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
