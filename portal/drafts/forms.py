"""Forms for drafts and their items."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput

from portal.drafts.models import DraftKind
from portal.drafts.service import DraftDetails, ItemDetails
from portal.forms import PortalForm
from portal.readability import ReadingAgeCheck

KIND_LABELS = {
    DraftKind.PRIORITY_ACTIONS: _l("Priority-action list"),
    DraftKind.IMPLEMENTATION_PLAN: _l("Implementation plan"),
    DraftKind.RESULTS_SUMMARY: _l("Summary of results"),
    DraftKind.OTHER: _l("Something else"),
}


class LockedForm(PortalForm):
    """A form that edits a draft: carries the version of the draft the editor started from."""

    lock_version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class DraftForm(ReadingAgeCheck, LockedForm):
    kind = RadioField(
        _l("What kind of document is this?"),
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        validators=[DataRequired(_l("Choose what kind of document this is"))],
    )
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Enter a title")), Length(max=300)],
    )
    site_id = SelectField(_l("Site"), coerce=str, validate_choice=True)
    source = StringField(
        _l("Where this came from (optional)"),
        validators=[Length(max=300)],
    )
    summary = TextAreaField(
        _l("Summary in plain words (optional)"),
        validators=[Length(max=5000)],
    )
    content_note = TextAreaField(
        _l("Content note (optional)"),
        validators=[Length(max=1000)],
    )

    def set_sites(self, sites: list[tuple[int, str]]) -> None:
        self.site_id.choices = [SelectChoice("", _l("All sites"))] + [
            SelectChoice(str(site_id), name) for site_id, name in sites
        ]

    def details(self) -> DraftDetails:
        site = self.site_id.data
        return DraftDetails(
            kind=DraftKind(self.kind.data),
            title=(self.title.data or "").strip(),
            site_id=int(site) if site else None,
            source=(self.source.data or "").strip(),
            summary=(self.summary.data or "").strip(),
            content_note=(self.content_note.data or "").strip(),
        )


class ItemForm(ReadingAgeCheck, LockedForm):
    title = StringField(
        _l("Action"), validators=[DataRequired(_l("Enter the action")), Length(max=300)]
    )
    description = TextAreaField(_l("Description (optional)"), validators=[Length(max=5000)])
    theme = StringField(_l("Theme (optional)"), validators=[Length(max=200)])
    what = TextAreaField(_l("What will be done"), validators=[Length(max=3000)])
    who = StringField(_l("Who will do it"), validators=[Length(max=300)])
    by_when = StringField(_l("By when"), validators=[Length(max=100)])
    resources = TextAreaField(_l("Resources needed"), validators=[Length(max=3000)])

    def details(self) -> ItemDetails:
        return ItemDetails(
            **{name: (self[name].data or "").strip() for name in ItemDetails.__dataclass_fields__}
        )


class ConfirmForm(LockedForm):
    """A button that changes a draft: publish, remove an item, move an item."""


FIELD_LABELS = {
    "title": _l("Action"),
    "description": _l("Description"),
    "theme": _l("Theme"),
    "what": _l("What will be done"),
    "who": _l("Who will do it"),
    "by_when": _l("By when"),
    "resources": _l("Resources needed"),
}
