"""Signed one-click unsubscribe links: a person and a kind of message, signed with the portal's
secret key, so the link works without signing in and cannot be altered to reach anyone else."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from portal.notifications.kinds import Kind, is_transactional, kind_from

_SALT = "portal.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kind: Kind


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_token(user_id: int, kind: Kind) -> str:
    return str(_serializer().dumps([user_id, kind.value]))


def unsubscribe_url(user_id: int, kind: Kind) -> str:
    base_url = current_app.config["BASE_URL"].rstrip("/")
    return f"{base_url}/unsubscribe/{unsubscribe_token(user_id, kind)}"


def read_token(token: str) -> Unsubscribe | None:
    """What a token unsubscribes from, or None for a forged, altered or unknown one."""
    if len(token) > 200:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        return None
    kind = kind_from(str(value[1]))
    if kind is None or is_transactional(kind):
        return None
    return Unsubscribe(user_id=value[0], kind=kind)
