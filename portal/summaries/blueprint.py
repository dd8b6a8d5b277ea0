"""The translated summaries blueprint: the study team writes, changes and removes summaries.

Only ``bp`` lives here, so every view module of the domain can import it and none needs
another; ``create_app`` imports the view modules and registers ``bp``.
"""

from flask import Blueprint

bp = Blueprint("summaries", __name__)
