"""What the data rights and care pages share: the page frame with the URL's panel, and the
signed-in person's own membership of it."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from portal import access
from portal.panels.models import Membership
from portal.panels.service import get_panel


def page(template: str, panel_id: int, **context: object) -> str:
    return render_template(template, panel=get_panel(panel_id), **context)


def own_membership(panel_id: int) -> Membership:
    membership = access.membership_in(panel_id)
    if membership is None or membership.user_id != current_user.id:
        abort(404)
    return membership
