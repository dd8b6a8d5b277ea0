"""The base every portal form builds on, and validators shared by several forms."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, Form, IntegerField
from wtforms.fields import FieldList, FormField
from wtforms.validators import ValidationError

from portal.ids import LARGEST_ID

CSRF_MESSAGE = _l(
    "This form was open too long or was not sent from this site. "
    "Check your answers and send it again."
)
NUMBER_TOO_BIG = _l("Enter a smaller number")


def every_field(form: Form) -> Iterator[Field]:
    """Every field of ``form``, those inside its form fields and lists too."""
    for field in form:
        if isinstance(field, FormField):
            yield from every_field(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from every_field(entry.form)
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
        for field in every_field(self):
            if isinstance(field, IntegerField) and isinstance(field.data, int):
                if not -LARGEST_ID <= field.data <= LARGEST_ID:
                    field.errors = [*field.errors, NUMBER_TOO_BIG]
                    field.data = None
                    valid = False
        return valid


class EmailAddress:
    """An email address in the right format, or ``message`` by the field.

    Names kept for tests and examples (``name@demo.invalid``, ``.test``, ``.localhost`` …) can
    never receive mail. Outside production they are allowed, because the demo's own accounts and
    local trials use them; in production they are refused with that reason, not the format hint.
    """

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: FlaskForm, field: Field) -> None:
        # Imported here: only forms that take an email address need it, and every worker
        # would otherwise hold it.
        from email_validator import EmailNotValidError, validate_email

        address = (field.data or "").strip()
        local, at, domain = address.rpartition("@")
        reserved = _reserved_suffix(domain) if at else None
        if reserved is not None:
            if current_app.config["ENV"] == "production":
                raise ValidationError(
                    gettext(
                        "This address cannot receive email: names ending in .%(reserved)s are "
                        "only for tests and examples. Check the part after the @.",
                        reserved=reserved,
                    )
                )
            # Check the rest of the address as if the reserved name were an ordinary one.
            address = f"{local}@{domain[: len(domain) - len(reserved)]}example.org"
        try:
            validate_email(address, check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(self.message) from None


def _reserved_suffix(domain: str) -> str | None:
    """The special-use name ``domain`` ends in ("invalid" for "demo.invalid"), if any."""
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    name = domain.lower().rstrip(".")
    return next(
        (
            reserved
            for reserved in SPECIAL_USE_DOMAIN_NAMES
            if name == reserved or name.endswith("." + reserved)
        ),
        None,
    )
