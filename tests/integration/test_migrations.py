"""The committed migrations build exactly the schema the models describe, on this run's database."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal.extensions import db
from tests.conftest import _create_postgres_database, make_app

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


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
        downgrade(revision="0011")
        upgrade()
        with db.engine.connect() as connection:
            comments = connection.execute(text("SELECT body_html FROM comment")).scalars().all()
            agenda = connection.execute(text("SELECT description_html FROM agenda_item")).scalar()
            answers = connection.execute(text("SELECT text_html FROM answer")).scalars().all()
        db.session.remove()
    assert comments and all("<strong>matters</strong>" in html for html in comments)
    assert agenda == '<p dir="auto">What we will talk about, and <em>why</em>.</p>'
    assert '<p dir="auto">More time for <em>questions</em> (0).</p>' in answers


def test_upgrading_renders_the_safe_html_of_meeting_words_written_before(
    empty_database_app: Flask,
) -> None:
    from bench.seed import seed

    with empty_database_app.app_context():
        upgrade()
        seed(comments=1, members=2, items=1, password="a password long enough to pass")
        db.session.remove()
        # Back to before the meeting's words were kept as HTML; they change there, then forward.
        downgrade(revision="0017")
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE meeting SET venue = 'The **Old Town Hall**'"))
            connection.execute(text("UPDATE rsvp SET access_note = 'A *quiet* room'"))
        upgrade()
        with db.engine.connect() as connection:
            meeting = connection.execute(
                text("SELECT venue_html, accessibility_info_html FROM meeting")
            ).one()
            notes = connection.execute(text("SELECT access_note_html FROM rsvp")).scalars().all()
            agenda = connection.execute(text("SELECT count(*) FROM agenda_item")).scalar()
        db.session.remove()
    assert meeting.venue_html == '<p dir="auto">The <strong>Old Town Hall</strong></p>'
    assert meeting.accessibility_info_html == (
        '<p dir="auto">Captions are on. Take a break whenever you need.</p>'
    )
    assert notes == ['<p dir="auto">A <em>quiet</em> room</p>'] * 2
    assert agenda == 1  # undoing the columns kept the rows that refer to the meeting


def test_upgrading_renders_the_safe_html_of_drafts_rounds_minutes_and_more_written_before(
    empty_database_app: Flask,
) -> None:
    from bench.seed import seed
    from portal.db import utcnow
    from portal.meetings.models import AvailabilityPoll, MeetingAction, MinutesRevision
    from portal.panels.models import Panel
    from portal.questionnaires.models import Questionnaire

    with empty_database_app.app_context():
        upgrade()
        seeded = seed(comments=1, members=2, items=2, password="a password long enough to pass")
        db.session.add_all(
            [
                MinutesRevision(meeting_id=seeded.meeting_id, number=1, body="We *met*."),
                MeetingAction(meeting_id=seeded.meeting_id, description="Print the leaflet"),
                AvailabilityPoll(
                    panel_id=seeded.panel_id,
                    title="When can you come?",
                    description="About *an hour*.",
                    closes_at=utcnow(),
                ),
            ]
        )
        panel = db.session.get(Panel, seeded.panel_id)
        questionnaire = db.session.get(Questionnaire, seeded.questionnaire_id)
        assert panel is not None and questionnaire is not None
        panel.description = "A panel for **East London**."
        questionnaire.privacy_note = "Only the *study team* reads it."
        db.session.commit()
        db.session.remove()
        # Back to before these words were kept as HTML; some change there, then forward.
        downgrade(revision="0018")
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE draft SET summary = 'What the **panel** said'"))
            connection.execute(text("UPDATE version_item SET what = 'Train *every* team'"))
            connection.execute(text("UPDATE meeting_action SET description = 'Print the *poster*'"))
            connection.execute(text("UPDATE question SET help_text = 'Choose *one*'"))
        upgrade()
        with db.engine.connect() as connection:

            def read(query: str) -> list[object]:
                return list(connection.execute(text(query)).scalars())

            html = {
                "draft": read("SELECT summary_html FROM draft"),
                "version": read("SELECT summary_html FROM draft_version"),
                "draft items": read("SELECT description_html FROM draft_item ORDER BY id"),
                "version items": read("SELECT description_html FROM version_item ORDER BY id"),
                "what": read("SELECT what_html FROM version_item"),
                "resources": read("SELECT resources_html FROM version_item"),
                "instructions": read("SELECT instructions_html FROM review_round"),
                "poll": read("SELECT description_html FROM availability_poll"),
                "summary": read("SELECT previous_results_summary_html FROM meeting"),
                "minutes": read("SELECT body_html FROM minutes_revision"),
                "action": read("SELECT description_html FROM meeting_action"),
                "introduction": read("SELECT introduction_html FROM questionnaire"),
                "privacy": read("SELECT privacy_note_html FROM questionnaire"),
                "help": read("SELECT help_text_html FROM question"),
                "panel": read("SELECT description_html FROM panel"),
            }
            items = connection.execute(text("SELECT count(*) FROM version_item")).scalar()
            comments = connection.execute(text("SELECT count(*) FROM comment")).scalar()
        db.session.remove()
    assert html["draft"] == ['<p dir="auto">What the <strong>panel</strong> said</p>']
    assert html["version"] == [
        '<p dir="auto">What <strong>we heard</strong> in the focus groups.</p>'
    ]
    for key in ("draft items", "version items"):
        assert html[key] == [
            '<p dir="auto">What people said about <em>staff diversity across roles</em>.</p>',
            '<p dir="auto">What people said about <em>training on ethnicity and cultures</em>.</p>',
        ], key
    assert html["what"] == ['<p dir="auto">Train <em>every</em> team</p>'] * 2
    assert html["resources"] == ["", ""]  # no text, no HTML
    assert html["instructions"] == [
        '<p dir="auto">Tell us which actions match your experience.</p>'
    ]
    assert html["poll"] == ['<p dir="auto">About <em>an hour</em>.</p>']
    assert html["summary"] == ['<p dir="auto">You said the list was too long. We shortened it.</p>']
    assert html["minutes"] == ['<p dir="auto">We <em>met</em>.</p>']
    assert html["action"] == ['<p dir="auto">Print the <em>poster</em></p>']
    assert html["introduction"] == [
        '<p dir="auto">It takes about <strong>five minutes</strong>.</p>'
    ]
    assert html["privacy"] == ['<p dir="auto">Only the <em>study team</em> reads it.</p>']
    assert html["help"] == ['<p dir="auto">Choose <em>one</em></p>'] * 5
    assert html["panel"] == ['<p dir="auto">A panel for <strong>East London</strong>.</p>']
    # Undoing the columns kept the rows that refer to the tables that lost them.
    assert (items, comments) == (2, 1)


def test_a_new_migration_is_numbered_next_in_the_chain(tmp_path: Path) -> None:
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = {path.name for path in (copy / "versions").glob("*.py")}
    head = ScriptDirectory.from_config(_alembic_config(copy)).get_current_head()
    application = make_app(f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    cli = application.test_cli_runner()

    def flask_db(*args: str) -> None:
        # The command runs in this application's context, not that of the test run's database.
        with application.app_context():
            result = cli.invoke(args=["db", *args, "--directory", str(copy)])
        assert result.exit_code == 0, result.output

    flask_db("upgrade")
    flask_db("migrate", "-m", "Nothing changed")  # the schema matches the models: no file
    assert {path.name for path in (copy / "versions").glob("*.py")} == before
    flask_db("revision", "-m", "Add a reminder column")
    number = f"{len(before) + 1:04d}"
    added = {path.name for path in (copy / "versions").glob("*.py")} - before
    assert added == {f"{number}_add_a_reminder_column.py"}
    scripts = ScriptDirectory.from_config(_alembic_config(copy))
    assert scripts.get_heads() == [number]
    assert scripts.get_revision(number).down_revision == head  # type: ignore[union-attr]
    with application.app_context():
        db.engine.dispose()


def _alembic_config(directory: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(directory))
    return config


def test_upgrading_counts_the_answers_already_sent_in_each_round(
    empty_database_app: Flask,
) -> None:
    from bench.seed import seed
    from portal.rounds.counts import counted_now, kept

    with empty_database_app.app_context():
        upgrade()
        seeded = seed(comments=1, members=4, items=2, password="a password long enough to pass")
        db.session.commit()
        db.session.remove()
        # Back to before the counts were kept; answers change there, then forward.
        downgrade(revision="0019")
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE item_answer SET resonance = 'no' WHERE id = 1"))
            connection.execute(text("UPDATE item_answer SET comment = '' WHERE id = 2"))
        upgrade()
        made, counted = kept(seeded.round_id), counted_now(seeded.round_id)
        db.session.remove()
    assert made == counted
    # Three members sent answers about two items: every answer is counted, once.
    assert sum(made[item]["comments"] for item in made) == 5
    assert sum(sum(n for key, n in made[item].items() if key != "comments") for item in made) == 6
