"""What the questionnaire pages share: loading a questionnaire from the URL, and the page frame.

The builder (``views``), answering (``answer_views``) and results (``results_views``) pages all
use these, so no view module imports another.
"""

from __future__ import annotations

from flask import render_template

from portal.access import found_or_404
from portal.panels.service import get_panel
from portal.questionnaires import service
from portal.questionnaires.forms import KIND_LABELS, SCALE_LABELS, YES_NO_LABELS
from portal.questionnaires.models import Questionnaire


def load_questionnaire(panel_id: int, questionnaire_id: int) -> Questionnaire:
    return found_or_404(service.get_questionnaire(panel_id, questionnaire_id))


def page(template: str, panel_id: int, **context: object) -> str:
    return render_template(
        template,
        panel=get_panel(panel_id),
        kind_labels=KIND_LABELS,
        scale_labels=SCALE_LABELS,
        yes_no_labels=YES_NO_LABELS,
        **context,
    )
