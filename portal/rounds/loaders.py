"""What the review-round pages share: loading a round from the URL, its page and its addresses.

The study team's round pages (``views``) and members' omission-check pages
(``check_views``) both use these, so neither view module imports the other.
"""

from __future__ import annotations

from flask import abort, render_template, url_for

from portal.db import utcnow
from portal.drafts.forms import KIND_LABELS
from portal.drafts.models import Draft
from portal.drafts.service import get_draft
from portal.panels.service import get_panel
from portal.rounds import service as rounds
from portal.rounds.forms import RESONANCE_LABELS
from portal.rounds.models import ReviewRound

ROUND = "/<int:draft_id>/rounds/<int:round_id>"


def load_round(panel_id: int, draft_id: int, round_id: int) -> tuple[Draft, ReviewRound]:
    """The draft and its round, or 404 when either is not in the URL's panel."""
    draft = get_draft(panel_id, draft_id)
    if draft is None:
        abort(404)
    review_round = rounds.get_round(panel_id, draft, round_id)
    if review_round is None:
        abort(404)
    return draft, review_round


def render_round_page(template: str, panel_id: int, **context: object) -> str:
    return render_template(
        template,
        panel=get_panel(panel_id),
        kind_labels=KIND_LABELS,
        resonance_labels=RESONANCE_LABELS,
        now=utcnow(),
        **context,
    )


def round_url(endpoint: str, review_round: ReviewRound, **values: object) -> str:
    return url_for(
        f"rounds.{endpoint}",
        panel_id=review_round.panel_id,
        draft_id=review_round.version.draft_id,
        round_id=review_round.id,
        **values,
    )
