"""The data rights and care blueprint: download my data, erasure, retention, pausing, stepping
back and asking to be contacted.

Only ``bp`` lives here, so every view module of the domain can import it and none needs
another; ``create_app`` imports the view modules and registers ``bp``.
"""

from flask import Blueprint

bp = Blueprint("rights", __name__)
