"""The PDF report of an assessment: from the cache, or rendered once and cached.

Reads only. A failed or timed-out render raises RenderError and changes
nothing: the answers were saved long before anyone asked for a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

import assessments

from ..models import Assessment
from ..reports import pdf
from ..reports.cache import PdfCache
from ..reports.renderer import render_isolated
from . import history
from .assessments import questionnaire_of, saved_answers


@dataclass(frozen=True)
class Report:
    data: bytes
    filename: str
    cached: bool


def _since(assessment: Assessment, outcome: assessments.Outcome) -> history.Comparison | None:
    """The comparison with the organisation's assessment before this one, if any."""
    if assessment.organisation_id is None:
        return None
    previous = history.previous_of(assessment)
    if previous is None:
        return None
    return history.compare(previous, history.Entry(assessment, outcome))


def report_for(assessment: Assessment) -> Report:
    outcome = assessments.evaluate(questionnaire_of(assessment), saved_answers(assessment))
    when = (assessment.completed_at or assessment.updated_at).date()
    organisation = assessment.organisation_name
    since = _since(assessment, outcome)
    key = pdf.cache_key(outcome, organisation=organisation, when=when,
                        previous=since.before.outcome if since else None)
    cache = PdfCache(current_app.config["PDF_CACHE_DIR"])
    name = pdf.filename(organisation or "organisation", when)
    cached = cache.get(key)
    if cached is not None:
        return Report(cached, name, cached=True)
    html = pdf.report_html(outcome, organisation=organisation, when=when, since=since)
    data = render_isolated(html, lock_dir=Path(current_app.config["PDF_CACHE_DIR"]) / "locks",
                           slots=current_app.config["PDF_WORKERS"], timeout=current_app.config["PDF_TIMEOUT"])
    cache.put(key, data)
    return Report(data, name, cached=False)
