"""Taking an assessment: start, one page per section, Back/Next, resume, finish.

A respondent's answers to a team round (a response) go through the same pages, reached by the
response's own token (access.answerable_or_404); finishing one leads to the respondent's page
(app/web/rounds.py) rather than to a result, and a closed round's responses are read-only."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from assessments.answers import AnswerError, is_skipped, is_visible
from assessments.schema import Questionnaire

from .. import mail
from ..extensions import limiter
from ..models import Assessment
from ..services import accounts, history, rounds
from ..services import assessments as service
from .access import answerable_or_404
from .forms import EmailForm, SectionForm, StartForm, field_name, section_form_class

bp = Blueprint("assess", __name__)


@bp.route("/assessments/new", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["START_RATE_LIMIT"], methods=["POST"])
def start() -> str | Response:
    form = StartForm()
    members = accounts.memberships_of(current_user.id) if current_user.is_authenticated else []
    if members:
        form.organisation.choices = [SelectChoice(str(m.organisation_id), m.organisation.name) for m in members]
        del form.organisation_name
    else:
        del form.organisation
    if form.validate_on_submit():
        try:
            if members:
                chosen = next(m for m in members if str(m.organisation_id) == form.organisation.data)
                assessment = history.start_in_organisation(
                    organisation=chosen.organisation, user_id=current_user.id,
                    start_key=form.start_key.data).assessment
            else:
                assessment = service.start(start_key=form.start_key.data,
                                           organisation_name=form.organisation_name.data or "")
        except service.StartKeyTaken:
            flash("The form expired. Please try again.", "error")
            return redirect(url_for(".start"))
        return redirect(url_for(".section", token=assessment.token, section_id=assessment.last_section))
    if not form.start_key.data:
        form.start_key.data = secrets.token_urlsafe(24)
    return render_template("assess/start.html", form=form)


@bp.get("/assessments/<token>/resume")
def resume(token: str) -> Response:
    assessment = answerable_or_404(token)
    if _closed_response(assessment):
        return _to_respondent_page(token)
    questionnaire = service.questionnaire_of(assessment)
    section_id = assessment.last_section or questionnaire.sections[0].id
    return redirect(url_for(".section", token=token, section_id=section_id))


@bp.post("/assessments/<token>/email-link")
@limiter.limit(lambda: current_app.config["MAIL_RATE_LIMIT"])
def email_link(token: str) -> Response:
    """E-mail the resume link to the address given (for an organisation's assessment it opens for members only)."""
    assessment = answerable_or_404(token)
    form = EmailForm()
    back = url_for(".resume", token=token)
    if not form.validate_on_submit():
        flash("Please enter a valid e-mail address to be sent the link.", "error")
        return redirect(back)
    email = accounts.normalise_email(form.email.data)
    if mail.send(to=email, subject="Your Groundwork assessment: the link to carry on", template="resume",
                 link=url_for(".resume", token=token, _external=True), organisation=assessment.organisation_name,
                 members_only=assessment.organisation_id is not None and assessment.round_id is None):
        flash(f"The link is on its way to {email}.", "info")
    else:
        flash(mail.FAILED, "error")
    return redirect(back)


@bp.route("/assessments/<token>/sections/<section_id>", methods=["GET", "POST"])
def section(token: str, section_id: str) -> str | Response:
    assessment = answerable_or_404(token)
    if _closed_response(assessment):
        return _to_respondent_page(token)
    questionnaire = service.questionnaire_of(assessment)
    ids = [s.id for s in questionnaire.sections]
    if section_id not in ids:
        abort(404)
    index = ids.index(section_id)
    section = questionnaire.sections[index]
    form_class = section_form_class(questionnaire, section_id)

    # On GET the saved answers fill the form; on POST only what was submitted counts.
    form: SectionForm = form_class(saved=service.saved_answers(assessment), fill=request.method != "POST")
    session_expired = False
    if form.is_submitted():
        # A jump to another section (the section list) saves like Back: what is valid, requiring nothing.
        jump = request.form.get("jump") if request.form.get("jump") in ids else None
        form.lenient = bool(form.back.data) or jump is not None
        if form.validate():
            try:
                service.save_section(assessment, section, form.answers())
            except AnswerError as error:
                form[field_name(error.question_id)].errors.append(error.detail)
            except rounds.RoundClosed:
                return _to_respondent_page(token)
            except SQLAlchemyError:
                flash("Your answers could not be saved just now. Nothing was lost: please try again.", "error")
                return render_template("assess/section.html", **_page(assessment, form, index)), 503
            else:
                if jump is not None:
                    return redirect(url_for(".section", token=token, section_id=jump))
                finishing = bool(request.form.get("to_result")) and assessment.is_complete
                return _after_save(assessment, questionnaire, token, index, going_back=form.lenient,
                                   finishing=finishing)
        elif form.csrf_token.errors:
            session_expired = True
    return render_template("assess/section.html", session_expired=session_expired, **_page(assessment, form, index))


def _neighbour(questionnaire: Questionnaire, answers: dict[str, object], index: int, step: int) -> int | None:
    """The next (step=1) or previous (step=-1) section with a question to show; None past either end.

    A section whose questions all depend on an answer that rules them out (no models in use, say)
    is skipped rather than shown as an empty page."""
    index += step
    while 0 <= index < len(questionnaire.sections):
        if any(is_visible(questionnaire, q, answers) for q in questionnaire.sections[index].questions):
            return index
        index += step
    return None


def _after_save(assessment: Assessment, questionnaire: Questionnaire, token: str, index: int, *,
                going_back: bool, finishing: bool = False) -> Response:
    """Where to go after a save. Uses the URL's token: the committed row would have to be reloaded.

    `finishing` ("Save and return to the result", offered while editing a finished assessment) goes
    straight to the result, through the same completeness check as the last section's Finish."""
    answers = service.saved_answers(assessment)
    if going_back:
        target = questionnaire.sections[_neighbour(questionnaire, answers, index, -1) or 0]
        return redirect(url_for(".section", token=token, section_id=target.id))
    following = None if finishing else _neighbour(questionnaire, answers, index, 1)
    if following is not None:
        target = questionnaire.sections[following]
        return redirect(url_for(".section", token=token, section_id=target.id))
    try:
        if assessment.round_id is not None:
            rounds.finish(assessment)
        else:
            service.complete(assessment)
    except service.AssessmentIncomplete as incomplete:
        flash(f"{len(incomplete.missing)} required question(s) still need an answer. "
              "They are marked below.", "error")
        return redirect(url_for(".section", token=token, section_id=incomplete.section.id, check="1"))
    except rounds.RoundClosed:
        return _to_respondent_page(token)
    if assessment.round_id is not None:
        return redirect(url_for("rounds.response", response_token=token))
    return redirect(url_for("results.show", token=token))


def _closed_response(assessment: Assessment) -> bool:
    return assessment.round_id is not None and rounds.is_closed(assessment.round_id)


def _to_respondent_page(token: str) -> Response:
    flash("The round has closed, so these answers can no longer be changed.", "info")
    return redirect(url_for("rounds.response", response_token=token))


_COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _progress(questionnaire: Questionnaire, answers: dict[str, object], index: int) -> tuple[int, int, str]:
    """(this section's number, sections that apply, why the others are skipped) for the progress line:
    "Section 8 of 10; two sections skipped because no models are in use yet"."""
    sections = questionnaire.sections
    skipped = [s for i, s in enumerate(sections) if i != index and is_skipped(questionnaire, s, answers)]
    applying = [i for i, s in enumerate(sections) if s not in skipped]
    if not skipped:
        return applying.index(index) + 1, len(applying), ""
    count = _COUNTS[len(skipped)] if len(skipped) < len(_COUNTS) else str(len(skipped))
    reasons = list(dict.fromkeys(s.skipped_because or "they do not apply given your earlier answers"
                                 for s in skipped))
    note = (f"{count} section{'s' if len(skipped) > 1 else ''} skipped because "
            + " and because ".join(reasons))
    return applying.index(index) + 1, len(applying), note


def _page(assessment: Assessment, form: SectionForm, index: int) -> dict[str, object]:
    questionnaire = service.questionnaire_of(assessment)
    answers = service.saved_answers(assessment)
    position, total, skipped = _progress(questionnaire, answers, index)
    sections = service.section_progress(questionnaire, answers)
    return {
        "sections": sections,
        "answered_total": sum(s.answered for s in sections),
        "shown_total": sum(s.shown for s in sections),
        "assessment": assessment,
        "seat_title": rounds.SEATS.get(assessment.seat or "", ""),
        "questionnaire": questionnaire,
        "section": questionnaire.sections[index],
        "index": index,
        "position": position,
        "total": total,
        "skipped": skipped,
        "is_last": index + 1 == len(questionnaire.sections),
        "form": form,
        "email_form": EmailForm(formdata=None),
        "missing": set(service.missing_required(questionnaire, answers))
        if request.args.get("check") == "1" else set(),
    }
