"""Omission checks (members), on the rounds blueprint.

The check is a short page per item, then "Is anything important missing?", "Should anything be
worded differently?", "Anything else?", and a check-your-answers page. One item per page keeps
each page short on a phone and lets a member stop after any item.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from portal.access import Action, panel_page
from portal.db import utcnow
from portal.drafts.models import Draft
from portal.rounds import check_pages
from portal.rounds import checks as service
from portal.rounds.blueprint import bp
from portal.rounds.forms import (
    COMMENT_LIMIT,
    LONG_TEXT_LIMIT,
    ItemAnswerForm,
    MissingActionsForm,
    SubmitForm,
    TextAnswerForm,
)
from portal.rounds.loaders import ROUND, load_round, render_round_page, round_url
from portal.rounds.models import OmissionCheck, Resonance, ReviewRound
from portal.rounds.service import NotInRound, RoundClosed
from portal.security import csrf_checked_by_form
from portal.summaries.loaders import summary_for_reader
from portal.summaries.models import SubjectKind


def _changing() -> bool:
    """The member came from check your answers and goes back there after this page."""
    return bool(request.args.get("change"))


def _later() -> bool:
    """The member pressed "Save and come back later"."""
    return bool(request.form.get("later"))


def _page_url(review_round: ReviewRound, key: str) -> str:
    if key.startswith("items/"):
        return round_url("answer_item", review_round, version_item_id=int(key.split("/")[1]))
    if key == "missing":
        return round_url("missing_actions", review_round)
    if key in check_pages.QUESTIONS:
        return round_url("answer_question", review_round, question=key)
    return round_url("check_answers", review_round)


def _resume_page(review_round: ReviewRound, key: str) -> str:
    return check_pages.resume_page(review_round, key, later=_later(), changing=_changing())


def _back_url(review_round: ReviewRound, key: str) -> str:
    if _changing():
        return round_url("check_answers", review_round)
    previous = check_pages.previous_page(review_round, key)
    if previous is None:
        return round_url("start_check", review_round)
    return _page_url(review_round, previous)


def _saved(review_round: ReviewRound, key: str) -> ResponseReturnValue:
    """After a save: on to the next page, or home when the member will come back later."""
    target = _page_url(review_round, check_pages.next_page(review_round, key, _changing()))
    if _later():
        flash(
            gettext(
                "Your answers are saved. You can come back and finish before the deadline.",
            ),
            "success",
        )
        return redirect(url_for("core.home"))
    return redirect(target)


def _closed_message(review_round: ReviewRound) -> str:
    return gettext(
        "This review round has closed, so your answers on this page were not saved. "
        "What you typed is still below if you want to copy it."
    )


def _when_closed(draft: Draft, review_round: ReviewRound) -> ResponseReturnValue | None:
    """On a GET after the deadline, every page explains on the round's first page."""
    if not review_round.is_open(utcnow()):
        return redirect(round_url("start_check", review_round))
    return None


# --- members: the omission check ----------------------------------------------------------


def _my_check(review_round: ReviewRound) -> OmissionCheck | None:
    return service.get_check(review_round, current_user.id)


@bp.get(ROUND + "/check")
@panel_page(Action.OMISSION_ANSWER)
def start_check(panel_id: int, draft_id: int, round_id: int) -> ResponseReturnValue:
    draft, review_round = load_round(panel_id, draft_id, round_id)
    check = _my_check(review_round)
    resume = None
    if (
        check is not None
        and (resume_key := check_pages.resume_key(review_round, check)) is not None
    ):
        resume = _page_url(review_round, resume_key)
    return render_round_page(
        "rounds/check/start.html",
        panel_id,
        draft=draft,
        review_round=review_round,
        check=check,
        first_page=_page_url(review_round, check_pages.page_keys(review_round)[0]),
        resume=resume,
        # Summaries are written against the draft's latest published version.
        translated_summary=summary_for_reader(SubjectKind.DRAFT, draft.id)
        if review_round.version.number == draft.latest_version_number
        else None,
    )


@bp.route(ROUND + "/check/items/<int:version_item_id>", methods=["GET", "POST"])
@panel_page(Action.OMISSION_ANSWER)
@csrf_checked_by_form
def answer_item(
    panel_id: int, draft_id: int, round_id: int, version_item_id: int
) -> ResponseReturnValue:
    draft, review_round = load_round(panel_id, draft_id, round_id)
    item = service.item_in_round(review_round, version_item_id)
    if item is None:
        abort(404)
    form = ItemAnswerForm()
    if request.method == "GET":
        if (closed := _when_closed(draft, review_round)) is not None:
            return closed
        check = _my_check(review_round)
        answer = next(
            (a for a in (check.answers if check else []) if a.version_item_id == version_item_id),
            None,
        )
        if answer is not None:
            form.resonance.data = answer.resonance.value if answer.resonance else None
            form.comment.data = answer.comment
    closed_message = None
    key = f"items/{version_item_id}"
    if form.validate_on_submit():
        resonance = Resonance(form.resonance.data) if form.resonance.data else None
        try:
            service.save_item_answer(
                review_round,
                current_user.id,
                version_item_id,
                resonance,
                (form.comment.data or "").strip(),
                _resume_page(review_round, key),
            )
        except NotInRound:
            abort(404)
        except RoundClosed:
            closed_message = _closed_message(review_round)
        else:
            return _saved(review_round, key)
    items = review_round.version.items
    return render_round_page(
        "rounds/check/item.html",
        panel_id,
        draft=draft,
        review_round=review_round,
        item=item,
        number=items.index(item) + 1,
        total=len(items),
        form=form,
        closed_message=closed_message,
        comment_limit=COMMENT_LIMIT,
        back=_back_url(review_round, key),
    )


