"""Fixtures shared by every test: a real database (SQLite, or PostgreSQL when
``PORTAL_DATABASE_URL`` is set), the application, HTTP clients and a query counter.

Each test starts from empty tables: rows are deleted after every test, so tests see real commits,
exactly as the portal and its worker do in production.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, has_app_context
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import event, make_url, text
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from portal import create_app
from portal.config import database_url
from portal.extensions import db, limiter
from tests.mail_server import MailServer
from tests.notify_server import API_KEY, TEMPLATE_ID, NotifyServer

TEST_SECRET = secrets.token_hex(32)

pytest_plugins = ["tests.roles"]


def redis_test_url() -> str:
    """A Redis database of this test process's own (Redis runs on the test machine and in CI).

    Tests empty it, so each of the workers that run the suite in parallel has its own number.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return f"redis://127.0.0.1:6379/{15 - int(worker or 0) % 8}"


def _create_postgres_database(base_url: str) -> tuple[str, Callable[[], None]]:
    """A fresh PostgreSQL database for this test run, dropped again at the end."""
    import psycopg

    url = make_url(database_url(base_url, ""))
    name = f"portal_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')  # name is ours, never user input

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of an empty database that lives for the whole test run."""
    configured = os.environ.get("PORTAL_DATABASE_URL")
    if configured:
        url, drop = _create_postgres_database(configured)
        yield url
        drop()
    else:
        path: Path = tmp_path_factory.mktemp("db") / "portal.sqlite3"
        yield f"sqlite:///{path}"


def make_app(database_url: str, **overrides: Any) -> Flask:
    config = {
        "ENV": "test",
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": database_url,
        "SERVICE_NAME": "LEAP Portal",
        "BASE_URL": "http://localhost",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SMTP_HOST": "",
        "MAIL_FROM": "LEAP Portal <portal@example.org>",
    }
    config.update(overrides)
    return create_app(config)


class UncommittedSetup(AssertionError):
    """A test sent a request while its own changes were still uncommitted."""


WROTE_KEY = "test_wrote"


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, flush_context: Any) -> None:
    session.info[WROTE_KEY] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_write(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE_KEY] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_writes(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(WROTE_KEY, None)


def _end_the_tests_own_reads() -> None:
    """Before a request: the test must have committed what it made (as real data is), and its
    open read transaction ends, so the request runs alone and the test re-reads what it did."""
    session = db.session()
    if session.new or session.dirty or session.deleted or session.info.get(WROTE_KEY):
        session.rollback()
        raise UncommittedSetup(
            "the test changed the database and sent a request before committing; "
            "commit the test's setup first"
        )
    session.rollback()  # nothing was written: this only ends the test's read transaction


class PortalTestClient(FlaskClient):
    """A test client whose requests run in their own application context, as in production.

    Tests hold an application context for their own database work. Without this, Flask would
    reuse it for each request, sharing ``g``, the signed-in user and the database session with
    the test, and hiding bugs that real requests would meet. The client never commits for the
    test: a request sent with the test's changes still uncommitted fails the test.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            _end_the_tests_own_reads()
        token = _cv_app.set(None)  # type: ignore[arg-type]
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture(scope="session")
def app(database: str) -> Iterator[Flask]:
    """The application, with its tables created once.

    Tables come from the models here; ``tests/integration/test_migrations.py`` proves that the
    migrations build exactly the same schema.
    """
    application = make_app(database)
    application.test_client_class = PortalTestClient
    with application.app_context():
        db.create_all()
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(autouse=True)
def _fresh_state(app: Flask) -> Iterator[None]:
    """Every test starts with empty tables and no rate-limit counters."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        _empty_all_tables()
        db.session.remove()
    limiter.reset()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    """The CSRF token in a page's form, as a browser would submit it."""
    match = CSRF_PATTERN.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


class _HiddenInputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.values.setdefault(str(found["name"]), found.get("value") or "")


def hidden_inputs(html: str) -> dict[str, str]:
    """The hidden fields of a page's forms (first value of each name), as a browser sends them."""
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.values


def submit_form(
    client: FlaskClient, url: str, data: dict[str, Any], follow_redirects: bool = False
) -> Any:
    """GET ``url``, then POST ``data`` to it with the page's hidden fields (CSRF token
    included), like a browser."""
    page = client.get(url)
    assert page.status_code == 200, f"{url} answered {page.status_code}"
    html = page.get_data(as_text=True)
    payload = {**hidden_inputs(html), "csrf_token": csrf_token_from(html), **data}
    return client.post(url, data=payload, follow_redirects=follow_redirects)


TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    @property
    def queries(self) -> int:
        """Statements that read or write data: SQLite's explicit BEGIN is left out, so the same
        page counts the same on both databases."""
        return sum(1 for statement in self.statements if not TRANSACTION_CONTROL.match(statement))


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """``with count_queries() as log:`` records every SQL statement sent in the block."""

    @contextmanager
    def counting() -> Iterator[QueryLog]:
        log = QueryLog()

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            log.statements.append(statement)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield log
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def smtp_server(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[MailServer]:
    """A real SMTP server on loopback, with the app pointed at it for this test only."""
    server = MailServer()
    server.start()
    settings = {
        "SMTP_HOST": server.host,
        "SMTP_PORT": server.port,
        "SMTP_STARTTLS": False,
        "SMTP_SSL": False,
        "SMTP_USERNAME": "",
        "SMTP_TIMEOUT": 10,
    }
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def notify(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[NotifyServer]:
    """The loopback Notify server, with the app's Notify settings pointed at it."""
    server = NotifyServer()
    server.start()
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", API_KEY)
    monkeypatch.setitem(app.config, "NOTIFY_BASE_URL", server.url)
    monkeypatch.setitem(app.config, "NOTIFY_SMS_TEMPLATES", f"default={TEMPLATE_ID}")
    monkeypatch.setitem(app.config, "NOTIFY_CALLBACK_TOKEN", "callback-secret-for-tests")
    try:
        yield server
    finally:
        server.stop()
