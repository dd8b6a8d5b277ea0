"""The drafts blueprint: drafts, their published versions and comparing them.

Only ``bp`` lives here, so every view module of the domain can import it and none needs
another; ``create_app`` imports the view modules and registers ``bp``. Review rounds on a
draft's versions are their own domain (``portal.rounds``).
"""

from flask import Blueprint

bp = Blueprint("drafts", __name__, url_prefix="/panels/<int:panel_id>/drafts")
