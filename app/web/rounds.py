"""Team rounds: starting one, the round's page, invitations, joining, the respondent's page, closing.

Who sees what (app/web/access.py decides who reaches each route):
- The organisation's members see the round's page: every respondent (seat, name, status) and,
  question by question, the answers of those who finished; except that a member who has not
  finished their own answers to the round sees nobody else's until they do.
- A respondent reaches their own answers by their private link (/responses/<token>), with or
  without an account: their answers and, once the round is closed, the combined result, read-only
  and naming nobody.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from assessments.answers import answer_label, is_visible

from .. import mail
from ..extensions import limiter
from ..models import Assessment, RoundInvite
from ..services import accounts, rounds
from ..services import assessments as service
from ..services.assessments import StartKeyTaken
from . import access
from .forms import ActionForm, JoinRoundForm, RoundInviteForm, RoundStartForm

bp = Blueprint("rounds", __name__)

#: The browser session remembers the responses answered in it (their tokens), so that the same
#: invitation opened again in this browser resumes them, and the round page knows whose they are.
SESSION_KEY = "round_responses"
REMEMBERED = 20


def _remember(response: Assessment) -> None:
    kept = [t for t in session.get(SESSION_KEY, []) if t != response.token]
    session[SESSION_KEY] = [*kept, response.token][-REMEMBERED:]


def _is_mine(response: Assessment) -> bool:
    uid = access.user_id()
    return ((uid is not None and response.created_by_id == uid)
            or response.token in session.get(SESSION_KEY, []))


@bp.post("/orgs/<id:organisation_id>/rounds")
@limiter.limit(lambda: current_app.config["START_RATE_LIMIT"])
@login_required
def start(organisation_id: int) -> Response:
    """Start a round: the member who starts it answers first, from the seat they choose."""
    member = access.membership_or_404(organisation_id)
    form = RoundStartForm()
    back = url_for("orgs.show", organisation_id=organisation_id) + "#round-h"
    if not form.validate_on_submit():
        flash(form.seat.errors[0] if form.seat.errors else "The form expired. Please try again.", "error")
        return redirect(back)
    try:
        response = rounds.start(organisation_id=organisation_id, organisation_name=member.organisation.name,
                                user_id=current_user.id, start_key=form.start_key.data, seat=form.seat.data,
                                name=form.name.data or "", label=form.label.data or "")
    except StartKeyTaken:
        flash("The form expired. Please try again.", "error")
        return redirect(back)
    _remember(response)
    flash("Your team round has started. Answer first; then invite colleagues from the round's page "
          "(the link is at the foot of each page of questions).", "info")
    return redirect(url_for("assess.section", token=response.token, section_id=response.last_section))


def _answer_rows(round_: Assessment, responses: list[Assessment]) -> list[dict[str, Any]]:
    """Every question someone answered, in questionnaire order, with each response's answer."""
    questionnaire = service.questionnaire_of(round_)
    answers = rounds.answers_of(responses)
    rows = []
    for section in questionnaire.sections:
        questions = []
        for q in section.questions:
            given = [(r, answers[r.id].get(q.id)) for r in responses]
            if not any(value is not None and is_visible(questionnaire, q, answers[r.id]) for r, value in given):
                continue
            labels = [(r, answer_label(q, value) if is_visible(questionnaire, q, answers[r.id]) else "Not asked")
                      for r, value in given]
            questions.append({"question": q, "answers": labels,
                              "differ": len({label for _, label in labels}) > 1})
        if questions:
            rows.append({"section": section, "questions": questions})
    return rows


