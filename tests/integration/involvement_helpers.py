"""Shared steps for the involvement tests."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.conftest import csrf_token_from


def post_from(client: FlaskClient, page_url: str, action_url: str, data: dict[str, Any]) -> Any:
    """Open ``page_url`` and send its form to ``action_url``, as a browser would."""
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    token = csrf_token_from(page.get_data(as_text=True))
    return client.post(action_url, data={"csrf_token": token, **data})
