"""The result page of an assessment."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

import assessments
from assessments.answers import answer_label, is_visible

from ..reports import charts
from ..reports.renderer import RenderError
from ..services import assessments as service
from ..services.reports import report_for
from .assess import load

bp = Blueprint("results", __name__)


@bp.get("/assessments/<token>")
def show(token: str) -> str | Response:
    assessment = load(token)
    if not assessment.is_complete:
        flash("This assessment is not finished yet. Carry on where you left off.", "info")
        return redirect(url_for("assess.resume", token=token))
    questionnaire = service.questionnaire_of(assessment)
    outcome = assessments.evaluate(questionnaire, service.saved_answers(assessment))
    return render_template(
        "results/show.html",
        assessment=assessment,
        outcome=outcome,
        scored=outcome.scored,
        rec=outcome.recommendation,
        pyramid=charts.pyramid(outcome.scored),
        bars=charts.level_scores(outcome.scored),
        answer_label=answer_label,
        is_visible=is_visible,
    )


@bp.get("/assessments/<token>/report.pdf")
def report_pdf(token: str) -> Response | tuple[str, int]:
    assessment = load(token)
    if not assessment.is_complete:
        flash("Finish the assessment first; the report is made from the complete answers.", "info")
        return redirect(url_for("assess.resume", token=token))
    try:
        report = report_for(assessment)
    except RenderError as error:
        current_app.logger.warning("PDF report failed for assessment %s: %s", assessment.id, error)
        return render_template("results/report_failed.html", assessment=assessment, message=str(error)), 503
    response = current_app.response_class(report.data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response.headers["Cache-Control"] = "private, max-age=0"
    response.headers["X-Report-Cache"] = "hit" if report.cached else "miss"
    return response
