"""Configuration: defaults, then ``instance/config.py``, then ``PORTAL_*`` environment variables.

Every setting the portal reads is declared once in ``SETTINGS``. The README's configuration table
is checked against this list by a test, so a new setting cannot go undocumented.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says how to fix it."""


def _as_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true or false, got {value!r}")


@dataclass(frozen=True)
class Setting:
    """One setting: its name without the ``PORTAL_`` prefix, default, parser and meaning."""

    name: str
    default: Any
    parse: Callable[[str], Any]
    description: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "ENV",
        "development",
        str,
        "`development`, `production` or `test`. Production "
        "refuses weak secrets and marks cookies Secure.",
    ),
    Setting(
        "SECRET_KEY",
        None,
        str,
        "Signs sessions and tokens. Required in production: at least 32 random characters.",
    ),
    Setting(
        "DATABASE_URL",
        None,
        str,
        "SQLAlchemy URL. Unset: SQLite at "
        "`instance/portal.sqlite3`. PostgreSQL: `postgresql://user@host/db`.",
    ),
    Setting("SERVICE_NAME", "LEAP Portal", str, "The name shown in the header, titles and emails."),
    Setting(
        "ORGANISATION_NAME",
        "",
        str,
        "Who runs this portal; shown in the footer and privacy notice.",
    ),
    Setting(
        "LOGO_URL",
        "",
        str,
        "Address of a logo image for the header. No logo is shown "
        "when unset (the NHS logo is never shown by default).",
    ),
    Setting(
        "BASE_URL",
        "http://127.0.0.1:5000",
        str,
        "The public address, used for links in emails and calendar files.",
    ),
    Setting(
        "CONTACT_EMAIL",
        "",
        str,
        "Where people can write about the portal itself; shown on the contact page.",
    ),
    Setting("DEFAULT_LOCALE", "en", str, "Language used when a person has not chosen one."),
    Setting(
        "MAX_UPLOAD_MB", 20, int, "Largest request body (and so upload) accepted, in megabytes."
    ),
    Setting(
        "PROXY_COUNT",
        0,
        int,
        "How many trusted proxies (load balancers) sit in front of "
        "the app; used to find the client address and HTTPS.",
    ),
    Setting("LOG_LEVEL", "INFO", str, "Python logging level."),
    Setting(
        "SMTP_HOST",
        "",
        str,
        "Mail server. Unset: the worker writes each message to the log instead of sending it.",
    ),
    Setting("SMTP_PORT", 587, int, "Mail server port."),
    Setting("SMTP_USERNAME", "", str, "Mail server user name, if it needs one."),
    Setting("SMTP_PASSWORD", "", str, "Mail server password, if it needs one."),
    Setting("SMTP_STARTTLS", True, _as_bool, "Upgrade the connection with STARTTLS."),
    Setting("SMTP_SSL", False, _as_bool, "Connect with TLS from the start (usually port 465)."),
    Setting("SMTP_TIMEOUT", 30, int, "Seconds to wait for the mail server."),
    Setting(
        "MAIL_FROM", "LEAP Portal <no-reply@localhost>", str, "The From address of every message."
    ),
    Setting(
        "MAIL_MAX_ATTEMPTS",
        8,
        int,
        "How many times the worker tries a message before giving up on it.",
    ),
    Setting(
        "MAIL_RETRY_SECONDS",
        60,
        int,
        "Wait before the first retry; it doubles after each failure, up to 6 hours.",
    ),
    Setting("WORKER_POLL_SECONDS", 5, int, "How often a running worker looks for new work."),
    Setting(
        "RATELIMIT_STORAGE_URI",
        "memory://",
        str,
        "Where rate-limit counters live. Use "
        "Redis (`redis://127.0.0.1:6379/0`) when more than one process serves the portal.",
    ),
    Setting(
        "SESSION_IDLE_MINUTES", 30, int, "Sign a person out after this long without a request."
    ),
    Setting(
        "SESSION_MAX_HOURS",
        12,
        int,
        "Sign a person out this long after they signed in, however active.",
    ),
    Setting(
        "PRIVACY_NOTICE_VERSION",
        "2026-11",
        str,
        "The version of the privacy notice people agree to when they accept an invitation; "
        "the version and time of agreement are kept with each account.",
    ),
    Setting(
        "OIDC_ISSUER",
        "",
        str,
        "The OpenID Connect issuer for study-team single sign-on, such as "
        "`https://login.example.org`. Unset: no single sign-on button.",
    ),
    Setting("OIDC_CLIENT_ID", "", str, "The portal's client id at the OpenID Connect provider."),
    Setting(
        "OIDC_CLIENT_SECRET", "", str, "The portal's client secret at the OpenID Connect provider."
    ),
    Setting(
        "OIDC_BUTTON_LABEL",
        "Sign in with your organisation account",
        str,
        "The words on the single sign-on button.",
    ),
    Setting(
        "MEETING_REMINDER_DAYS",
        "7,1",
        str,
        "Days before a meeting when the worker reminds everyone who has not declined, "
        "separated by commas.",
    ),
    Setting(
        "MEETING_REMINDER_HOURS",
        "2",
        str,
        "Hours before a meeting for a last reminder (after the day reminders), separated by "
        "commas; empty for none.",
    ),
    Setting(
        "DIGEST_HOUR",
        7,
        int,
        "Hour of the day (UK time) when the worker sends daily and weekly digest emails.",
    ),
    Setting(
        "NOTIFY_API_KEY",
        "",
        str,
        "GOV.UK Notify API key for text messages. Unset: texts are written to the log instead.",
    ),
    Setting(
        "NOTIFY_SMS_TEMPLATES",
        "",
        str,
        "Notify text template for each kind of message, as `kind=template-id` pairs separated "
        "by commas; `default=template-id` covers the rest. Each template holds `((message))` "
        "and `((link))`.",
    ),
    Setting(
        "NOTIFY_BASE_URL",
        "https://api.notifications.service.gov.uk",
        str,
        "Where Notify's API is. Change it only to test against another server.",
    ),
    Setting(
        "NOTIFY_CALLBACK_TOKEN",
        "",
        str,
        "The bearer token Notify sends with delivery receipts to `/notify/delivery-status`. "
        "Unset: the endpoint is off.",
    ),
    Setting(
        "PACK_DAYS_BEFORE",
        7,
        int,
        "Days before a meeting when its published pre-meeting pack is emailed to members.",
    ),
    Setting(
        "PAPERS_FOLDER",
        "",
        str,
        "Where uploaded meeting papers are stored. Unset: `instance/papers`.",
    ),
    Setting(
        "PAPERS_MAX_MB",
        20,
        int,
        "Largest meeting paper accepted, in megabytes. Keep it below `PORTAL_MAX_UPLOAD_MB`.",
    ),
)

