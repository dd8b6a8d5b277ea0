"""The questionnaires blueprint: questionnaires: building, answering and results.

Only ``bp`` lives here, so every view module of the domain can import it and none needs
another; ``create_app`` imports the view modules and registers ``bp``.
"""

from flask import Blueprint

bp = Blueprint("questionnaires", __name__, url_prefix="/panels/<int:panel_id>/questionnaires")
