"""Comments, the study team's inbox (triage and responses) and a member's "My feedback" page.

Each view: load (404 when the object is not in the URL's panel) → ask ``access`` → call the
service → commit once → redirect, or render. The inbox and My feedback pages are in
``triage_views``, on the same blueprint.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal import access
from portal.drafts import service as drafts
from portal.drafts.models import Draft, DraftVersion
from portal.extensions import db
from portal.feedback import comments
from portal.feedback.blueprint import bp
from portal.feedback.forms import CommentForm, ConfirmForm
from portal.feedback.loaders import page
from portal.feedback.models import Comment, Visibility
from portal.security import csrf_checked_by_form


def _load_version(panel_id: int, draft_id: int, number: int) -> tuple[Draft, DraftVersion]:
    draft = drafts.get_draft(panel_id, draft_id)
    if draft is None:
        abort(404)
    version = drafts.get_version(draft, number)
    if version is None:
        abort(404)
    return draft, version


def _load_own_comment(panel_id: int, comment_id: int) -> tuple[Comment, Draft, DraftVersion]:
    """The signed-in person's own comment, with its draft and version; anyone else's is a 404."""
    comment = comments.get_comment(panel_id, comment_id)
    if comment is None or comment.author_id != current_user.id or comment.version_id is None:
        abort(404)
    version = comments.version_of(comment)
    draft = drafts.get_draft(panel_id, comment.draft_id or 0)
    if version is None or draft is None:
        abort(404)
    return comment, draft, version


def _version_url(panel_id: int, draft: Draft, version: DraftVersion) -> str:
    return url_for(
        "drafts.show_version",
        panel_id=panel_id,
        draft_id=draft.id,
        number=version.number,
        _anchor="comments",
    )


def _comment_form(panel_id: int, version: DraftVersion, **kwargs: object) -> CommentForm:
    form = CommentForm(**kwargs)
    membership = access.membership_in(panel_id)
    form.set_choices(
        [(item.key, item.title) for item in version.items],
        current_user.display_name,
        membership.pseudonym_code if membership else "",
    )
    return form


@bp.route("/drafts/<int:draft_id>/versions/<int:number>/comments/new", methods=["GET", "POST"])
@csrf_checked_by_form
def new_comment(panel_id: int, draft_id: int, number: int) -> ResponseReturnValue:
    access.require("comment.write", panel_id)
    draft, version = _load_version(panel_id, draft_id, number)
    form = _comment_form(panel_id, version)
    if not form.is_submitted():
        form.about.data = request.args.get("item", "")
    if form.validate_on_submit():
        details = form.details()
        comments.add_comment(draft, version, current_user.id, details)
        db.session.commit()
        if details.visibility is Visibility.PANEL:
            flash(gettext("Your comment has been sent to the study team and the panel."), "success")
        else:
            flash(gettext("Your comment has been sent to the study team."), "success")
        return redirect(_version_url(panel_id, draft, version))
    return page(
        "feedback/comment_form.html",
        panel_id,
        form=form,
        draft=draft,
        version=version,
        comment=None,
        max_length=comments.COMMENT_MAX_LENGTH,
    )


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@csrf_checked_by_form
def edit_comment(panel_id: int, comment_id: int) -> ResponseReturnValue:
    access.require("comment.write", panel_id)
    comment, draft, version = _load_own_comment(panel_id, comment_id)
    form = _comment_form(panel_id, version)
    if not form.is_submitted():
        form.body.data = comment.body
        form.visibility.data = comment.visibility.value
        form.shown_as.data = comment.shown_as.value
    form.about.data = comment.item_key or ""  # what it is about stays as it was
    context = {"draft": draft, "version": version, "comment": comment}
    if not comments.can_still_edit(comment):
        typed = form.body.data if form.is_submitted() else ""
        return page("feedback/edit_closed.html", panel_id, typed=typed, **context)
    if form.validate_on_submit():
        try:
            comments.edit_comment(comment, draft, form.details())
        except comments.EditWindowClosed:
            db.session.rollback()
            return page("feedback/edit_closed.html", panel_id, typed=form.body.data, **context)
        db.session.commit()
        flash(gettext("Your comment has been changed."), "success")
        return redirect(_version_url(panel_id, draft, version))
    return page(
        "feedback/comment_form.html",
        panel_id,
        form=form,
        max_length=comments.COMMENT_MAX_LENGTH,
        **context,
    )


@bp.route("/comments/<int:comment_id>/withdraw", methods=["GET", "POST"])
@csrf_checked_by_form
def withdraw_comment(panel_id: int, comment_id: int) -> ResponseReturnValue:
    access.require("comment.write", panel_id)
    comment, draft, version = _load_own_comment(panel_id, comment_id)
    if comment.withdrawn_at is not None:
        flash(gettext("You have already withdrawn this comment."))
        return redirect(_version_url(panel_id, draft, version))
    form = ConfirmForm()
    if form.validate_on_submit():
        comments.withdraw_comment(comment, draft)
        db.session.commit()
        flash(gettext("Your comment has been withdrawn. Nobody can read it now."), "success")
        return redirect(_version_url(panel_id, draft, version))
    return page(
        "feedback/withdraw_comment.html",
        panel_id,
        form=form,
        draft=draft,
        version=version,
        comment=comment,
    )
