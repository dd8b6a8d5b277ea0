"""The involvement blueprint: a member's record and choices, and the study team's paying pages.

Only ``bp`` lives here, so every view module of the domain can import it and none needs
another; ``create_app`` imports the view modules and registers ``bp``.
"""

from flask import Blueprint

bp = Blueprint("involvement", __name__)
