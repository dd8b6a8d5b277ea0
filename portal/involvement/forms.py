"""Forms for involvement: choices, expense claims, statements, rates, entries and payments.

Amounts are typed as people write them ("£12.50", "12.5") and read into whole pence; dates as
day, month, year ("14 3 2026"). A bad one is an error by its field, and what was typed stays.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    ValidationError,
)

from portal.forms import PortalForm
from portal.involvement.batches import REFERENCE_MAX_LENGTH, looks_like_bank_or_card
from portal.involvement.choices import REDUCED_PERCENTS
from portal.involvement.models import (
    ActivityKind,
    Choice,
    ExpenseKind,
    PaymentRule,
    PayMethod,
)
from portal.involvement.money import AmountProblem, parse_pence
from portal.meetings.forms import parse_date
from portal.text import translated

KIND_LABELS = {
    ActivityKind.MEETING: _l("Meeting"),
    ActivityKind.REVIEW_ROUND: _l("Review round"),
    ActivityKind.QUESTIONNAIRE: _l("Questionnaire"),
    ActivityKind.PREPARATION: _l("Preparation time"),
    ActivityKind.TRAINING: _l("Training"),
    ActivityKind.EVENT: _l("Event"),
    ActivityKind.OTHER: _l("Other"),
    ActivityKind.EXPENSE: _l("Expenses"),
}
RULE_LABELS = {
    PaymentRule.PER_HOUR: _l("Per hour"),
    PaymentRule.PER_HALF_DAY: _l("Per half day (up to 4 hours)"),
    PaymentRule.PER_DAY: _l("Per day (up to 8 hours)"),
    PaymentRule.FIXED: _l("A fixed amount"),
}
METHOD_LABELS = {
    PayMethod.VOUCHER: _l("Shopping voucher"),
    PayMethod.BANK_TRANSFER: _l("Bank transfer"),
    PayMethod.OTHER: _l("Another way"),
}
EXPENSE_LABELS = {
    ExpenseKind.TRAVEL: _l("Travel"),
    ExpenseKind.CARE: _l("Care (for example childcare or a carer)"),
    ExpenseKind.OTHER: _l("Something else"),
}
DATE_EXAMPLE = _l("For example, 14 3 2026")


class MoneyField(StringField):
    """Pounds and pence as typed; ``pence`` holds the amount once the form is valid."""

    def __init__(
        self, *args: object, allow_zero: bool = False, required: bool = True, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.allow_zero = allow_zero
        self.required = required
        self.pence: int | None = None

    def pre_validate(self, form: Form) -> None:
        self.pence = None
        text = (self.data or "").strip()
        if not text and not self.required:
            return
        try:
            self.pence = parse_pence(text, allow_zero=self.allow_zero)
        except AmountProblem as problem:
            raise ValidationError(str(problem)) from problem


class PastDateField(StringField):
    """A day typed as day, month, year, that has already come (or is today)."""

    def __init__(
        self, *args: object, today: date | None = None, allow_future: bool = False, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.allow_future = allow_future
        self.day: date | None = None

    def pre_validate(self, form: Form) -> None:
        self.day = parse_date(self.data or "")
        if self.day is None:
            raise ValidationError(_l("Enter a real date, for example 14 3 2026"))
        today = getattr(form, "today", None)
        if not self.allow_future and today is not None and self.day > today:
            raise ValidationError(_l("The date must be today or in the past"))
        if self.day.year < 2000:
            raise ValidationError(_l("Enter a date after the year 2000"))


def parse_hours(text: str) -> int | None:
    """Minutes from hours typed as "1.5", "2" or "1:30"; None when it is not a time."""
    cleaned = (text or "").strip().replace(",", ".")
    try:
        if ":" in cleaned:
            whole, rest = cleaned.split(":", 1)
            if not (whole.isdigit() and rest.isdigit() and int(rest) < 60):
                return None
            minutes = int(whole) * 60 + int(rest)
        else:
            minutes = round(float(cleaned) * 60) if cleaned else -1
    except (ValueError, OverflowError):  # not a number, or "inf"
        return None
    return minutes if 0 < minutes <= 24 * 60 else None


class HoursField(StringField):
    def pre_validate(self, form: Form) -> None:
        self.minutes = parse_hours(self.data or "")
        if self.minutes is None:
            raise ValidationError(_l("Enter how many hours, from 0.25 to 24, for example 1.5"))


class OptionalRadioField(RadioField):
    """Radios that may be left unanswered; a form's own check says when they are needed."""

    def pre_validate(self, form: Form) -> None:
        if self.data:
            super().pre_validate(form)


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
            SelectChoice(str(p), translated("%(p)s%% of the usual amount", p=p))
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


