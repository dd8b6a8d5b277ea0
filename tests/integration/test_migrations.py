"""The committed migrations build exactly the schema the models describe, on this run's database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal.extensions import db
from tests.conftest import _create_postgres_database, make_app


@pytest.fixture
def empty_database_app(tmp_path: Path) -> Iterator[Flask]:
    """An application bound to a brand-new, empty database of the kind this run uses."""
    configured = os.environ.get("PORTAL_DATABASE_URL")
    drop = None
    if configured:
        url, drop = _create_postgres_database(configured)
    else:
        url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    application = make_app(url)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    if drop:
        drop()


def _differences(app: Flask) -> list[object]:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, db.metadata))


def test_upgrading_an_empty_database_gives_exactly_the_models_schema(
    empty_database_app: Flask,
) -> None:
    with empty_database_app.app_context():
        upgrade()
        db.session.remove()
    assert _differences(empty_database_app) == []


def test_migrations_can_be_undone_and_redone(empty_database_app: Flask) -> None:
    with empty_database_app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        db.session.remove()
    assert _differences(empty_database_app) == []


def test_upgrading_renders_the_safe_html_of_words_people_wrote_before(
    empty_database_app: Flask,
) -> None:
    from bench.seed import seed

    with empty_database_app.app_context():
        upgrade()
        seed(comments=2, members=2, items=1, password="a password long enough to pass")
        db.session.remove()
        # Back to before the HTML was kept, then forward: the upgrade renders what is there.
        downgrade(revision="0005_edit_conflicts")
        upgrade()
        with db.engine.connect() as connection:
            comments = connection.execute(text("SELECT body_html FROM comment")).scalars().all()
            agenda = connection.execute(text("SELECT description_html FROM agenda_item")).scalar()
            answers = connection.execute(text("SELECT text_html FROM answer")).scalars().all()
        db.session.remove()
    assert comments and all("<strong>matters</strong>" in html for html in comments)
    assert agenda == "<p>What we will talk about, and <em>why</em>.</p>"
    assert "<p>More time for <em>questions</em> (0).</p>" in answers
