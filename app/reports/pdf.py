"""The PDF report: HTML from a dedicated template, rendered by WeasyPrint.

Nothing here needs Flask, so `groundwork report` renders without an app or a
database. The template is rendered by our own autoescaping Jinja environment;
every resource goes through SafeFetcher; the charts are the same SVG code as
the result page.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.metadata import version
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context

import assessments
from assessments.answers import answer_label, is_visible
from assessments.story import team_stakes
from assessments.wording import phrasebook as say

from ..paths import REPORT_ASSETS, project_dir
from . import charts, summary

if TYPE_CHECKING:
    from assessments.comparison import Comparison
    from assessments.schema import Roles

    from .fetcher import SafeFetcher


@dataclass(frozen=True)
class Since:
    """The previous assessment a report is compared with: how people name it, and what moved."""

    label: str
    started: date
    comparison: Comparison


@pass_context
def role_title(context: Context, role_id: str) -> str:
    """A template filter: the title of a role id ("data_engineer" -> "Data engineer"), in the rules the
    page shows (`rules_roles` in the template's context), else roles.yaml's."""
    roles = context.get("rules_roles") or assessments.roles()
    return roles.get(role_id).title


#: Filters the web pages and the PDF share: role titles, and counts in words that agree ("two blockers").
FILTERS = {"role_title": role_title, "number": say.number, "count": say.count, "a": say.a,
           "team_stakes": team_stakes}

_env = Environment(loader=FileSystemLoader(str(project_dir("templates"))), autoescape=select_autoescape(default=True),
                   trim_blocks=True, lstrip_blocks=True)
_env.filters.update(FILTERS)


def report_html(outcome: assessments.Outcome, *, organisation: str, when: date,
                since: Since | None = None, roles: Roles | None = None, who: str = "seats") -> str:
    """The report's HTML. `since` compares with the organisation's previous assessment, when there is one;
    `roles` are the rules the outcome was worked out under (default: roles.yaml's). For a team's answers,
    `who` says how the agreement page names respondents: by "seats", or by "counts" alone (a share link)."""
    questionnaire = outcome.questionnaire
    appendix = [
        (section, [(q, answer_label(q, outcome.answers.get(q.id)))
                   for q in section.questions if is_visible(questionnaire, q, outcome.answers)])
        for section in questionnaire.sections
    ]
    actions = summary.first_actions(outcome)
    return _env.get_template("report/report.html").render(
        actions=actions,
        action_of=summary.action_numbers(actions),
        find_out=summary.to_find_out(outcome),
        steps_in_actions=summary.plan_steps_in_actions(outcome, actions),
        outcome=outcome,
        scored=outcome.scored,
        rec=outcome.recommendation,
        organisation=organisation.strip() or "Your organisation",
        when=when,
        pyramid=charts.pyramid(outcome.scored),
        bars=charts.level_scores(outcome.scored),
        appendix=appendix,
        since=since,
        rules_roles=roles,
        team_who=who,
    )


def render_pdf(html: str, fetcher: SafeFetcher | None = None) -> bytes:
    """HTML to PDF bytes. Imported lazily: WeasyPrint is heavy and only PDF paths need it."""
    from weasyprint import HTML

    from .fetcher import SafeFetcher

    return HTML(string=html, base_url=None, url_fetcher=fetcher or SafeFetcher()).write_pdf()


@cache
def _renderer_fingerprint() -> bytes:
    """What else decides the PDF's bytes besides the HTML: the packaged assets and WeasyPrint's version."""
    digest = hashlib.sha256(version("weasyprint").encode())
    for path in sorted(REPORT_ASSETS.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


def cache_key(html: str) -> str:
    """A hash of exactly what is rendered: any change to the answers, the wording, the templates,
    roles.yaml or the scoring changes the HTML, so a stale PDF can never be served."""
    return hashlib.sha256(_renderer_fingerprint() + html.encode()).hexdigest()


def filename(organisation: str, when: date) -> str:
    """groundwork-<organisation>-<date>.pdf, ASCII only: never taken from the request."""
    ascii_name = unicodedata.normalize("NFKD", organisation).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "organisation"
    return f"groundwork-{slug}-{when.isoformat()}.pdf"


