"""The base every portal form builds on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, Form, IntegerField
from wtforms.fields import FieldList, FormField

from portal.ids import LARGEST_ID

CSRF_MESSAGE = _l(
    "This form was open too long or was not sent from this site. "
    "Check your answers and send it again."
)
NUMBER_TOO_BIG = _l("Enter a smaller number")


def _every_field(form: Form) -> Iterator[Field]:
    for field in form:
        if isinstance(field, FormField):
            yield from _every_field(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from _every_field(entry.form)
                else:
                    yield entry
        else:
            yield field


class PortalForm(FlaskForm):
    """A Flask-WTF form whose CSRF failure reads as plain English, shown next to the form, and
    whose whole numbers always fit the database (a bigger one is an error by the field, not a
    failed query). Text arrives already cleaned of control characters (see ``incoming``)."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        if "csrf_token" in self._fields and self.csrf_token.errors:
            self.csrf_token.errors = [CSRF_MESSAGE]
        for field in _every_field(self):
            if isinstance(field, IntegerField) and isinstance(field.data, int):
                if not -LARGEST_ID <= field.data <= LARGEST_ID:
                    field.errors = [*field.errors, NUMBER_TOO_BIG]
                    field.data = None
                    valid = False
        return valid