@bp.route(ROUND + "/check/missing", methods=["GET", "POST"])
@panel_page(Action.OMISSION_ANSWER)
@csrf_checked_by_form
def missing_actions(panel_id: int, draft_id: int, round_id: int) -> ResponseReturnValue:
    draft, review_round = load_round(panel_id, draft_id, round_id)
    form = MissingActionsForm()
    if request.method == "GET":
        if (closed := _when_closed(draft, review_round)) is not None:
            return closed
        check = _my_check(review_round)
        saved = list(check.missing_actions) if check else []
        while len(form.actions) > 0:
            form.actions.pop_entry()
        for row in saved:
            form.actions.append_entry(
                {"description": row.description, "why_it_matters": row.why_it_matters}
            )
        if not saved or request.args.get("add"):
            form.actions.append_entry()
    closed_message = None
    key = "missing"
    if form.validate_on_submit():
        remove = request.form.get("remove", type=int)
        adding = bool(request.form.get("add"))
        kept = [entry for index, entry in enumerate(form.actions) if index != remove]
        actions = [
            (description, (entry.form.why_it_matters.data or "").strip())
            for entry in kept
            if (description := (entry.form.description.data or "").strip())
        ]
        staying = adding or remove is not None
        try:
            service.save_missing_actions(
                review_round,
                current_user.id,
                actions,
                key if staying else _resume_page(review_round, key),
            )
        except RoundClosed:
            closed_message = _closed_message(review_round)
        else:
            if not staying:
                return _saved(review_round, key)
            target = round_url(
                "missing_actions",
                review_round,
                add=1 if adding else None,
                change=request.args.get("change") or None,
                _anchor=f"actions-{len(actions)}-description" if adding else None,
            )
            if remove is not None:
                flash(gettext("Missing action removed."), "success")
            return redirect(target)
    return render_round_page(
        "rounds/check/missing.html",
        panel_id,
        draft=draft,
        review_round=review_round,
        form=form,
        closed_message=closed_message,
        comment_limit=COMMENT_LIMIT,
        back=_back_url(review_round, key),
    )


@bp.route(ROUND + "/check/<any(rewording, general):question>", methods=["GET", "POST"])
@panel_page(Action.OMISSION_ANSWER)
@csrf_checked_by_form
def answer_question(
    panel_id: int, draft_id: int, round_id: int, question: str
) -> ResponseReturnValue:
    draft, review_round = load_round(panel_id, draft_id, round_id)
    form = TextAnswerForm()
    if request.method == "GET":
        if (closed := _when_closed(draft, review_round)) is not None:
            return closed
        check = _my_check(review_round)
        if check is not None:
            form.text.data = check.rewording if question == "rewording" else check.general_comment
    closed_message = None
    if form.validate_on_submit():
        try:
            service.save_text_answer(
                review_round,
                current_user.id,
                question,
                (form.text.data or "").strip(),
                _resume_page(review_round, question),
            )
        except RoundClosed:
            closed_message = _closed_message(review_round)
        else:
            return _saved(review_round, question)
    return render_round_page(
        "rounds/check/question.html",
        panel_id,
        draft=draft,
        review_round=review_round,
        form=form,
        question=question,
        words=check_pages.question_text(question),
        closed_message=closed_message,
        text_limit=LONG_TEXT_LIMIT,
        back=_back_url(review_round, question),
    )


@bp.route(ROUND + "/check/answers", methods=["GET", "POST"])
@panel_page(Action.OMISSION_ANSWER)
@csrf_checked_by_form
def check_answers(panel_id: int, draft_id: int, round_id: int) -> ResponseReturnValue:
    draft, review_round = load_round(panel_id, draft_id, round_id)
    if request.method == "GET" and (closed := _when_closed(draft, review_round)) is not None:
        return closed
    form = SubmitForm()
    closed_message = None
    if form.validate_on_submit():
        try:
            service.submit_check(review_round, current_user.id)
        except RoundClosed:
            closed_message = gettext("This review round has closed, so your answers were not sent.")
        else:
            target = round_url("check_sent", review_round)
            return redirect(target)
    check = _my_check(review_round)
    answers = {answer.version_item_id: answer for answer in (check.answers if check else [])}
    return render_round_page(
        "rounds/check/answers.html",
        panel_id,
        draft=draft,
        review_round=review_round,
        check=check,
        answers=answers,
        form=form,
        closed_message=closed_message,
        page_url=lambda key: _page_url(review_round, key),
    )


@bp.get(ROUND + "/check/sent")
@panel_page(Action.OMISSION_ANSWER)
def check_sent(panel_id: int, draft_id: int, round_id: int) -> ResponseReturnValue:
    draft, review_round = load_round(panel_id, draft_id, round_id)
    check = _my_check(review_round)
    if check is None or check.submitted_at is None:
        return redirect(round_url("start_check", review_round))
    return render_round_page(
        "rounds/check/sent.html", panel_id, draft=draft, review_round=review_round, check=check
    )
