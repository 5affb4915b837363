"""The result page of an assessment."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

import assessments
from assessments.answers import answer_label, is_visible

from ..reports import charts
from ..services import assessments as service
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
