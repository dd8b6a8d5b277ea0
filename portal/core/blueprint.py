"""The core blueprint: home, support and the other pages that belong to no one domain.

Only ``bp`` lives here, so every view module of the domain can import it and none needs
another; ``create_app`` imports the view modules and registers ``bp``.
"""

from flask import Blueprint

bp = Blueprint("core", __name__)
