"""Meetings: the list, a meeting's page, publishing, moving and cancelling, RSVPs, calendars.

Availability polls are in ``poll_views``; agenda and papers in ``agenda_views``; minutes,
attendance and actions in ``minutes_views``. All add themselves to ``bp``.

Each view: load (404 when the meeting is not in the URL's panel, or is a draft the person may
not manage) → call the service → redirect, or render. The route carries the access rule and the
request's commit point commits.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal import access
from portal.access import Action, panel_page, public_page
from portal.db import utcnow
from portal.extensions import db
from portal.meetings import calendar, feeds, polls, service
from portal.meetings.blueprint import bp
from portal.meetings.forms import ConfirmForm, MeetingForm, RsvpForm
from portal.meetings.loaders import MEETING, MEETING_PAGE_SECTIONS, PANEL, page
from portal.meetings.models import Meeting, MeetingStatus, RsvpAnswer
from portal.security import csrf_checked_by_form


def load_meeting(panel_id: int, meeting_id: int) -> Meeting:
    """The meeting, or 404: outside the panel, or a draft for someone who cannot manage it."""
    meeting = service.get_meeting(panel_id, meeting_id)
    if meeting is None:
        abort(404)
    if meeting.status is MeetingStatus.DRAFT and not access.can(Action.MEETING_MANAGE, panel_id):
        abort(404)
    return meeting


@bp.get(PANEL + "/meetings")
@panel_page(Action.MEETING_READ)
def list_meetings(panel_id: int) -> ResponseReturnValue:
    manager = access.can(Action.MEETING_MANAGE, panel_id)
    upcoming, past = service.meetings_in_panel(panel_id, include_drafts=manager)
    return page(
        "meetings/list.html",
        panel_id,
        upcoming=upcoming,
        past=past,
        polls=polls.open_polls(panel_id, current_user.id),
        feed_url=feeds.feed_url(current_user.id),
        confirm=ConfirmForm(),
    )


@bp.route(PANEL + "/meetings/new", methods=["GET", "POST"])
@panel_page(Action.MEETING_MANAGE)
@csrf_checked_by_form
def new_meeting(panel_id: int) -> ResponseReturnValue:
    form = MeetingForm()
    if not form.checking_reading_age() and form.validate_on_submit():
        details = _details(form)
        if details is not None:
            meeting = service.create_meeting(panel_id, details, current_user.id)
            flash(gettext("Meeting saved as a draft. Members cannot see it yet."), "success")
            return redirect(url_for(".show_meeting", panel_id=panel_id, meeting_id=meeting.id))
    return page("meetings/edit_meeting.html", panel_id, form=form, meeting=None)


def _details(form: MeetingForm) -> service.MeetingDetails | None:
    span = form.when.form.span()
    if span is None:
        return None
    return service.MeetingDetails(
        title=(form.title.data or "").strip(),
        starts_at=span[0],
        ends_at=span[1],
        joining_link=(form.joining_link.data or "").strip(),
        venue=(form.venue.data or "").strip(),
        accessibility_info=(form.accessibility_info.data or "").strip(),
        content_note=(form.content_note.data or "").strip(),
    )


@bp.get(MEETING)
@panel_page(Action.MEETING_READ)
def show_meeting(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id)
    rsvp = service.rsvp_of(meeting.id, current_user.id)
    form = RsvpForm(
        answer=rsvp.answer.value if rsvp else None, access_note=rsvp.access_note if rsvp else ""
    )
    sections: dict[str, Any] = {}
    for loader in MEETING_PAGE_SECTIONS:
        sections.update(loader(meeting))
    return page(
        "meetings/meeting.html",
        panel_id,
        meeting=meeting,
        rsvp=rsvp,
        form=form,
        sections=sections,
        **sections,
    )


@bp.route(MEETING + "/edit", methods=["GET", "POST"])
@panel_page(Action.MEETING_MANAGE)
@csrf_checked_by_form
def edit_meeting(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id)
    if meeting.status is MeetingStatus.CANCELLED:
        flash(gettext("This meeting was cancelled, so it cannot be changed."))
        return redirect(url_for(".show_meeting", panel_id=panel_id, meeting_id=meeting.id))
    form = MeetingForm()
    if not form.is_submitted():
        form.fill(meeting)
    if not form.checking_reading_age() and form.validate_on_submit():
        details = _details(form)
        if details is not None:
            try:
                told = service.update_meeting(meeting, details, form.seen_version())
            except service.MeetingEditConflict:
                db.session.rollback()
                saved = load_meeting(panel_id, meeting_id)
                db.session.refresh(saved)
                # Saving from the conflict page is a deliberate choice to replace what is saved.
                form.lock_version.data = str(saved.lock_version)
                return page(
                    "meetings/edit_meeting.html", panel_id, form=form, meeting=saved, conflict=True
                ), 409
            if told:
                flash(gettext("Changes saved. Everyone has been sent the new details."), "success")
            else:
                flash(gettext("Your changes have been saved."), "success")
            return redirect(url_for(".show_meeting", panel_id=panel_id, meeting_id=meeting.id))
    return page("meetings/edit_meeting.html", panel_id, form=form, meeting=meeting)


@bp.route(MEETING + "/publish", methods=["GET", "POST"])
@panel_page(Action.MEETING_MANAGE)
def publish_meeting(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id)
    if meeting.status is not MeetingStatus.DRAFT:
        flash(gettext("This meeting is not a draft, so there is nothing to publish."))
        return redirect(url_for(".show_meeting", panel_id=panel_id, meeting_id=meeting.id))
    form = ConfirmForm()
    if form.validate_on_submit():
        service.publish_meeting(meeting)
        flash(gettext("Meeting published. Everyone in the panel has been emailed."), "success")
        return redirect(url_for(".show_meeting", panel_id=panel_id, meeting_id=meeting.id))
    return page("meetings/confirm.html", panel_id, form=form, meeting=meeting, kind="publish")


@bp.route(MEETING + "/cancel", methods=["GET", "POST"])
@panel_page(Action.MEETING_MANAGE)
def cancel_meeting(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id)
    if meeting.status is MeetingStatus.CANCELLED:
        flash(gettext("This meeting is already cancelled."))
        return redirect(url_for(".show_meeting", panel_id=panel_id, meeting_id=meeting.id))
    form = ConfirmForm()
    if form.validate_on_submit():
        told = meeting.status is MeetingStatus.PUBLISHED
        service.cancel_meeting(meeting)
        if told:
            flash(gettext("Meeting cancelled. Everyone in the panel has been emailed."), "success")
        else:
            flash(gettext("Meeting cancelled."), "success")
        return redirect(url_for(".show_meeting", panel_id=panel_id, meeting_id=meeting.id))
    return page("meetings/confirm.html", panel_id, form=form, meeting=meeting, kind="cancel")


@bp.route(MEETING + "/reply", methods=["GET", "POST"])
@panel_page(Action.MEETING_REPLY)
@csrf_checked_by_form
def reply_to_meeting(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id)
    if meeting.status is not MeetingStatus.PUBLISHED or meeting.ends_at < utcnow():
        flash(gettext("You can only reply to a meeting that is still to come."))
        return redirect(url_for(".show_meeting", panel_id=panel_id, meeting_id=meeting.id))
    rsvp = service.rsvp_of(meeting.id, current_user.id)
    form = RsvpForm(
        answer=rsvp.answer.value if rsvp else None, access_note=rsvp.access_note if rsvp else ""
    )
    if form.validate_on_submit():
        service.set_rsvp(
            meeting,
            current_user.id,
            RsvpAnswer(form.answer.data),
            (form.access_note.data or "").strip(),
        )
        flash(gettext("Thank you. Your reply has been saved."), "success")
        return redirect(
            url_for(".show_meeting", panel_id=panel_id, meeting_id=meeting.id, _anchor="reply")
        )
    return page("meetings/reply.html", panel_id, form=form, meeting=meeting)


@bp.get(MEETING + "/replies")
@panel_page(Action.MEETING_MANAGE)
def meeting_replies(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id)
    replies = service.replies_to(meeting.id)
    counts = {answer: 0 for answer in RsvpAnswer}
    for reply in replies:
        counts[reply.answer] += 1
    return page("meetings/replies.html", panel_id, meeting=meeting, replies=replies, counts=counts)


@bp.get(MEETING + "/calendar.ics")
@panel_page(Action.MEETING_READ)
def download_calendar(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    meeting = load_meeting(panel_id, meeting_id)
    return Response(
        calendar.download(meeting),
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="meeting.ics"'},
    )


@bp.post(PANEL + "/meetings/calendar-address")
@panel_page(Action.CALENDAR_RESET)
def reset_calendar_feed(panel_id: int) -> ResponseReturnValue:
    form = ConfirmForm()
    if form.validate_on_submit():
        feeds.reset_feed(current_user.id)
        flash(gettext("You have a new calendar address. The old one no longer works."), "success")
    else:
        flash(gettext("Nothing was changed. Try again."))
    return redirect(url_for(".list_meetings", panel_id=panel_id, _anchor="calendar"))


@bp.get("/calendar-feed/<token>.ics")
@public_page
def calendar_feed(token: str) -> ResponseReturnValue:
    body = feeds.feed_for_token(token)
    if body is None:
        abort(404)
    # The address is a secret: keep the file out of shared caches.
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "no-store"})
