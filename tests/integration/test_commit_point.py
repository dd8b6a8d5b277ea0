"""One commit per request: kept on success, dropped on error, and never left half-done."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, Response, abort, redirect, stream_with_context
from sqlalchemy import func, select

from portal.access import public_page
from portal.extensions import db
from portal.panels.models import Panel
from portal.transaction import PendingChanges, keep_changes_on_error
from tests.conftest import UncommittedSetup, make_app

PORTAL = Path(__file__).resolve().parents[2] / "portal"


def _panels_named(name: str) -> int:
    return db.session.scalar(select(func.count()).where(Panel.name == name)) or 0


@pytest.fixture
def trial_app(database: str) -> Iterator[Flask]:
    """The portal with a few extra routes that change something and then answer in different
    ways, as real pages do."""
    trial = make_app(database, WTF_CSRF_ENABLED=False)

    def add(name: str) -> None:
        db.session.add(Panel(name=name))

    @trial.post("/trial/saved")
    @public_page
    def saved() -> Response:
        add("Saved then redirected")
        return redirect("/")  # type: ignore[return-value]

    @trial.post("/trial/refused")
    @public_page
    def refused() -> str:
        add("Added then refused")
        abort(400)

    @trial.post("/trial/broken")
    @public_page
    def broken() -> str:
        add("Added then broken")
        raise RuntimeError("something went wrong after the change")

    @trial.post("/trial/refusal-recorded")
    @public_page
    def refusal_recorded() -> tuple[str, int]:
        add("Refusal recorded")
        keep_changes_on_error()
        return "refused", 403

    @trial.get("/trial/late")
    @public_page
    def late() -> Response:
        def body() -> Iterator[str]:
            yield "started"
            add("Added after the commit point")  # too late: nothing will commit it

        return Response(stream_with_context(body()))

    yield trial
    with trial.app_context():
        db.engine.dispose()


def test_a_successful_request_is_committed_and_a_refused_one_is_not(trial_app: Flask) -> None:
    client = trial_app.test_client()
    assert client.post("/trial/saved").status_code == 302
    assert client.post("/trial/refused").status_code == 400
    assert client.post("/trial/broken").status_code == 500
    assert _panels_named("Saved then redirected") == 1
    assert _panels_named("Added then refused") == 0
    assert _panels_named("Added then broken") == 0


def test_a_refusal_worth_recording_is_kept_although_the_answer_is_an_error(
    trial_app: Flask,
) -> None:
    assert trial_app.test_client().post("/trial/refusal-recorded").status_code == 403
    assert _panels_named("Refusal recorded") == 1


def test_a_change_left_after_the_commit_point_fails_the_test(trial_app: Flask) -> None:
    with pytest.raises(PendingChanges):
        trial_app.test_client().get("/trial/late").get_data()
    assert _panels_named("Added after the commit point") == 0


def test_no_view_commits_for_itself() -> None:
    committing = [
        str(path.relative_to(PORTAL.parent))
        for path in PORTAL.rglob("*.py")
        if path.name.endswith("views.py") and re.search(r"\.commit\(\)", path.read_text())
    ]
    assert committing == []


def test_a_request_sent_before_the_test_commits_its_setup_fails_the_test(app: Flask) -> None:
    db.session.add(Panel(name="Not committed by the test"))
    with pytest.raises(UncommittedSetup):
        app.test_client().get("/support")
    assert _panels_named("Not committed by the test") == 0
