"""Questionnaires: the builder, answering, results and exports."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("questionnaires", __name__)
