"""After a meeting: attendance, minutes and the action log.

The chair records attendance. The chair or the study team write minutes; every save is a new
revision, shared with members for comment when they choose, and finally marked agreed. Members
read the latest shared revision and comment; comments reach the study team's inbox.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal import access
from portal.extensions import db
from portal.meetings import minutes
from portal.meetings.blueprint import bp
from portal.meetings.loaders import MEETING, load_meeting, meeting_page_url
from portal.meetings.minutes import ActionDetails, MinutesConflict
from portal.meetings.models import ActionStatus, Meeting, MeetingAction
from portal.meetings.papers_forms import (
    ATTENDANCE_CHOICES,
    ActionForm,
    ConfirmForm,
    MinutesCommentForm,
    MinutesForm,
)
from portal.panels.service import get_panel
from portal.security import csrf_checked_by_form


def _page(template: str, meeting: Meeting, **context: object) -> str:
    return render_template(
        template,
        panel=get_panel(meeting.panel_id),
        meeting=meeting,
        meeting_url=meeting_page_url(meeting.panel_id, meeting.id),
        **context,
    )


def _minutes_url(meeting: Meeting) -> str:
    return url_for("meetings.show_minutes", panel_id=meeting.panel_id, meeting_id=meeting.id)


@bp.route(f"{MEETING}/attendance", methods=["GET", "POST"])
@csrf_checked_by_form
def record_attendance(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    access.require("attendance.record", panel_id)
    meeting = load_meeting(panel_id, meeting_id)
    sheet = minutes.attendance_sheet(meeting)
    form = ConfirmForm()
    chosen = {row.person.id: row.status for row in sheet}
    errors: dict[int, str] = {}
    if form.is_submitted():
        chosen = {row.person.id: request.form.get(f"attendance-{row.person.id}") for row in sheet}
        for row in sheet:
            if chosen[row.person.id] not in minutes.ATTENDANCE_STATUSES:
                errors[row.person.id] = gettext(
                    "Choose whether %(name)s attended", name=row.person.display_name
                )
        if form.validate() and not errors:
            minutes.record_attendance(
                meeting, {user_id: str(status) for user_id, status in chosen.items()}
            )
            db.session.commit()
            flash(gettext("Attendance saved."), "success")
            return redirect(_minutes_url(meeting))
    return _page(
        "meetings/attendance_record.html",
        meeting,
        form=form,
        sheet=sheet,
        chosen=chosen,
        errors=errors,
        choices=ATTENDANCE_CHOICES,
    )


@bp.get(f"{MEETING}/minutes")
def show_minutes(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    access.require("minutes.read", panel_id)
    meeting = load_meeting(panel_id, meeting_id)
    team = access.can("minutes.write", panel_id)
    all_revisions = minutes.revisions(meeting)
    return _page(
        "meetings/minutes_show.html",
        meeting,
        team=team,
        revisions=all_revisions if team else [],
        latest=all_revisions[-1] if all_revisions and team else None,
        shared=minutes.latest_shared(all_revisions),
        agreed=minutes.agreed_revision(meeting, all_revisions),
        my_comments=minutes.my_minutes_comments(meeting, current_user.id),
        actions=minutes.actions_of(meeting),
        sheet=minutes.attendance_sheet(meeting) if team else [],
        confirm=ConfirmForm(),
    )


@bp.route(f"{MEETING}/minutes/write", methods=["GET", "POST"])
@csrf_checked_by_form
def write_minutes(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    access.require("minutes.write", panel_id)
    meeting = load_meeting(panel_id, meeting_id)
    all_revisions = minutes.revisions(meeting)
    latest = all_revisions[-1] if all_revisions else None
    form = MinutesForm()
    if request.method == "GET":
        form.based_on.data = latest.number if latest else 0
        form.body.data = latest.body if latest else ""
    if form.validate_on_submit():
        share = request.form.get("share") == "yes"
        try:
            revision = minutes.save_minutes(
                meeting,
                (form.body.data or "").strip(),
                form.based_on.data or 0,
                current_user.id,
                share,
            )
        except MinutesConflict:
            db.session.rollback()
            meeting = load_meeting(panel_id, meeting_id)
            all_revisions = minutes.revisions(meeting)
            newest = all_revisions[-1]
            # Saving from the conflict page is a deliberate choice to make a newer revision.
            form.based_on.data = newest.number
            form.based_on.raw_data = [str(newest.number)]
            return _page("meetings/minutes_conflict.html", meeting, form=form, newest=newest), 409
        db.session.commit()
        flash(
            gettext("Version %(number)d saved and shared with members.", number=revision.number)
            if share
            else gettext(
                "Version %(number)d saved. Members cannot see it yet.", number=revision.number
            ),
            "success",
        )
        return redirect(_minutes_url(meeting))
    return _page("meetings/minutes_write.html", meeting, form=form, latest=latest)


@bp.get(f"{MEETING}/minutes/versions/<int:minutes_revision>")
def show_minutes_revision(
    panel_id: int, meeting_id: int, minutes_revision: int
) -> ResponseReturnValue:
    access.require("minutes.write", panel_id)
    meeting = load_meeting(panel_id, meeting_id)
    revision = minutes.get_revision(meeting, minutes_revision)
    if revision is None:
        abort(404)
    return _page("meetings/minutes_revision.html", meeting, revision=revision)


@bp.post(f"{MEETING}/minutes/versions/<int:minutes_revision>/share")
@csrf_checked_by_form
def share_minutes(panel_id: int, meeting_id: int, minutes_revision: int) -> ResponseReturnValue:
    access.require("minutes.write", panel_id)
    meeting = load_meeting(panel_id, meeting_id)
    revision = minutes.get_revision(meeting, minutes_revision)
    if revision is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    minutes.share_revision(meeting, revision)
    db.session.commit()
    flash(gettext("Version %(number)d shared with members.", number=revision.number), "success")
    return redirect(_minutes_url(meeting))


@bp.route(f"{MEETING}/minutes/agree", methods=["GET", "POST"])
@csrf_checked_by_form
def agree_minutes(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    access.require("minutes.write", panel_id)
    meeting = load_meeting(panel_id, meeting_id)
    shared = minutes.latest_shared(minutes.revisions(meeting))
    if shared is None:
        flash(gettext("Share the minutes with members before you mark them agreed."))
        return redirect(_minutes_url(meeting))
    form = ConfirmForm()
    if form.validate_on_submit():
        minutes.agree_minutes(meeting)
        db.session.commit()
        flash(gettext("The minutes are marked as agreed."), "success")
        return redirect(_minutes_url(meeting))
    return _page("meetings/minutes_agree.html", meeting, form=form, shared=shared)


@bp.route(f"{MEETING}/minutes/comment", methods=["GET", "POST"])
@csrf_checked_by_form
def comment_on_minutes(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    access.require("minutes.comment", panel_id)
    meeting = load_meeting(panel_id, meeting_id)
    shared = minutes.latest_shared(minutes.revisions(meeting))
    if shared is None:
        abort(404)
    form = MinutesCommentForm()
    if form.validate_on_submit():
        minutes.comment_on_minutes(meeting, shared, current_user.id, (form.body.data or "").strip())
        db.session.commit()
        flash(gettext("Thank you. Your comment has been sent to the study team."), "success")
        return redirect(_minutes_url(meeting))
    return _page("meetings/minutes_comment.html", meeting, form=form, shared=shared)


@bp.get(f"{MEETING}/actions")
def list_actions(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    access.require("minutes.read", panel_id)
    meeting = load_meeting(panel_id, meeting_id)
    return _page("meetings/actions_list.html", meeting, actions=minutes.actions_of(meeting))


def _action_details(form: ActionForm) -> ActionDetails:
    return ActionDetails(
        description=(form.description.data or "").strip(),
        owner=(form.owner.data or "").strip(),
        due_on=form.due_on.data,
        status=ActionStatus(form.status.data),
    )


@bp.route(f"{MEETING}/actions/new", methods=["GET", "POST"])
@csrf_checked_by_form
def new_action(panel_id: int, meeting_id: int) -> ResponseReturnValue:
    access.require("actions.manage", panel_id)
    meeting = load_meeting(panel_id, meeting_id)
    form = ActionForm()
    if form.validate_on_submit():
        minutes.add_action(meeting, _action_details(form))
        db.session.commit()
        flash(gettext("Action added."), "success")
        return redirect(url_for("meetings.list_actions", panel_id=panel_id, meeting_id=meeting.id))
    return _page("meetings/actions_form.html", meeting, form=form, action=None)


@bp.route(f"{MEETING}/actions/<int:meeting_action_id>/edit", methods=["GET", "POST"])
@csrf_checked_by_form
def edit_action(panel_id: int, meeting_id: int, meeting_action_id: int) -> ResponseReturnValue:
    access.require("actions.manage", panel_id)
    meeting = load_meeting(panel_id, meeting_id)
    action: MeetingAction | None = minutes.get_action(meeting, meeting_action_id)
    if action is None:
        abort(404)
    form = ActionForm(obj=action if request.method == "GET" else None)
    if request.method == "GET":
        form.status.data = action.status.value
    if form.validate_on_submit():
        minutes.update_action(action, _action_details(form))
        db.session.commit()
        flash(gettext("Your changes have been saved."), "success")
        return redirect(url_for("meetings.list_actions", panel_id=panel_id, meeting_id=meeting.id))
    return _page("meetings/actions_form.html", meeting, form=form, action=action)
