"""The PDF report: HTML from a dedicated template, rendered by WeasyPrint.

Nothing here needs Flask, so `groundwork report` renders without an app or a
database. The template is rendered by our own autoescaping Jinja environment;
every resource goes through SafeFetcher; the charts are the same SVG code as
the result page.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, select_autoescape

import assessments
from assessments.answers import answer_label, is_visible

from ..paths import project_dir
from . import charts

if TYPE_CHECKING:
    from ..services.history import Comparison
    from .fetcher import SafeFetcher

#: Part of the cache key: bump it when the template or stylesheet changes.
REPORT_VERSION = 1


_env = Environment(loader=FileSystemLoader(str(project_dir("templates"))), autoescape=select_autoescape(default=True),
                   trim_blocks=True, lstrip_blocks=True)


def report_html(outcome: assessments.Outcome, *, organisation: str, when: date,
                since: Comparison | None = None) -> str:
    """The report's HTML. `since` compares with the organisation's previous assessment, when there is one."""
    questionnaire = outcome.questionnaire
    appendix = [
        (section, [(q, answer_label(q, outcome.answers.get(q.id)))
                   for q in section.questions if is_visible(questionnaire, q, outcome.answers)])
        for section in questionnaire.sections
    ]
    return _env.get_template("report/report.html").render(
        outcome=outcome,
        scored=outcome.scored,
        rec=outcome.recommendation,
        organisation=organisation.strip() or "Your organisation",
        when=when,
        pyramid=charts.pyramid(outcome.scored),
        bars=charts.level_scores(outcome.scored),
        appendix=appendix,
        since=since,
    )


def render_pdf(html: str, fetcher: SafeFetcher | None = None) -> bytes:
    """HTML to PDF bytes. Imported lazily: WeasyPrint is heavy and only PDF paths need it."""
    from weasyprint import HTML

    from .fetcher import SafeFetcher

    return HTML(string=html, base_url=None, url_fetcher=fetcher or SafeFetcher()).write_pdf()


def cache_key(outcome: assessments.Outcome, *, organisation: str, when: date,
              previous: assessments.Outcome | None = None) -> str:
    """Same content, same key: any change to the answers, name, date or previous assessment gives a new file."""
    payload = json.dumps({
        "previous": dict(previous.answers) if previous else None,
        "report": REPORT_VERSION,
        "questionnaire": [outcome.questionnaire.id, outcome.questionnaire.version],
        "answers": dict(outcome.answers),
        "organisation": organisation,
        "date": when.isoformat(),
    }, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def filename(organisation: str, when: date) -> str:
    """groundwork-<organisation>-<date>.pdf, ASCII only: never taken from the request."""
    ascii_name = unicodedata.normalize("NFKD", organisation).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "organisation"
    return f"groundwork-{slug}-{when.isoformat()}.pdf"


