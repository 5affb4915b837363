"""The landing page and a health check."""

from __future__ import annotations

from flask import Blueprint, render_template

import assessments

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str:
    questionnaire = assessments.current()
    return render_template("pages/index.html", questionnaire=questionnaire, roles=assessments.roles().roles)


@bp.get("/healthz")
def health() -> tuple[str, int]:
    return "ok", 200
