"""What the agreement pages share: loading an agreement from the URL (404 for another panel's)
and the page frame with the URL's panel."""

from __future__ import annotations

from flask import render_template

from portal.access import found_or_404
from portal.agreements import service
from portal.agreements.models import Agreement
from portal.panels.service import get_panel


def load_agreement(panel_id: int, agreement_id: int) -> Agreement:
    return found_or_404(service.get_agreement(panel_id, agreement_id))


def page(template: str, panel_id: int, **context: object) -> str:
    return render_template(template, panel=get_panel(panel_id), **context)
