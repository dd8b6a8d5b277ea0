"""A small stand-in for GOV.UK Notify's API on loopback, for the text-message tests.

It checks what the real client sends (the path, the JSON body, and the JWT in the Authorization
header, signed with the API key's secret and naming the service) and answers as Notify's API
does: 201 with the new notification, or Notify's error bodies for a bad number (400), the rate
limit (429) or its own failure (500). Tests queue the answers they want next.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt

HOST = "127.0.0.1"
SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"portal_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
UK_MOBILE = re.compile(r"^\+447\d{9}$")

ERRORS = {
    400: ("BadRequestError", "phone_number Not a UK mobile number"),
    429: (
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    ),
    500: ("Exception", "Internal server error"),
}


@dataclass
class SentText:
    id: str
    phone_number: str
    template_id: str
    personalisation: dict[str, str]
    reference: str


@dataclass
class NotifyState:
    texts: list[SentText] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # why requests were refused
    answers: list[int] = field(default_factory=list)  # statuses to answer next, in order
    lock: threading.Lock = field(default_factory=threading.Lock)


def _error_body(status: int, kind: str, message: str) -> dict[str, Any]:
    return {"errors": [{"error": kind, "message": message}], "status_code": status}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet in tests
        pass

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        state = self.server.state
        if not header.startswith("Bearer "):
            state.refused.append("no bearer token")
            return False
        try:
            claims = jwt.decode(header[7:], SECRET, algorithms=["HS256"])
        except jwt.PyJWTError as error:
            state.refused.append(f"bad token: {error}")
            return False
        if claims.get("iss") != SERVICE_ID or abs(time.time() - claims.get("iat", 0)) > 30:
            state.refused.append("token names another service or is stale")
            return False
        return True

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        state = self.server.state
        if not self._authorised():
            self._answer(403, _error_body(403, "AuthError", "Invalid token"))
            return
        if self.path != "/v2/notifications/sms":
            state.refused.append(f"path {self.path}")
            self._answer(404, _error_body(404, "NotFound", "not found"))
            return
        length = int(self.headers.get("Content-Length", "0"))
        try:
            body = json.loads(self.rfile.read(length))
        except ValueError:
            self._answer(400, _error_body(400, "BadRequestError", "not JSON"))
            return
        with state.lock:
            forced = state.answers.pop(0) if state.answers else None
        if forced in ERRORS:
            kind, message = ERRORS[forced]
            self._answer(forced, _error_body(forced, kind, message))
            return
        if not UK_MOBILE.match(str(body.get("phone_number", ""))):
            self._answer(400, _error_body(400, *ERRORS[400]))
            return
        if body.get("template_id") != TEMPLATE_ID or not isinstance(
            body.get("personalisation"), dict
        ):
            state.refused.append(f"body {body}")
            self._answer(400, _error_body(400, "BadRequestError", "Template not found"))
            return
        text = SentText(
            id=str(uuid.uuid4()),
            phone_number=body["phone_number"],
            template_id=body["template_id"],
            personalisation=body["personalisation"],
            reference=str(body.get("reference", "")),
        )
        with state.lock:
            state.texts.append(text)
        self._answer(
            201,
            {
                "id": text.id,
                "reference": text.reference,
                "content": {"body": text.personalisation.get("message", ""), "from_number": "LEAP"},
                "template": {"id": TEMPLATE_ID, "version": 1, "uri": "/v2/template/x"},
                "uri": f"/v2/notifications/{text.id}",
            },
        )

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if not self._authorised():
            self._answer(403, _error_body(403, "AuthError", "Invalid token"))
            return
        url = urlparse(self.path)
        if url.path != "/v2/notifications":
            self._answer(404, _error_body(404, "NotFound", "not found"))
            return
        reference = parse_qs(url.query).get("reference", [""])[0]
        with self.server.state.lock:
            found = [t for t in self.server.state.texts if t.reference == reference]
        self._answer(
            200,
            {
                "notifications": [
                    {"id": t.id, "reference": t.reference, "type": "sms", "status": "sending"}
                    for t in found
                ],
                "links": {"current": self.path},
            },
        )


class _Server(ThreadingHTTPServer):
    state: NotifyState


class NotifyServer:
    """Start it, point ``NOTIFY_BASE_URL`` at ``url``, and read ``state``."""

    def __init__(self) -> None:
        self._server = _Server((HOST, 0), _Handler)
        self._server.state = NotifyState()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._server.server_address[1]}"

    @property
    def state(self) -> NotifyState:
        return self._server.state

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
