"""Accounts: creating people, checking passwords."""

from __future__ import annotations

from sqlalchemy import select

from portal.accounts.models import User
from portal.accounts.passwords import hash_password, verify_password
from portal.extensions import db


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    email: str, display_name: str, password: str | None = None, is_admin: bool = False
) -> User:
    """Add a new account; it commits with the request (or when the command commits)."""
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        password_hash=hash_password(password) if password else None,
        is_admin=is_admin,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, or None. Same effort either way."""
    user = find_user_by_email(email)
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active_account:
        return None
    return user
