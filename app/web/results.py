"""The result page, its PDF, its label, claiming it into an organisation, and share links."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import Length

import assessments

from ..models import Assessment
from ..reports import charts
from ..reports.renderer import RenderError
from ..services import accounts, history
from ..services import assessments as service
from ..services.reports import report_for
from .access import assessment_or_404
from .forms import ActionForm

bp = Blueprint("results", __name__)


class LabelForm(FlaskForm):
    label = StringField("Label", validators=[Length(max=120)])
    submit = SubmitField("Save label")


class ClaimForm(FlaskForm):
    organisation = SelectField("Organisation")
    submit = SubmitField("Add to organisation")



def _render_result(assessment: Assessment, *, shared_token: str | None = None) -> str:
    questionnaire = service.questionnaire_of(assessment)
    outcome = assessments.evaluate(questionnaire, service.saved_answers(assessment))
    readonly = shared_token is not None
    context: dict[str, object] = {}
    if not readonly:
        members = accounts.memberships_of(current_user) if current_user.is_authenticated else []
        claim = None
        if assessment.organisation_id is None and members:
            claim = ClaimForm()
            claim.organisation.choices = [SelectChoice(str(m.organisation_id), m.organisation.name) for m in members]
        context = {"label_form": LabelForm(label=assessment.label), "claim_form": claim,
                   "action_form": ActionForm(), "shares": history.shares_of(assessment)}
    return render_template(
        "results/show.html", assessment=assessment, outcome=outcome, scored=outcome.scored,
        rec=outcome.recommendation, pyramid=charts.pyramid(outcome.scored),
        bars=charts.level_scores(outcome.scored), readonly=readonly, shared_token=shared_token, **context)


@bp.get("/assessments/<token>")
def show(token: str) -> str | Response:
    assessment = assessment_or_404(token)
    if not assessment.is_complete:
        flash("This assessment is not finished yet. Carry on where you left off.", "info")
        return redirect(url_for("assess.resume", token=token))
    return _render_result(assessment)


def _pdf_response(assessment: Assessment, retry_url: str) -> Response | tuple[str, int]:
    try:
        report = report_for(assessment)
    except RenderError as error:
        current_app.logger.warning("PDF report failed for assessment %s: %s", assessment.id, error)
        return render_template("results/report_failed.html", assessment=assessment, message=str(error),
                               retry_url=retry_url), 503
    response = current_app.response_class(report.data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response.headers["Cache-Control"] = "private, max-age=0"
    response.headers["X-Report-Cache"] = "hit" if report.cached else "miss"
    return response


@bp.get("/assessments/<token>/report.pdf")
def report_pdf(token: str) -> Response | tuple[str, int]:
    assessment = assessment_or_404(token)
    if not assessment.is_complete:
        flash("Finish the assessment first; the report is made from the complete answers.", "info")
        return redirect(url_for("assess.resume", token=token))
    return _pdf_response(assessment, url_for(".report_pdf", token=token))


@bp.post("/assessments/<token>/label")
def set_label(token: str) -> Response:
    assessment = assessment_or_404(token)
    form = LabelForm()
    if form.validate_on_submit():
        history.set_label(assessment=assessment, label=form.label.data or "")
        flash("Label saved.", "info")
    return redirect(url_for(".show", token=token))


@bp.post("/assessments/<token>/claim")
@login_required
def claim(token: str) -> Response:
    assessment = assessment_or_404(token)
    if assessment.organisation_id is not None:
        abort(404)
    form = ClaimForm()
    members = {str(m.organisation_id): m for m in accounts.memberships_of(current_user)}
    form.organisation.choices = [SelectChoice(k, m.organisation.name) for k, m in members.items()]
    if not form.validate_on_submit():
        abort(400)
    member = members[form.organisation.data]
    history.claim(assessment=assessment, organisation=member.organisation, user=current_user)
    flash(f"The assessment is now part of {member.organisation.name}'s history.", "info")
    return redirect(url_for("orgs.show", organisation_id=member.organisation_id))


@bp.post("/assessments/<token>/shares")
def create_share(token: str) -> Response:
    assessment = assessment_or_404(token)
    if not assessment.is_complete or not ActionForm().validate_on_submit():
        abort(400)
    history.create_share(assessment=assessment)
    flash("Read-only link created. Anyone with it can see this result and its PDF until you revoke it.", "info")
    return redirect(url_for(".show", token=token) + "#share-h")


@bp.post("/assessments/<token>/shares/<int:share_id>/revoke")
def revoke_share(token: str, share_id: int) -> Response:
    assessment = assessment_or_404(token)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not history.revoke_share(assessment=assessment, share_id=share_id):
        abort(404)
    flash("The link no longer works.", "info")
    return redirect(url_for(".show", token=token) + "#share-h")


@bp.get("/shared/<share_token>")
def shared(share_token: str) -> str:
    assessment = history.shared_assessment(share_token)
    if assessment is None:
        abort(404)
    return _render_result(assessment, shared_token=share_token)


@bp.get("/shared/<share_token>/report.pdf")
def shared_pdf(share_token: str) -> Response | tuple[str, int]:
    assessment = history.shared_assessment(share_token)
    if assessment is None:
        abort(404)
    return _pdf_response(assessment, url_for(".shared_pdf", share_token=share_token))

