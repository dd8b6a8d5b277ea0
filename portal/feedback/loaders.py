"""What the feedback pages share: the page frame with the URL's panel.

The comment pages (``views``) and the inbox pages (``triage_views``) both render through it,
so neither view module imports the other.
"""

from __future__ import annotations

from flask import render_template

from portal.panels.service import get_panel


def page(template: str, panel_id: int, **context: object) -> str:
    return render_template(template, panel=get_panel(panel_id), **context)
