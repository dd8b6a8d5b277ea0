"""Two-step verification (TOTP and recovery codes)."""

from __future__ import annotations

from portal.accounts.models import User


def is_required_at_sign_in(user: User) -> bool:
    """Must this person pass a second step before their session starts?"""
    return False
