"""Addresses of the portal's pages, built without a request.

Emails and calendar files carry links, and the worker and commands write them too, outside any
request, so services build them here instead of with ``url_for``.
"""

from __future__ import annotations

from flask import current_app


def portal_path(endpoint: str, **values: object) -> str:
    """A page's path, such as ``/panels/1/drafts/2``: what ``url_for`` gives in a request."""
    adapter = current_app.url_map.bind("", script_name=current_app.config["APPLICATION_ROOT"])
    return adapter.build(endpoint, values)


def portal_url(endpoint: str, **values: object) -> str:
    """A page's full address on ``PORTAL_BASE_URL``, for an email or a calendar file."""
    return current_app.config["BASE_URL"].rstrip("/") + portal_path(endpoint, **values)
