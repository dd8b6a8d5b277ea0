"""The accounts blueprint: signing in and out, invitations, emailed links, the account page
and two-step verification.

Only ``bp`` lives here, so every view module of the domain can import it and none needs
another; ``create_app`` imports the view modules and registers ``bp``.
"""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
