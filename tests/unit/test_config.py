"""Configuration: defaults, the instance file, environment variables, and production safety."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from portal import create_app
from portal.config import (
    SETTINGS,
    ConfigError,
    check_rate_limit_storage,
    check_secret_key,
    database_url,
)
from portal.extensions import limiter
from tests.conftest import redis_test_url

README = Path(__file__).resolve().parents[2] / "README.md"


def test_production_refuses_to_start_without_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="PORTAL_SECRET_KEY is not set.*token_hex"):
        create_app({"SECRET_KEY": None})


@pytest.mark.parametrize(
    "weak",
    ["dev", "changeme", "short-but-random-7Hq", "a" * 40, "abababababababababababababababab"],
)
def test_production_refuses_a_weak_secret_key(weak: str) -> None:
    with pytest.raises(ConfigError, match="too weak"):
        check_secret_key("production", weak)


@pytest.mark.parametrize("uri", ["memory://", "MEMORY://", "", None])
def test_production_refuses_rate_limits_counted_in_each_process(uri: str | None) -> None:
    with pytest.raises(ConfigError, match="PORTAL_RATELIMIT_STORAGE_URI.*redis://"):
        check_rate_limit_storage("production", uri)


def test_production_refuses_to_start_with_memory_rate_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "x7Gp2Lq9Zt4Wm8Rk3Vb6Nc1Hd5Jf0Ys2")
    monkeypatch.delenv("PORTAL_RATELIMIT_STORAGE_URI", raising=False)
    with pytest.raises(ConfigError, match="each web server process would count"):
        create_app({"DATABASE_URL": "sqlite://"})


def test_redis_rate_limits_and_other_environments_are_accepted() -> None:
    check_rate_limit_storage("production", "redis://cache.internal:6379/0")
    check_rate_limit_storage("development", "memory://")
    check_rate_limit_storage("test", "memory://")


def test_production_accepts_a_long_random_key() -> None:
    check_secret_key("production", "9f3b2c7e1d0a4f6b8c5e2d7a9b1c3e5f7a9b2c4d")


def test_environment_variables_override_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_SERVICE_NAME", "Our Panel")
    monkeypatch.setenv("PORTAL_MAX_UPLOAD_MB", "5")
    monkeypatch.setenv("PORTAL_SMTP_STARTTLS", "false")
    app = create_app({"DATABASE_URL": "sqlite://"})
    assert app.config["SERVICE_NAME"] == "Our Panel"
    assert app.config["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024
    assert app.config["SMTP_STARTTLS"] is False


def test_a_bad_environment_value_says_which_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_MAX_UPLOAD_MB", "twenty")
    with pytest.raises(ConfigError, match="PORTAL_MAX_UPLOAD_MB"):
        create_app()


def test_production_cookies_are_secure(app: Flask) -> None:
    suite_app = app
    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": "x7Gp2Lq9Zt4Wm8Rk3Vb6Nc1Hd5Jf0Ys2",
            "RATELIMIT_STORAGE_URI": redis_test_url(),
        }
    )
    limiter.init_app(suite_app)  # the limiter is one object: back to the suite's own storage
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_sqlite_is_the_default_and_postgres_uses_psycopg_3() -> None:
    assert database_url(None, "/srv/portal.sqlite3") == "sqlite:////srv/portal.sqlite3"
    assert database_url("postgresql://u@h/db", "x") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db", "x") == "postgresql+psycopg://u@h/db"


def test_every_setting_is_documented_in_the_readme() -> None:
    documented = set(re.findall(r"^\| `PORTAL_([A-Z0-9_]+)`", README.read_text(), re.MULTILINE))
    assert documented == {setting.name for setting in SETTINGS}
