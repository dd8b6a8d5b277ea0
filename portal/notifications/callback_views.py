"""GOV.UK Notify's delivery receipts: Notify POSTs each text's status here with the bearer token
set in ``PORTAL_NOTIFY_CALLBACK_TOKEN``."""

from __future__ import annotations

import hmac

from flask import current_app, request
from flask.typing import ResponseReturnValue

from portal.access import public_page
from portal.notifications.blueprint import bp
from portal.notifications.texts import record_delivery
from portal.security import authorised_without_session


@bp.post("/notify/delivery-status")
@public_page
@authorised_without_session
def delivery_status() -> ResponseReturnValue:
    token = current_app.config["NOTIFY_CALLBACK_TOKEN"]
    if not token:
        return "", 404
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return {"error": "not authorised"}, 401
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return {"error": "expected a JSON object"}, 400
    found = record_delivery(
        str(body.get("id") or "")[:64],
        str(body.get("reference") or "")[:64],
        str(body.get("status") or "")[:40],
    )
    return ("", 204) if found else ({"error": "no such message"}, 404)
