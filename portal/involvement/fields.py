"""What the involvement forms share: the words for kinds, rules and ways of paying, and fields
for money (typed as "£12.50" or "12.5", read into whole pence), past dates (day, month, year)
and hours. A bad value is an error by its field, and what was typed stays."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    Form,
    RadioField,
    StringField,
)
from wtforms.validators import ValidationError

from portal.involvement.models import (
    ActivityKind,
    ExpenseKind,
    PaymentRule,
    PayMethod,
)
from portal.involvement.money import AmountProblem, parse_pence
from portal.meetings.forms import parse_date

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
