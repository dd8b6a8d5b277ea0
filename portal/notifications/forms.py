"""The forms of the notification pages: a person's choices, a panel's defaults, unsubscribing."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from portal.forms import PortalForm
from portal.notifications.kinds import RULES, Delivery, Kind
from portal.notifications.preferences import Route
from portal.notifications.texts import uk_mobile

DELIVERY_CHOICES = [
    SelectChoice(Delivery.NOW.value, _l("By email, as soon as it happens")),
    SelectChoice(Delivery.DAILY.value, _l("In one email a day")),
    SelectChoice(Delivery.WEEKLY.value, _l("In one email a week")),
    SelectChoice(Delivery.OFF.value, _l("No emails")),
]
DAY_CHOICES = [
    SelectChoice(str(number), name)
    for number, name in enumerate(
        (
            _l("Monday"),
            _l("Tuesday"),
            _l("Wednesday"),
            _l("Thursday"),
            _l("Friday"),
            _l("Saturday"),
            _l("Sunday"),
        )
    )
]
HOUR_CHOICES = [
    SelectChoice(str(hour), f"{(hour % 12) or 12}{'am' if hour < 12 else 'pm'}")
    for hour in range(24)
]


def delivery_field(kind: Kind) -> str:
    return f"delivery_{kind.value}"


def text_field(kind: Kind) -> str:
    return f"text_{kind.value}"


class _Choices(PortalForm):
    """Radios for each kind and a text box for those that allow texts: fields added per page."""

    kinds: tuple[Kind, ...] = ()

    def routes(self) -> dict[Kind, Route]:
        result = {}
        for kind in self.kinds:
            delivery = Delivery(self[delivery_field(kind)].data)
            by_text = RULES[kind].text_allowed and bool(self[text_field(kind)].data)
            result[kind] = Route(delivery, by_text)
        return result

    def wants_texts(self) -> bool:
        return any(route.by_text for route in self.routes().values())


def _with_kind_fields(base: type[_Choices], kinds: tuple[Kind, ...]) -> type[_Choices]:
    fields: dict[str, Any] = {"kinds": kinds}
    for kind in kinds:
        fields[delivery_field(kind)] = RadioField(
            RULES[kind].name,
            choices=DELIVERY_CHOICES,
            default=Delivery.NOW.value,
            invalid_choice_message=_l("Choose how you would like to hear about this"),
        )
        if RULES[kind].text_allowed:
            fields[text_field(kind)] = BooleanField(_l("Also send me a text message"))
    return type(base.__name__, (base,), fields)


class _PersonChoices(_Choices):
    mobile = StringField(
        _l("UK mobile number for text messages"),
        validators=[Length(max=30, message=_l("Enter a mobile number of 30 characters or fewer"))],
    )
    weekly_day = SelectField(
        _l("Which day should the weekly email come?"),
        choices=DAY_CHOICES,
        default="0",
    )
    quiet_from = SelectField(_l("No texts after"), choices=HOUR_CHOICES, default="21")
    quiet_until = SelectField(_l("No texts before"), choices=HOUR_CHOICES, default="8")

    def validate_mobile(self, field: Field) -> None:
        typed = (field.data or "").strip()
        if typed and uk_mobile(typed) is None:
            raise ValidationError(
                _l("Enter a UK mobile number, like 07700 900982 or +44 7700 900982")
            )
        if not typed and self.wants_texts():
            raise ValidationError(
                _l("Enter a UK mobile number, or untick the boxes for text messages")
            )


def person_choices_form(kinds: tuple[Kind, ...], **data: Any) -> _PersonChoices:
    form_class = _with_kind_fields(_PersonChoices, kinds)
    return form_class(**data)  # type: ignore[return-value]


class _PanelDefaults(_Choices):
    pass


def panel_defaults_form(kinds: tuple[Kind, ...], **data: Any) -> _Choices:
    form_class = _with_kind_fields(_PanelDefaults, kinds)
    return form_class(**data)


class UnsubscribeForm(PortalForm):
    """The buttons on the unsubscribe page. The signed token in the address is what authorises
    the change, so this form carries no CSRF token (mail programs POST without one)."""

    class Meta:
        csrf = False

    choice = RadioField(
        choices=[
            SelectChoice("off", "off"),
            SelectChoice("weekly", "weekly"),
            SelectChoice("undo", "undo"),
        ],
    )
    previous = StringField()
