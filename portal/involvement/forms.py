"""A member's forms: payment choices, expense claims and the statement's dates."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    Field,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from portal.forms import PortalForm
from portal.involvement.choices import REDUCED_PERCENTS
from portal.involvement.fields import (
    EXPENSE_LABELS,
    METHOD_LABELS,
    MoneyField,
    OptionalRadioField,
    PastDateField,
)
from portal.involvement.models import (
    Choice,
    PayMethod,
)
from portal.text import lazy_translated


class ChoiceForm(PortalForm):
    choice = RadioField(
        _l("Do you want to be paid for taking part?"),
        choices=[
            SelectChoice(Choice.PAID.value, _l("Yes, pay me")),
            SelectChoice(Choice.REDUCED.value, _l("Yes, but pay me a smaller amount")),
            SelectChoice(Choice.VOLUNTEER.value, _l("No, I will take part as a volunteer")),
        ],
        validators=[InputRequired(_l("Choose whether you want to be paid"))],
    )
    reduced_percent = OptionalRadioField(
        _l("How much of the usual amount?"),
        choices=[
            SelectChoice(str(p), lazy_translated("%(p)s%% of the usual amount", p=p))
            for p in REDUCED_PERCENTS
        ],
    )
    method = OptionalRadioField(_l("How do you want to be paid?"))
    monthly_limit = MoneyField(
        _l("A monthly amount you want to stay under (optional)"), required=False
    )
    assessment_day = StringField(
        _l("The day your Universal Credit assessment period starts (optional)"),
        validators=[Length(max=2)],
    )

    def set_methods(self, other_way: str) -> None:
        self.method.choices = [
            SelectChoice(PayMethod.VOUCHER.value, METHOD_LABELS[PayMethod.VOUCHER]),
            SelectChoice(PayMethod.BANK_TRANSFER.value, METHOD_LABELS[PayMethod.BANK_TRANSFER]),
        ]
        if other_way:
            self.method.choices.append(SelectChoice(PayMethod.OTHER.value, other_way))

    def validate_reduced_percent(self, field: Field) -> None:
        if self.choice.data == Choice.REDUCED.value and not field.data:
            raise ValidationError(_l("Choose how much of the usual amount"))

    def validate_method(self, field: Field) -> None:
        if self.choice.data in (Choice.PAID.value, Choice.REDUCED.value) and not field.data:
            raise ValidationError(_l("Choose how you want to be paid"))

    def validate_assessment_day(self, field: Field) -> None:
        text = (field.data or "").strip()
        if text and (not text.isdigit() or not 1 <= int(text) <= 31):
            raise ValidationError(_l("Enter a day of the month from 1 to 31, for example 14"))


class ConfirmForm(PortalForm):
    """A button that changes something: decline a payment, approve, create."""


class ExpenseForm(PortalForm):
    kind = RadioField(
        _l("What was the cost for?"),
        choices=[SelectChoice(kind.value, label) for kind, label in EXPENSE_LABELS.items()],
        validators=[InputRequired(_l("Choose what the cost was for"))],
    )
    amount = MoneyField(_l("How much did it cost?"))
    spent_on = PastDateField(_l("When did you spend it?"))
    note = TextAreaField(
        _l("What was it? (optional)"),
        validators=[Length(max=1000, message=_l("Write 1,000 characters or fewer"))],
    )
    receipt = FileField(_l("A photo or copy of your receipt (optional)"))

    def __init__(self, *args: object, today: date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today


class StatementForm(PortalForm):
    class Meta:
        csrf = False  # a download changes nothing

    start = PastDateField(_l("From"), allow_future=True)
    end = PastDateField(_l("To"), allow_future=True)
    format = HiddenField()

    def validate_end(self, field: Field) -> None:
        if self.start.day and self.end.day and self.end.day < self.start.day:
            raise ValidationError(_l("The end date must be the same as or after the start date"))
