"""Administration pages (administrators) and panel membership pages (chair and study team)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__)
