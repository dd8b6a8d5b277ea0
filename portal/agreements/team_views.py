"""The study team's agreement pages: writing and publishing versions, the ledger with each
decision's PDF copy, and recording consent given on paper or aloud."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask import abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.access import Action, found_or_404, panel_page
from portal.agreements import ledger, service
from portal.agreements.blueprint import bp
from portal.agreements.forms import (
    DECISION_LABELS,
    HOW_LABELS,
    KIND_LABELS,
    AgreementForm,
    ConfirmForm,
    RecordConsentForm,
)
from portal.agreements.loaders import load_agreement, page
from portal.agreements.models import Agreement, AgreementKind, Decision, GivenHow
from portal.meetings.forms import parse_date, parse_time
from portal.meetings.times import NoSuchLocalTime, london_to_utc
from portal.panels.service import MEMBERS_AND_CHAIR, active_memberships
from portal.pdf import PDF_TYPE
from portal.security import csrf_checked_by_form
from portal.text import translated


def _details(form: AgreementForm) -> service.AgreementDetails:
    return service.AgreementDetails(
        title=(form.title.data or "").strip(),
        kind=AgreementKind(form.kind.data),
        required=form.required.data == "yes",
        summary=(form.summary.data or "").strip(),
        body=(form.body.data or "").strip(),
        withdrawal_note=(form.withdrawal_note.data or "").strip(),
    )


@bp.get("/panels/<int:panel_id>/agreements/manage")
@panel_page(Action.AGREEMENTS_MANAGE)
def manage_agreements(panel_id: int) -> ResponseReturnValue:
    return page(
        "agreements/manage.html",
        panel_id,
        agreements=service.agreements_of(panel_id),
        kind_labels=KIND_LABELS,
        published_version=service.published_version,
        working_version=service.working_version,
    )


@bp.route("/panels/<int:panel_id>/agreements/new", methods=["GET", "POST"])
@panel_page(Action.AGREEMENTS_MANAGE)
@csrf_checked_by_form
def new_agreement(panel_id: int) -> ResponseReturnValue:
    form = AgreementForm()
    if form.validate_on_submit():
        agreement = service.create_agreement(panel_id, _details(form))
        flash(gettext("Agreement saved. Publish it when it is ready."), "success")
        return redirect(url_for(".edit_agreement", panel_id=panel_id, agreement_id=agreement.id))
    return page("agreements/edit.html", panel_id, form=form, agreement=None)


@bp.route("/panels/<int:panel_id>/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@panel_page(Action.AGREEMENTS_MANAGE)
@csrf_checked_by_form
def edit_agreement(panel_id: int, agreement_id: int) -> ResponseReturnValue:
    agreement = load_agreement(panel_id, agreement_id)
    form = AgreementForm()
    working = service.working_version(agreement)
    if not form.is_submitted():
        shown = working or service.published_version(agreement)
        form.title.data = agreement.title
        form.kind.data = agreement.kind.value
        form.required.data = "yes" if agreement.required else "no"
        form.withdrawal_note.data = agreement.withdrawal_note
        form.summary.data = shown.summary if shown else ""
        form.body.data = shown.body if shown else ""
    elif form.validate_on_submit():
        version = service.update_agreement(agreement, _details(form))
        flash(gettext("Version %(number)d saved.", number=version.number), "success")
        return redirect(url_for(".edit_agreement", panel_id=panel_id, agreement_id=agreement.id))
    return page(
        "agreements/edit.html",
        panel_id,
        form=form,
        agreement=agreement,
        working=working,
        published=service.published_version(agreement),
        publish_form=ConfirmForm(formdata=None),
    )


@bp.post("/panels/<int:panel_id>/agreements/<int:agreement_id>/publish")
@panel_page(Action.AGREEMENTS_MANAGE)
def publish_agreement(panel_id: int, agreement_id: int) -> ResponseReturnValue:
    agreement = load_agreement(panel_id, agreement_id)
    try:
        version = service.publish(agreement)
    except service.AgreementProblem as problem:
        flash(str(problem), "error")
    else:
        flash(gettext("Version %(number)d published.", number=version.number), "success")
    return redirect(url_for(".edit_agreement", panel_id=panel_id, agreement_id=agreement.id))


@bp.get("/panels/<int:panel_id>/agreements/<int:agreement_id>/records")
@panel_page(Action.AGREEMENTS_MANAGE)
def agreement_records(panel_id: int, agreement_id: int) -> ResponseReturnValue:
    agreement = load_agreement(panel_id, agreement_id)
    return page(
        "agreements/records.html",
        panel_id,
        agreement=agreement,
        records=ledger.records_of_agreement(agreement),
        decision_labels=DECISION_LABELS,
        how_labels=HOW_LABELS,
    )


@bp.get("/panels/<int:panel_id>/agreements/<int:agreement_id>/records/<int:record_id>.pdf")
@panel_page(Action.AGREEMENTS_MANAGE)
def agreement_record_pdf(panel_id: int, agreement_id: int, record_id: int) -> ResponseReturnValue:
    entry = found_or_404(ledger.get_record(panel_id, agreement_id, record_id))
    return (
        entry.pdf_copy,
        200,
        {
            "Content-Type": PDF_TYPE,
            "Content-Disposition": f'attachment; filename="agreement-record-{entry.id}.pdf"',
        },
    )


def _people_choices(panel_id: int) -> list[SelectChoice]:
    return [
        SelectChoice(
            str(m.user_id),
            translated("%(code)s: %(name)s", code=m.pseudonym_code, name=m.user.display_name),
        )
        for m in active_memberships(panel_id, MEMBERS_AND_CHAIR)
    ]


@bp.route("/panels/<int:panel_id>/agreements/<int:agreement_id>/record", methods=["GET", "POST"])
@panel_page(Action.AGREEMENTS_MANAGE)
@csrf_checked_by_form
def record_consent(panel_id: int, agreement_id: int) -> ResponseReturnValue:
    agreement: Agreement = load_agreement(panel_id, agreement_id)
    version = service.published_version(agreement)
    if version is None:
        abort(404)
    form = RecordConsentForm()
    form.user_id.choices = [SelectChoice("", gettext("Choose someone")), *_people_choices(panel_id)]
    if form.validate_on_submit():
        day = parse_date(form.given_on.data or "") or date.today()
        # Without a time, the middle of the day: the date is what the record must get right.
        at = parse_time(form.given_at.data or "") or time(12, 0)
        try:
            given_at = london_to_utc(day, at)
        except NoSuchLocalTime:
            given_at = datetime.combine(day, time(12, 0), tzinfo=UTC)
        try:
            ledger.decide(
                agreement,
                version,
                int(form.user_id.data or 0),
                Decision(form.decision.data),
                given_how=GivenHow(form.given_how.data),
                witness=form.witness.data or "",
                decided_at=given_at,
                recorded_by_id=current_user.id,
            )
        except service.AgreementProblem as problem:
            form.decision.errors = [str(problem)]
        else:
            flash(gettext("Consent recorded."), "success")
            return redirect(
                url_for(".agreement_records", panel_id=panel_id, agreement_id=agreement.id)
            )
    return page(
        "agreements/record_consent.html", panel_id, agreement=agreement, version=version, form=form
    )
