"""What the request layer tells the layers below it about each request.

Services, the database set-up and audit recording never read ``request`` or ``current_user``,
so the worker and commands can call them too. Instead, before anything else in a request:

- a GET or HEAD request never changes data, so SQLite begins its transactions DEFERRED (read)
  rather than IMMEDIATE (``portal.db.sqlite_deferred_begin``);
- audit events recorded during the request are the signed-in person's, from the client's
  address (``portal.audit.service.acting``), looked up when an event is recorded, so signing in
  or out part-way through is seen.

Both are put back when the request ends.
"""

from __future__ import annotations

from contextvars import Token
from typing import Any

from flask import Flask, g, request
from flask_login import current_user

from portal.audit.service import Actor, acting
from portal.db import sqlite_deferred_begin

READ_ONLY_METHODS = ("GET", "HEAD")


def _actor_of_this_request() -> Actor:
    user_id = current_user.id if current_user.is_authenticated else None
    return Actor(user_id=user_id, address=request.remote_addr or "")


def _begin_request() -> None:
    tokens: list[tuple[Any, Token[Any]]] = [(acting, acting.set(_actor_of_this_request))]
    if request.method in READ_ONLY_METHODS:
        tokens.append((sqlite_deferred_begin, sqlite_deferred_begin.set(True)))
    g.request_scope_tokens = tokens


def _end_request(error: BaseException | None) -> None:
    for variable, token in reversed(g.pop("request_scope_tokens", [])):
        variable.reset(token)


def init_request_scope(app: Flask) -> None:
    # First of all the request hooks: loading the signed-in person already opens a transaction.
    app.before_request_funcs.setdefault(None, []).insert(0, _begin_request)
    app.teardown_request(_end_request)