class RateForm(PortalForm):
    kind = SelectField(
        _l("Kind of involvement"),
        choices=[
            SelectChoice(k.value, KIND_LABELS[k])
            for k in ActivityKind
            if k is not ActivityKind.EXPENSE
        ],
        validators=[InputRequired(_l("Choose a kind of involvement"))],
    )
    rule = RadioField(
        _l("How it is paid"),
        choices=[SelectChoice(r.value, label) for r, label in RULE_LABELS.items()],
        validators=[InputRequired(_l("Choose how it is paid"))],
    )
    amount = MoneyField(_l("Amount"), allow_zero=True)
    extra = MoneyField(_l("Fixed extra each time (optional)"), allow_zero=True, required=False)
    extra_label = StringField(_l("What the extra is for (optional)"), validators=[Length(max=200)])
    usual_hours = HoursField(_l("Usual time it takes, in hours"), default="1")
    source = StringField(
        _l("Where the rate comes from"),
        validators=[DataRequired(_l("Enter where the rate comes from")), Length(max=300)],
    )
    source_date = PastDateField(_l("Date of that guidance"))
    effective_from = PastDateField(_l("Takes effect from"), allow_future=True)

    def __init__(self, *args: object, today: date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today


class PaySettingsForm(PortalForm):
    pay_within_weeks = IntegerField(
        _l("We promise to pay within this many weeks"),
        validators=[
            InputRequired(_l("Enter a number of weeks")),
            NumberRange(1, 52, _l("Enter a number of weeks from 1 to 52")),
        ],
    )
    other_way = StringField(
        _l("Another way of paying you offer (optional)"), validators=[Length(max=200)]
    )


class EntryForm(PortalForm):
    user_id = SelectField(
        _l("Who took part"),
        coerce=str,
        validate_choice=True,
        validators=[InputRequired(_l("Choose who took part"))],
    )
    kind = SelectField(
        _l("Kind of involvement"),
        choices=[
            SelectChoice(k.value, KIND_LABELS[k])
            for k in ActivityKind
            if k is not ActivityKind.EXPENSE
        ],
        validators=[InputRequired()],
    )
    title = StringField(
        _l("What they did"),
        validators=[DataRequired(_l("Enter what they did")), Length(max=300)],
    )
    activity_date = PastDateField(_l("Date"))
    hours = HoursField(_l("How many hours"))

    def __init__(self, *args: object, today: date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today

    def validate_user_id(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose who took part"))


class CorrectEntryForm(PortalForm):
    title = StringField(
        _l("What they did"),
        validators=[DataRequired(_l("Enter what they did")), Length(max=300)],
    )
    activity_date = PastDateField(_l("Date"))
    hours = HoursField(_l("How many hours"))
    reason = TextAreaField(
        _l("Why you are correcting it"),
        validators=[DataRequired(_l("Enter why you are correcting it")), Length(max=250)],
    )

    def __init__(self, *args: object, today: date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today


class RemoveEntryForm(PortalForm):
    reason = TextAreaField(
        _l("Why you are removing it"),
        validators=[DataRequired(_l("Enter why you are removing it")), Length(max=250)],
    )


class EligibilityForm(PortalForm):
    not_eligible = BooleanField(
        _l(
            "Not eligible for fees (for example a public-sector employee taking part in work "
            "time). Expenses are still paid."
        )
    )


class EntriesForm(PortalForm):
    entry_ids = SelectMultipleField(
        _l("Choose entries"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(_l("Choose at least one entry"))],
    )


class NewBatchForm(EntriesForm):
    method = HiddenField(validators=[InputRequired()])


class ReferenceForm(Form):
    user_id = HiddenField()
    reference = StringField(validators=[Length(max=REFERENCE_MAX_LENGTH)])

    def validate_reference(self, field: Field) -> None:
        if looks_like_bank_or_card(field.data or ""):
            raise ValidationError(
                _l(
                    "This looks like a card number or bank details. Never keep those in the "
                    "portal: enter the voucher code or your own transfer reference"
                )
            )


class BatchForm(PortalForm):
    references = FieldList(FormField(ReferenceForm, separator="-"))
    thank_you = TextAreaField(
        _l("Thank-you message for this batch"),
        validators=[
            DataRequired(_l("Write the thank-you message")),
            Length(max=3000, message=_l("Write 3,000 characters or fewer")),
        ],
    )


class PaidForm(PortalForm):
    paid_on = PastDateField(_l("The day it was paid"))

    def __init__(self, *args: object, today: date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today


class ExpenseDecisionForm(PortalForm):
    decision = RadioField(
        _l("What do you want to do?"),
        choices=[
            SelectChoice("approve", _l("Approve it")),
            SelectChoice("query", _l("Ask the member a question about it")),
        ],
        validators=[InputRequired(_l("Choose approve or ask a question"))],
    )
    question = TextAreaField(_l("Your question"), validators=[Length(max=1000)])

    def validate_question(self, field: Field) -> None:
        if self.decision.data == "query" and not (field.data or "").strip():
            raise ValidationError(_l("Write your question"))


class OrganisationForm(PortalForm):
    name = StringField(
        _l("Organisation name"),
        validators=[DataRequired(_l("Enter the organisation's name")), Length(max=200)],
    )
    address = TextAreaField(
        _l("Address"), validators=[DataRequired(_l("Enter the address")), Length(max=1000)]
    )
    about = TextAreaField(
        _l("Who you are and why you involve people with lived experience"),
        validators=[
            DataRequired(_l("Say who you are and why you involve people")),
            Length(max=2000),
        ],
    )
    signer_name = StringField(
        _l("Name of the person who signs letters"),
        validators=[DataRequired(_l("Enter the name of the person who signs")), Length(max=200)],
    )
    signer_role = StringField(
        _l("Their job title"),
        validators=[DataRequired(_l("Enter their job title")), Length(max=200)],
    )