def _round_page(round_: Assessment, invite_form: RoundInviteForm | None = None, status: int = 200,
                ) -> tuple[str, int]:
    state = rounds.status(round_)
    mine = [r for r in state.responses if _is_mine(r)]
    waiting_on_me = any(r.completed_at is None for r in mine)
    finished = [r for r in state.responses if r.completed_at is not None]
    return render_template(
        "rounds/show.html", round=round_, state=state, mine=mine, waiting_on_me=waiting_on_me,
        answers=[] if waiting_on_me else _answer_rows(round_, finished), finished=finished,
        invite_form=invite_form or RoundInviteForm(formdata=None), action_form=ActionForm(),
        seats=rounds.SEATS), status


@bp.get("/assessments/<round_token>/round")
def show(round_token: str) -> tuple[str, int]:
    return _round_page(access.round_or_404(round_token))


@bp.post("/assessments/<round_token>/round/invites")
@limiter.limit(lambda: current_app.config["MAIL_RATE_LIMIT"], exempt_when=lambda: not request.form.get("email"))
def invite(round_token: str) -> str | Response | tuple[str, int]:
    """An invitation link, shown once; e-mailed too when an address is given."""
    round_ = access.round_or_404(round_token)
    form = RoundInviteForm()
    if not form.validate_on_submit():
        return _round_page(round_, form, 400)
    email = accounts.normalise_email(form.email.data) if form.email.data else ""
    try:
        token = rounds.create_invite(round_id=round_.id, created_by_id=access.user_id(), email=email,
                                     name=form.name.data or "")
    except rounds.RoundClosed:
        flash("The round has closed: nobody more can answer it.", "error")
        return redirect(url_for(".show", round_token=round_token))
    link = url_for(".join", token=token, _external=True)
    sent = None
    if email:
        sent = mail.send(to=email, subject=f"Answer {round_.organisation_name}'s data assessment",
                         template="round_invite", inviter=current_user.email, organisation=round_.organisation_name,
                         link=link)
    return render_template("rounds/invite_link.html", round=round_, link=link, email=email, sent=sent,
                           name=form.name.data or "")


def _confirm(*, title: str, message: str, button: str, cancel: str) -> tuple[str, int]:
    return render_template("confirm.html", title=title, message=message, button=button, cancel=cancel,
                           form=ActionForm()), 200


@bp.route("/assessments/<round_token>/round/invites/<id:round_invite_id>/revoke", methods=["GET", "POST"])
def revoke_invite(round_token: str, round_invite_id: int) -> Response | tuple[str, int]:
    round_ = access.round_or_404(round_token)
    invite = next((r.invite for r in rounds.status(round_).respondents
                   if r.invite is not None and r.invite.id == round_invite_id and r.response is None), None)
    if invite is None:
        abort(404)
    back = url_for(".show", round_token=round_token)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        if not rounds.revoke_invite(round_id=round_.id, invite_id=round_invite_id):
            flash("Someone has just started answering through that invitation, so it stays.", "error")
            return redirect(back)
        flash("The invitation is revoked: its link no longer works.", "info")
        return redirect(back)
    whom = invite.name or invite.email
    return _confirm(title="Revoke this invitation?", button="Revoke the invitation", cancel=back,
                    message=f"The invitation{' for ' + whom if whom else ''} will stop working. "
                            "Nobody has answered through it yet.")


@bp.route("/assessments/<round_token>/round/close", methods=["GET", "POST"])
def close(round_token: str) -> Response | tuple[str, int]:
    """Close the round by hand: the finished answers are combined; the others count as not answered."""
    round_ = access.round_or_404(round_token)
    back = url_for(".show", round_token=round_token)
    state = rounds.status(round_)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        try:
            closed_now = rounds.close(round_.id)
        except rounds.NobodyFinished:
            flash(NOBODY_FINISHED, "error")
            return redirect(back)
        if closed_now:
            flash("The round is closed. This is the combined result of everyone who finished.", "info")
        return redirect(url_for("results.show", token=round_token))
    if state.closed:
        return redirect(url_for("results.show", token=round_token))
    if not state.finished:
        flash(NOBODY_FINISHED, "error")
        return redirect(back)
    waiting = state.not_finished
    message = ("Everyone invited has finished. " if not waiting else
               f"{waiting} {'person has' if waiting == 1 else 'people have'} not finished: "
               "they count as not having answered, and cannot answer once the round is closed. ")
    return _confirm(title="Close the round?", button="Close the round and combine the answers", cancel=back,
                    message=message + f"The answers of the {state.finished} who finished are combined into one "
                                      "result.")


