"""Deleting assessments and organisations, and everything that could show them afterwards.

Rows go by the database's ON DELETE CASCADE: an assessment takes its answers
and share links with it; an organisation its assessments, memberships and
invites. Rendered PDFs live outside the database, so they are removed by
`forget_reports`, the one place that knows where reports are kept. Each
deletion is logged with who asked. app/web/access.py has decided who may.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from flask import current_app
from sqlalchemy import delete

from ..extensions import db
from ..models import Assessment, Organisation
from . import commit

log = logging.getLogger(__name__)


def _report_keys(assessment: Assessment) -> set[str]:
    """Cache keys of the reports of this assessment as they would be rendered now (with and without history)."""
    from ..reports import pdf
    from .reports import report_html

    if not assessment.is_complete:
        return set()
    return {pdf.cache_key(report_html(assessment, with_history=h)) for h in (True, False)}


def _following(assessment: Assessment) -> Assessment | None:
    """The organisation's next finished assessment: its report compares itself with this one."""
    if assessment.organisation_id is None:
        return None
    return db.session.execute(
        db.select(Assessment).where(
            Assessment.organisation_id == assessment.organisation_id, Assessment.id != assessment.id,
            Assessment.completed_at.is_not(None), Assessment.created_at >= assessment.created_at)
        .order_by(Assessment.created_at, Assessment.id).limit(1)).scalar_one_or_none()


def cached_report_keys(assessments: Iterable[Assessment], *, with_following: bool = False) -> set[str]:
    """Everything in the PDF cache that shows these assessments. Read before the rows are deleted."""
    keys: set[str] = set()
    for assessment in assessments:
        keys |= _report_keys(assessment)
        if with_following and (following := _following(assessment)) is not None:
            keys |= _report_keys(following)
    return keys


def forget_reports(keys: Iterable[str]) -> int:
    """Remove these reports from the PDF cache; returns how many files went.

    The one call deletion makes into the PDF machinery: when reports move elsewhere (a job queue, a store),
    re-point this function and `cached_report_keys`, nothing else."""
    directory = Path(current_app.config["PDF_CACHE_DIR"])
    removed = 0
    for key in keys:
        if not key.isalnum():
            continue
        for suffix in (".pdf", ".failed"):
            path = directory / f"{key}{suffix}"
            try:
                path.unlink()
                removed += 1
            except FileNotFoundError:
                pass
            except OSError as error:  # the rows are gone already; say so rather than fail the request
                log.error("Could not remove cached report %s: %s", path, error)
    return removed


def delete_assessment(*, assessment: Assessment, by_user_id: int | None) -> None:
    """Delete the assessment, its answers, its share links and its cached reports."""
    keys = cached_report_keys([assessment], with_following=True)
    assessment_id, organisation_id = assessment.id, assessment.organisation_id
    db.session.execute(delete(Assessment).where(Assessment.id == assessment_id))
    commit()
    removed = forget_reports(keys)
    log.info("Assessment %s (organisation %s) deleted by user %s; %s cached report files removed",
             assessment_id, organisation_id, by_user_id, removed)


def delete_organisation(*, organisation_id: int, by_user_id: int) -> None:
    """Delete the organisation with its assessments (answers, share links, reports), members and invites."""
    assessments = list(db.session.execute(
        db.select(Assessment).where(Assessment.organisation_id == organisation_id)).scalars())
    keys = cached_report_keys(assessments)
    db.session.execute(delete(Assessment).where(Assessment.organisation_id == organisation_id))
    db.session.execute(delete(Organisation).where(Organisation.id == organisation_id))
    commit()
    removed = forget_reports(keys)
    log.info("Organisation %s deleted by user %s with %s assessments; %s cached report files removed",
             organisation_id, by_user_id, len(assessments), removed)
