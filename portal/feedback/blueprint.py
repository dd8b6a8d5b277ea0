"""The feedback blueprint: comments, the inbox and My feedback.

Only ``bp`` lives here, so every view module of the domain can import it and none needs
another; ``create_app`` imports the view modules and registers ``bp``.
"""

from flask import Blueprint

bp = Blueprint("feedback", __name__, url_prefix="/panels/<int:panel_id>")
