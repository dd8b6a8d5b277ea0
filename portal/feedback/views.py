"""Comments, the study team's inbox (triage and responses) and a member's "My feedback" page."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("feedback", __name__)
