"""The study team's and administrators' forms: rates, settings, entries, batches, expense
decisions and the organisation's details."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from portal.forms import PortalForm
from portal.involvement.batches import REFERENCE_MAX_LENGTH, looks_like_bank_or_card
from portal.involvement.fields import (
    KIND_LABELS,
    RULE_LABELS,
    HoursField,
    MoneyField,
    PastDateField,
)
from portal.involvement.models import (
    ActivityKind,
)


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