WEAK_SECRETS = frozenset(
    {"dev", "development", "secret", "changeme", "change-me", "please-change-me", "test", "key"}
)
MIN_SECRET_LENGTH = 32


def load_config(app: Flask, overrides: Mapping[str, Any] | None = None) -> None:
    """Fill ``app.config``: defaults, then the instance file, then the environment, then overrides.

    Only reads: it never writes files, opens connections or prompts.
    """
    for setting in SETTINGS:
        app.config[setting.name] = setting.default
    app.config.from_pyfile("config.py", silent=True)
    for setting in SETTINGS:
        raw = os.environ.get(f"PORTAL_{setting.name}")
        if raw is not None:
            try:
                app.config[setting.name] = setting.parse(raw)
            except ValueError as error:
                raise ConfigError(f"PORTAL_{setting.name} is not valid: {error}") from error
    if overrides:
        app.config.update(overrides)
    _derive(app)


def _derive(app: Flask) -> None:
    """Turn the portal's settings into the names Flask and its extensions read."""
    config = app.config
    production = config["ENV"] == "production"
    if config["SECRET_KEY"] is None and not production:
        # Development and tests get a key for this process only; sessions end on restart.
        config["SECRET_KEY"] = secrets.token_hex(32)
    check_secret_key(config["ENV"], config["SECRET_KEY"])
    check_rate_limit_storage(config["ENV"], config["RATELIMIT_STORAGE_URI"])

    config["SQLALCHEMY_DATABASE_URI"] = database_url(
        config["DATABASE_URL"], os.path.join(app.instance_path, "portal.sqlite3")
    )
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    config["MAX_CONTENT_LENGTH"] = config["MAX_UPLOAD_MB"] * 1024 * 1024
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = "Lax"
    config["SESSION_COOKIE_SECURE"] = production
    config["SESSION_COOKIE_NAME"] = "__Host-portal" if production else "portal"
    config["REMEMBER_COOKIE_DURATION"] = 0
    config["WTF_CSRF_TIME_LIMIT"] = None  # the token lives as long as the session does
    config["WTF_CSRF_CHECK_DEFAULT"] = False  # checked in portal.security, see there
    config["RATELIMIT_HEADERS_ENABLED"] = True
    config["BABEL_DEFAULT_LOCALE"] = config["DEFAULT_LOCALE"]
    config["BABEL_DEFAULT_TIMEZONE"] = "Europe/London"
    from portal.languages import CATALOGUES

    config["BABEL_TRANSLATION_DIRECTORIES"] = str(CATALOGUES)
    config["PREFERRED_URL_SCHEME"] = "https" if production else "http"


def check_secret_key(env: str, key: str | None) -> None:
    """Refuse to run in production with a missing or guessable ``SECRET_KEY``."""
    if env != "production":
        return
    how = (
        "Set PORTAL_SECRET_KEY to a long random value, for example the output of: "
        "python -c 'import secrets; print(secrets.token_hex(32))'"
    )
    if not key:
        raise ConfigError(f"PORTAL_SECRET_KEY is not set. {how}")
    if len(key) < MIN_SECRET_LENGTH or key.strip().lower() in WEAK_SECRETS or len(set(key)) < 10:
        raise ConfigError(f"PORTAL_SECRET_KEY is too weak to use in production. {how}")


def check_rate_limit_storage(env: str, uri: str | None) -> None:
    """Refuse to run in production with counters kept in each process's memory: each gunicorn
    worker would count alone, so a limit of 5 wrong passwords becomes 5 per worker."""
    if env != "production":
        return
    if not uri or uri.strip().lower().startswith("memory://"):
        raise ConfigError(
            "PORTAL_RATELIMIT_STORAGE_URI is memory://, so each web server process would count "
            "rate limits on its own. Set it to a Redis server that every process shares, for "
            "example redis://127.0.0.1:6379/0"
        )


def database_url(configured: str | None, sqlite_path: str) -> str:
    """The SQLAlchemy URL to use: PostgreSQL through psycopg 3 when configured, else SQLite."""
    if not configured:
        return f"sqlite:///{sqlite_path}"
    for prefix in ("postgres://", "postgresql://"):
        if configured.startswith(prefix):
            return "postgresql+psycopg://" + configured[len(prefix) :]
    return configured
