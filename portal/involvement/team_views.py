"""The study team's involvement pages: what is owed (with totals and how long each entry has
waited), approving, a member's record and statements, and entries added, corrected or removed
by hand with a reason."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.access import Action, found_or_404, panel_page
from portal.involvement import batches, choices, entries, expenses
from portal.involvement.blueprint import bp
from portal.involvement.entries import london_today
from portal.involvement.loaders import page, panel_member, statement_page
from portal.involvement.models import ActivityKind, InvolvementEntry
from portal.involvement.team_forms import (
    CorrectEntryForm,
    EligibilityForm,
    EntriesForm,
    EntryForm,
    RemoveEntryForm,
)
from portal.panels.service import MEMBERS_AND_CHAIR, active_memberships
from portal.security import csrf_checked_by_form

TEAM = "/panels/<int:panel_id>/payments"


def _owed_page(panel_id: int, form: EntriesForm) -> str:
    return page(
        "involvement/owed.html",
        panel_id,
        owed=batches.owed_list(panel_id, london_today()),
        claims=expenses.open_claims(panel_id),
        form=form,
    )


@bp.get(TEAM)
@panel_page(Action.INVOLVEMENT_VIEW_ALL)
def owed_list(panel_id: int) -> ResponseReturnValue:
    return _owed_page(panel_id, EntriesForm(formdata=None))


@bp.post(f"{TEAM}/approve")
@panel_page(Action.INVOLVEMENT_APPROVE)
@csrf_checked_by_form
def approve_entries(panel_id: int) -> ResponseReturnValue:
    form = EntriesForm()
    if not form.validate_on_submit():
        return _owed_page(panel_id, form)
    wanted = sorted(set(form.entry_ids.data or []))
    approved = entries.approve_entries(panel_id, wanted, current_user.id)
    if approved < len(wanted):
        form.entry_ids.errors = [
            ngettext(
                "%(num)d of the entries you chose was already approved or paid, so it was "
                "left as it was.",
                "%(num)d of the entries you chose were already approved or paid, so they were "
                "left as they were.",
                len(wanted) - approved,
            )
        ]
        if not approved:
            return _owed_page(panel_id, form)
    flash(ngettext("%(num)d entry approved.", "%(num)d entries approved.", approved), "success")
    return redirect(url_for(".owed_list", panel_id=panel_id))


def _person_page(panel_id: int, user_id: int, form: EligibilityForm | None = None) -> str:
    person = panel_member(panel_id, user_id)
    found = choices.choice_of(panel_id, user_id)
    if form is None:
        form = EligibilityForm(formdata=None)
        form.not_eligible.data = bool(found and found.fees_not_eligible)
    return page(
        "involvement/person.html",
        panel_id,
        person=person,
        entries=entries.entries_of(panel_id, user_id),
        claims=expenses.claims_of(panel_id, user_id),
        choice=found,
        form=form,
    )


@bp.get(f"{TEAM}/people/<int:user_id>")
@panel_page(Action.INVOLVEMENT_VIEW_ALL)
def person_record(panel_id: int, user_id: int) -> ResponseReturnValue:
    return _person_page(panel_id, user_id)


@bp.post(f"{TEAM}/people/<int:user_id>/fees")
@panel_page(Action.INVOLVEMENT_ENTRIES)
@csrf_checked_by_form
def set_fees_eligibility(panel_id: int, user_id: int) -> ResponseReturnValue:
    panel_member(panel_id, user_id)
    form = EligibilityForm()
    if not form.validate_on_submit():
        return _person_page(panel_id, user_id, form)
    choices.set_fees_eligibility(panel_id, user_id, bool(form.not_eligible.data))
    flash(gettext("Saved."), "success")
    return redirect(url_for(".person_record", panel_id=panel_id, user_id=user_id))


@bp.get(f"{TEAM}/people/<int:user_id>/statement")
@panel_page(Action.INVOLVEMENT_VIEW_ALL)
def person_statement(panel_id: int, user_id: int) -> ResponseReturnValue:
    return statement_page(panel_id, panel_member(panel_id, user_id), own=False)


@bp.route(f"{TEAM}/entries/new", methods=["GET", "POST"])
@panel_page(Action.INVOLVEMENT_ENTRIES)
@csrf_checked_by_form
def add_entry(panel_id: int) -> ResponseReturnValue:
    form = EntryForm(today=london_today())
    people = active_memberships(panel_id, MEMBERS_AND_CHAIR)
    form.user_id.choices = [SelectChoice("", gettext("Choose a person"))] + [
        SelectChoice(str(m.user_id), f"{m.user.display_name} ({m.pseudonym_code})") for m in people
    ]
    if not form.is_submitted() and request.args.get("person", "").isdigit():
        form.user_id.data = request.args["person"]
    if form.validate_on_submit():
        entry = entries.add_entry(
            panel_id,
            entries.EntryDetails(
                user_id=int(form.user_id.data),
                kind=ActivityKind(form.kind.data),
                title=(form.title.data or "").strip(),
                activity_date=form.activity_date.day,  # type: ignore[arg-type]
                minutes=form.hours.minutes,
            ),
            current_user.id,
        )
        flash(gettext("Added. It is waiting for approval."), "success")
        return redirect(url_for(".person_record", panel_id=panel_id, user_id=entry.user_id))
    return page("involvement/entry_form.html", panel_id, form=form)


def _changeable(panel_id: int, activity_id: int) -> InvolvementEntry:
    entry = found_or_404(entries.get_entry(panel_id, activity_id))
    panel_member(panel_id, entry.user_id)
    return entry


@bp.route(f"{TEAM}/entries/<int:activity_id>/correct", methods=["GET", "POST"])
@panel_page(Action.INVOLVEMENT_ENTRIES)
@csrf_checked_by_form
def correct_entry(panel_id: int, activity_id: int) -> ResponseReturnValue:
    entry = _changeable(panel_id, activity_id)
    back = url_for(".person_record", panel_id=panel_id, user_id=entry.user_id)
    if entry.status not in entries.CHANGEABLE:
        flash(gettext("This entry is being paid or was paid, so it cannot be changed."))
        return redirect(back)
    form = CorrectEntryForm(today=london_today())
    if not form.is_submitted():
        form.title.data = entry.title
        form.activity_date.data = (
            f"{entry.activity_date.day} {entry.activity_date.month} {entry.activity_date.year}"
        )
        form.hours.data = str(entry.minutes / 60).rstrip("0").rstrip(".")
    if form.validate_on_submit():
        entries.correct_entry(
            entry,
            (form.title.data or "").strip(),
            form.activity_date.day,  # type: ignore[arg-type]
            form.hours.minutes,
            (form.reason.data or "").strip(),
        )
        flash(gettext("Corrected."), "success")
        return redirect(back)
    return page("involvement/entry_correct.html", panel_id, form=form, entry=entry)


@bp.route(f"{TEAM}/entries/<int:activity_id>/remove", methods=["GET", "POST"])
@panel_page(Action.INVOLVEMENT_ENTRIES)
@csrf_checked_by_form
def remove_entry(panel_id: int, activity_id: int) -> ResponseReturnValue:
    entry = _changeable(panel_id, activity_id)
    back = url_for(".person_record", panel_id=panel_id, user_id=entry.user_id)
    if entry.status not in entries.CHANGEABLE:
        flash(gettext("This entry is being paid or was paid, so it cannot be removed."))
        return redirect(back)
    form = RemoveEntryForm()
    if form.validate_on_submit():
        entries.remove_entry(entry, (form.reason.data or "").strip())
        flash(gettext("Removed. The reason is kept in the audit log."), "success")
        return redirect(back)
    return page("involvement/entry_remove.html", panel_id, form=form, entry=entry)
