"""Availability polls: propose times, answer, pick a slot."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.access import Action, found_or_404, panel_page
from portal.db import utcnow
from portal.extensions import db
from portal.meetings import polls
from portal.meetings.blueprint import bp
from portal.meetings.forms import (
    ChooseSlotForm,
    ConfirmForm,
    PollForm,
    parse_date,
)
from portal.meetings.loaders import PANEL, page
from portal.meetings.models import Availability, AvailabilityPoll, PollSlot, PollStatus
from portal.security import csrf_checked_by_form

POLL = PANEL + "/polls/<int:poll_id>"

AVAILABILITY_LABELS = {
    Availability.YES: _l("Yes"),
    Availability.IF_NEED_BE: _l("If need be"),
    Availability.NO: _l("No"),
}


def _load_poll(panel_id: int, poll_id: int) -> AvailabilityPoll:
    return found_or_404(polls.get_poll(panel_id, poll_id))


def _poll_page(template: str, panel_id: int, **context: object) -> str:
    return page(
        template,
        panel_id,
        availability_labels=AVAILABILITY_LABELS,
        **context,
    )


@bp.route(PANEL + "/polls/new", methods=["GET", "POST"])
@panel_page(Action.MEETING_MANAGE)
@csrf_checked_by_form
def new_poll(panel_id: int) -> ResponseReturnValue:
    form = PollForm()
    if form.is_submitted() and "add_slot" in request.form:
        # "Add another time" works without JavaScript: the page comes back with one more row.
        if len(form.slots.entries) < polls.MAX_SLOTS:
            form.slots.append_entry()
        return _poll_page("meetings/new_poll.html", panel_id, form=form, slot_error=None)
    if form.checking_reading_age():
        return _poll_page("meetings/new_poll.html", panel_id, form=form, slot_error=None)
    slot_error = None
    if form.validate_on_submit():
        filled = [entry.form for entry in form.slots.entries if not entry.form.is_empty()]
        spans = []
        for slot in filled:
            span = slot.span()
            if span is not None:
                spans.append(span)
        now = utcnow()
        closes_on = parse_date(form.closes_on.data or "")
        if any(start < now for start, _end in spans):
            slot_error = gettext("Times must be in the future. Check the dates.")
        elif len(filled) < polls.MIN_SLOTS:
            slot_error = gettext("Offer at least 2 times")
        elif len(filled) > polls.MAX_SLOTS:
            slot_error = gettext("Offer no more than 12 times")
        elif len(spans) == len(filled) and closes_on is not None:
            closes_at = polls.closing_moment(closes_on)
            if closes_at <= now:
                form.closes_on.errors = [gettext("The closing date must be today or later")]
            elif closes_at > min(start for start, _end in spans):
                form.closes_on.errors = [
                    gettext("The poll must close before the first time you offer")
                ]
            else:
                poll = polls.create_poll(
                    panel_id,
                    (form.title.data or "").strip(),
                    (form.description.data or "").strip(),
                    closes_at,
                    spans,
                    current_user.id,
                )
                flash(gettext("Poll opened. Members can now say when they can come."), "success")
                return redirect(url_for(".poll_results", panel_id=panel_id, poll_id=poll.id))
    return _poll_page("meetings/new_poll.html", panel_id, form=form, slot_error=slot_error)


@bp.route(POLL, methods=["GET", "POST"])
@panel_page(Action.MEETING_REPLY)
@csrf_checked_by_form
def answer_poll(panel_id: int, poll_id: int) -> ResponseReturnValue:
    poll = _load_poll(panel_id, poll_id)
    form = ConfirmForm()
    saved = polls.answers_of(poll, current_user.id)
    chosen = {slot_id: answer.availability.value for slot_id, answer in saved.items()}
    notes = {slot_id: answer.note for slot_id, answer in saved.items()}
    errors: dict[int, str] = {}
    note_errors: dict[int, str] = {}
    is_open = polls.is_open(poll)
    if form.is_submitted():
        # Read only this poll's own slots: a field naming any other slot is ignored.
        for slot in poll.slots:
            value = request.form.get(f"slot-{slot.id}", "")
            chosen[slot.id] = value
            notes[slot.id] = request.form.get(f"note-{slot.id}", "").strip()
            if value not in {item.value for item in Availability}:
                errors[slot.id] = gettext("Say whether you can come at this time")
            if len(notes[slot.id]) > polls.NOTE_LIMIT:
                # Kept as typed, so the person can shorten it themselves.
                note_errors[slot.id] = gettext(
                    "Your note must be %(limit)d characters or fewer", limit=polls.NOTE_LIMIT
                )
        if not is_open:
            flash(gettext("This poll has closed, so your answers were not saved."))
        elif form.validate_on_submit() and not errors and not note_errors:
            try:
                polls.save_answers(
                    poll,
                    current_user.id,
                    {
                        slot.id: (Availability(chosen[slot.id]), notes[slot.id])
                        for slot in poll.slots
                    },
                )
            except polls.PollClosed:
                db.session.rollback()
                flash(gettext("This poll has closed, so your answers were not saved."))
            else:
                flash(gettext("Thank you. Your answers have been saved."), "success")
                return redirect(url_for(".answer_poll", panel_id=panel_id, poll_id=poll.id))
    status = 409 if form.is_submitted() and not is_open else 200
    return (
        _poll_page(
            "meetings/poll.html",
            panel_id,
            poll=poll,
            form=form,
            chosen=chosen,
            notes=notes,
            errors=errors,
            note_errors=note_errors,
            note_limit=polls.NOTE_LIMIT,
            is_open=is_open,
            answered=bool(saved),
        ),
        status,
    )


@bp.get(POLL + "/results")
@panel_page(Action.MEETING_MANAGE)
def poll_results(panel_id: int, poll_id: int) -> ResponseReturnValue:
    poll = _load_poll(panel_id, poll_id)
    return _poll_page(
        "meetings/poll_results.html",
        panel_id,
        poll=poll,
        results=polls.results(poll),
        is_open=polls.is_open(poll),
        confirm=ConfirmForm(),
    )


def _load_slot(poll: AvailabilityPoll, slot_id: int) -> PollSlot:
    for slot in poll.slots:
        if slot.id == slot_id:
            return slot
    abort(404)


@bp.route(POLL + "/slots/<int:slot_id>/choose", methods=["GET", "POST"])
@panel_page(Action.MEETING_MANAGE)
@csrf_checked_by_form
def choose_slot(panel_id: int, poll_id: int, slot_id: int) -> ResponseReturnValue:
    poll = _load_poll(panel_id, poll_id)
    slot = _load_slot(poll, slot_id)
    if poll.status is PollStatus.DECIDED:
        flash(gettext("A time has already been chosen for this poll."))
        return redirect(url_for(".poll_results", panel_id=panel_id, poll_id=poll.id))
    form = ChooseSlotForm()
    if form.validate_on_submit():
        meeting = polls.choose_slot(
            poll,
            slot,
            current_user.id,
            joining_link=(form.joining_link.data or "").strip(),
            venue=(form.venue.data or "").strip(),
            accessibility_info=(form.accessibility_info.data or "").strip(),
        )
        flash(
            gettext("Meeting published. Everyone in the panel has been sent an invitation."),
            "success",
        )
        return redirect(url_for(".show_meeting", panel_id=panel_id, meeting_id=meeting.id))
    return _poll_page("meetings/choose_slot.html", panel_id, poll=poll, slot=slot, form=form)


@bp.route(POLL + "/remind", methods=["GET", "POST"])
@panel_page(Action.POLL_REMIND)
def remind_poll(panel_id: int, poll_id: int) -> ResponseReturnValue:
    poll = _load_poll(panel_id, poll_id)
    results = polls.results(poll)
    form = ConfirmForm()
    if not polls.is_open(poll):
        flash(gettext("This poll has closed, so there is nobody to remind."))
        return redirect(url_for(".poll_results", panel_id=panel_id, poll_id=poll.id))
    if form.validate_on_submit():
        queued = polls.remind(poll)
        flash(
            gettext("Reminder sent to %(count)d people.", count=queued)
            if queued
            else gettext("Nobody needed a reminder today."),
            "success",
        )
        return redirect(url_for(".poll_results", panel_id=panel_id, poll_id=poll.id))
    return _poll_page(
        "meetings/remind_poll.html", panel_id, poll=poll, form=form, waiting=results.not_answered()
    )
