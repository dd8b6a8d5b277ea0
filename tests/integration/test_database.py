"""The database set-up: SQLite shared safely by several processes; page query counts stay flat."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from portal.extensions import db
from portal.panels.models import Panel, Role
from tests.conftest import make_app
from tests.factories import add_to_panel, make_panel, make_user, sign_in

WRITER = textwrap.dedent(
    """
    import sys
    from tests.conftest import make_app
    from portal.extensions import db
    from portal.panels.models import Panel

    app = make_app(sys.argv[1])
    with app.app_context():
        for number in range(40):
            # Read, then write, in one transaction: the pattern that deadlocks when two
            # deferred transactions both try to upgrade to a write lock.
            count = db.session.query(Panel).count()
            db.session.add(Panel(name=f"{sys.argv[2]}-{number}-{count}"))
            db.session.commit()
    print("ok")
    """
)


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    sqlite_app = make_app(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}")
    with sqlite_app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        db.engine.dispose()


def test_several_processes_write_at_once_without_database_is_locked(database: str) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, database, f"writer{n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-2000:]
        assert "locked" not in err
    assert db.session.scalar(select(func.count(Panel.id))) == 160


def test_home_page_query_count_does_not_grow_with_panels(
    client: FlaskClient, count_queries: Callable[[], object]
) -> None:
    person = make_user()
    add_to_panel(make_panel(), person, Role.MEMBER)
    sign_in(client, person)
    with count_queries() as few:  # type: ignore[attr-defined]
        assert client.get("/").status_code == 200
    for _ in range(15):
        add_to_panel(make_panel(), person, Role.MEMBER)
    with count_queries() as many:  # type: ignore[attr-defined]
        html = client.get("/").get_data(as_text=True)
    assert html.count("Your role:") == 16
    assert many.count == few.count
