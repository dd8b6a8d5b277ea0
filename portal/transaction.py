"""One commit per request, in one place.

Views and services change the database session; they never commit it. When the view has answered,
the commit point below commits if the answer is a success or a redirect, and rolls back if it is
an error page or the view raised. Mail (the outbox) and audit rows are written by services in the
same session, so they are kept or dropped together with the change they describe.

A view that must show a database error on its form (a name already taken, an edit conflict)
calls ``db.session.flush()`` inside ``try``/``except`` so the error surfaces there; the commit point
then commits whatever the view kept.

The worker and the ``flask portal`` commands are not requests: they commit for themselves.
"""

from __future__ import annotations

from flask import Flask, Response, g

from portal.extensions import db

KEEP_ON_ERROR_KEY = "keep_changes_on_error"


class PendingChanges(AssertionError):
    """A request left changes in the session after the commit point (raised only in tests)."""


def keep_changes_on_error() -> None:
    """Keep this request's changes even though its answer is an error page.

    For refusals that are themselves worth recording, such as the audit row of a refused single
    sign-on: the person sees an error, and the administrator can still see why.
    """
    g.setdefault(KEEP_ON_ERROR_KEY, True)


def _commit_or_roll_back(response: Response) -> Response:
    if response.status_code < 400 or g.get(KEEP_ON_ERROR_KEY, False):
        db.session.commit()
    else:
        db.session.rollback()
    return response


def _fail_on_pending_changes(error: BaseException | None) -> None:
    session = db.session
    if error is not None:
        session.rollback()  # the view raised: nothing of it may be kept
        return
    pending = [*session.new, *session.dirty, *session.deleted]
    if pending:
        session.rollback()
        raise PendingChanges(f"changes left uncommitted after the request: {pending!r}")


def init_commit_point(app: Flask) -> None:
    """Install the commit point. Call it before anything else adds ``after_request`` functions:
    Flask calls them last-added first, so the commit then comes after all the others."""
    app.after_request(_commit_or_roll_back)
    if app.config.get("ENV") == "test":
        # In tests, a request that changes something after the commit point fails the test.
        app.teardown_request(_fail_on_pending_changes)
