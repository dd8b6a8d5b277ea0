"""The review-rounds blueprint: review rounds, members' omission checks and the results.

Only ``bp`` lives here, so every view module of the domain can import it and none needs
another; ``create_app`` imports the view modules and registers ``bp``. Its pages sit under the
draft they are about, so the addresses are the ones they had as part of the drafts domain.
"""

from flask import Blueprint

bp = Blueprint("rounds", __name__, url_prefix="/panels/<int:panel_id>/drafts")
