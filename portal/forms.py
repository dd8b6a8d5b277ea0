"""The base every portal form builds on."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

CSRF_MESSAGE = _l(
    "This form was open too long or was not sent from this site. "
    "Check your answers and send it again."
)


class PortalForm(FlaskForm):
    """A Flask-WTF form whose CSRF failure reads as plain English, shown next to the form."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        if "csrf_token" in self._fields and self.csrf_token.errors:
            self.csrf_token.errors = [CSRF_MESSAGE]
        return valid
