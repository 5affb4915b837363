"""The landing page and a health check."""

from __future__ import annotations

from flask import Blueprint, render_template

import assessments

from ..services import demo

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str:
    questionnaire = assessments.current()
    return render_template("pages/index.html", questionnaire=questionnaire, roles=assessments.roles().roles,
                           sample=demo.sample_share_token(), sample_name=demo.ORGANISATION)


@bp.get("/healthz")
def health() -> tuple[str, int]:
    return "ok", 200