NOBODY_FINISHED = ("Nobody has finished answering yet, so there is nothing to combine. The round can be closed "
                   "once at least one person has finished.")


@bp.route("/rounds/join/<token>", methods=["GET", "POST"])
def join(token: str) -> str | Response | tuple[str, int]:
    """An invitation: ask the seat (and a name), then create the one response it allows."""
    invite = access.round_invite_or_404(token)
    round_ = rounds.get(invite.round_id)
    if invite.response_id is not None:  # (a POST: perhaps this form's first click took it a moment ago)
        return _used(invite, join_key=request.form.get("join_key") if request.method == "POST" else None)
    if round_.completed_at is not None:
        return render_template("rounds/closed.html", round=round_), 410
    form = JoinRoundForm()  # the inviter's label for the invitation is theirs, not the respondent's name
    if form.validate_on_submit():
        try:
            response = rounds.join(invite=invite, join_key=form.join_key.data, seat=form.seat.data,
                                   name=form.name.data or "", user_id=access.user_id())
        except rounds.RoundClosed:
            return render_template("rounds/closed.html", round=round_), 410
        except rounds.InviteUsed as used:
            return _used(invite, used.response_id, join_key=form.join_key.data)
        _remember(response)
        return redirect(url_for("assess.section", token=response.token, section_id=response.last_section))
    if not form.join_key.data:
        form.join_key.data = secrets.token_urlsafe(24)
    return render_template("rounds/join.html", round=round_, form=form, invite=invite)


def _used(invite: RoundInvite, response_id: int | None = None, *, join_key: str | None = None,
          ) -> Response | tuple[str, int]:
    """An invitation already answered through: its respondent (this browser, their account, or the same
    form sent twice) carries on; anyone else is told to ask for a new one."""
    response = rounds.get(response_id or invite.response_id)
    if response is not None and (_is_mine(response) or (join_key and response.start_key == join_key)):
        _remember(response)
        if response.completed_at is not None or rounds.is_closed(response.round_id):
            return redirect(url_for(".response", response_token=response.token))
        return redirect(url_for("assess.resume", token=response.token))
    return render_template("rounds/used.html"), 409


@bp.get("/responses/<response_token>")
def response(response_token: str) -> str:
    """The respondent's page: their answers, the round's progress and, once closed, the combined result."""
    response = access.response_or_404(response_token)
    round_ = rounds.round_of(response)
    state = rounds.status(round_)
    questionnaire = service.questionnaire_of(response)
    answers = service.saved_answers(response)
    own = [{"section": s, "questions": [(q, answer_label(q, answers.get(q.id))) for q in s.questions
                                        if is_visible(questionnaire, q, answers) and q.id in answers]}
           for s in questionnaire.sections]
    return render_template("rounds/response.html", response=response, round=round_, state=state,
                           own=[s for s in own if s["questions"]], seats=rounds.SEATS,
                           is_member=access.is_member(round_.organisation_id))


@bp.get("/responses/<response_token>/result")
def response_result(response_token: str) -> str | Response:
    """The combined result for a respondent, read-only: the share link's view (nobody's own answers, no names)."""
    from .results import render_readonly

    response = access.response_or_404(response_token)
    round_ = rounds.round_of(response)
    if round_.completed_at is None:
        flash("The combined result is shown here once the round is closed.", "info")
        return redirect(url_for(".response", response_token=response_token))
    return render_readonly(round_, here=url_for(".response_result", response_token=response_token),
                           back_url=url_for(".response", response_token=response_token))
