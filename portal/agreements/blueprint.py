"""The agreements blueprint: a panel's agreements, what a member agreed to, and the ledger.

Only ``bp`` lives here, so every view module of the domain can import it and none needs
another; ``create_app`` imports the view modules and registers ``bp``.
"""

from flask import Blueprint

bp = Blueprint("agreements", __name__)
