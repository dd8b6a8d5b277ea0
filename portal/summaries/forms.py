"""Forms for translated summaries."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput

from portal.forms import PortalForm

SUMMARY_LIMIT = 4000


class LockedForm(PortalForm):
    """A form that changes a summary: carries the version the editor started from (0: none)."""

    lock_version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class SummaryForm(LockedForm):
    text = TextAreaField(
        _l("Summary"),
        validators=[
            DataRequired(_l("Enter the summary")),
            Length(max=SUMMARY_LIMIT, message=_l("The summary must be 4,000 characters or fewer")),
        ],
    )


class ConfirmForm(LockedForm):
    """A button that changes a summary: remove it, or confirm it still matches the English."""
