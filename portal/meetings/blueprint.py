"""The meetings blueprint: meetings, polls, agendas, papers, packs and minutes.

Only ``bp`` lives here, so every view module of the domain can import it and none needs
another; ``create_app`` imports the view modules and registers ``bp``.
"""

from flask import Blueprint

bp = Blueprint("meetings", __name__)
