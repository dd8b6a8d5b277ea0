"""Database migrations (Flask-Migrate), set up only when something asks for them.

Flask-Migrate brings Alembic, Mako and Pygments with it: about 11 MB in every process that loads
it. A web worker never migrates, so the application gets a stand-in instead: the ``flask db``
commands and ``app.extensions["migrate"]`` load the real thing the first time they are used (a
``flask db`` command, the migration tests, ``migrations/env.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import Flask

from portal.db import render_migration_item
from portal.extensions import db

DIRECTORY = Path(__file__).resolve().parent.parent / "migrations"


def _set_up(app: Flask) -> Any:
    from flask_migrate import Migrate

    Migrate(
        app,
        db,
        directory=str(DIRECTORY),
        compare_type=True,
        render_as_batch=True,
        render_item=render_migration_item,
    )
    return app.extensions["migrate"]


class _MigrateWhenAsked:
    """Stands in ``app.extensions["migrate"]`` until it is read, then puts Flask-Migrate there."""

    def __init__(self, app: Flask) -> None:
        self._app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(_set_up(self._app), name)


class _MigrationCommands(click.Group):
    """``flask db …``: Flask-Migrate's own commands, loaded when one of them is asked for."""

    def _commands(self) -> click.Group:
        from flask_migrate.cli import db as commands

        return commands

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # The real group parses its own options and runs its own sub-commands.
        return self._commands().make_context(info_name, args, parent=parent, **extra)


def init_migrations(app: Flask) -> None:
    app.extensions["migrate"] = _MigrateWhenAsked(app)
    app.cli.add_command(
        _MigrationCommands("db", help="Database migrations (Flask-Migrate: upgrade, migrate, …).")
    )
