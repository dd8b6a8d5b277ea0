"""Anonymous answers in progress, kept in the person's own session cookie.

The answering service takes any ``AnonymousDrafts``; the answer pages give it this one, so the
answers never reach the database until they are sent, and then with no link to the person.
"""

from __future__ import annotations

from flask import current_app, session

from portal.questionnaires.answer_pages import AnswerValue

# Browsers drop cookies over 4096 bytes; the sign-in token shares the cookie, so keep room.
SESSION_COOKIE_LIMIT = 3800


def _cookie_size(values: dict[str, object]) -> int:
    """How long the session cookie would be with these values in it."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return len(serializer.dumps(values)) if serializer else 0


class CookieDrafts:
    """``AnonymousDrafts`` in this request's session cookie."""

    def get(self, key: str) -> dict[str, AnswerValue]:
        return dict(session.get(key, {}))

    def set(self, key: str, answers: dict[str, AnswerValue]) -> bool:
        if _cookie_size({**session, key: answers}) > SESSION_COOKIE_LIMIT:
            return False
        session[key] = answers
        return True

    def clear(self, key: str) -> None:
        session.pop(key, None)
