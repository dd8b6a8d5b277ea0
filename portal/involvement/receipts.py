"""Sending a stored receipt back as a download (to its member, or to the study team)."""

from __future__ import annotations

import io

from flask import Response, current_app, send_file
from werkzeug.exceptions import NotFound

from portal.meetings import paper_files


def send_receipt(stored: str | None, content_type: str, name: str) -> Response:
    """The receipt file as an attachment; a missing one is a 404."""
    try:
        path = paper_files.path_of(stored or "")
        if not path.is_file():
            raise FileNotFoundError(stored)
    except FileNotFoundError as error:
        if stored:
            current_app.logger.error("receipt file %s is missing", stored)
        raise NotFound from error
    # Read whole (receipts are small, capped by PAPERS_MAX_MB): no open file outlives the request.
    response = send_file(
        io.BytesIO(path.read_bytes()),
        mimetype=content_type,
        as_attachment=True,
        download_name=name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
