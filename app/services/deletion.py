"""Deleting assessments and organisations, and everything that could show them afterwards.

Rows go by the database's ON DELETE CASCADE: an assessment takes its answers
and share links with it; an organisation its assessments, memberships and
invites. Stored PDFs go with them (`reports.forget`, in the same transaction),
and so do those of the next assessment, whose report quotes the deleted one.
Each deletion is logged with who asked. app/web/access.py has decided who may.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete

from ..extensions import db
from ..models import Assessment, Organisation
from . import commit, reports

log = logging.getLogger(__name__)


def _following(assessment: Assessment) -> Assessment | None:
    """The organisation's next finished assessment: its report compares itself with this one."""
    if assessment.organisation_id is None:
        return None
    return db.session.execute(
        db.select(Assessment).where(
            Assessment.organisation_id == assessment.organisation_id, Assessment.round_id.is_(None),
            Assessment.id != assessment.id, Assessment.completed_at.is_not(None),
            Assessment.created_at >= assessment.created_at)
        .order_by(Assessment.created_at, Assessment.id).limit(1)).scalar_one_or_none()


def delete_assessment(*, assessment: Assessment, by_user_id: int | None) -> None:
    """Delete the assessment, its answers, its share links and its PDFs (a round: its responses and
    invitations too, by cascade), and the PDFs of the next assessment, whose "what changed" section
    quotes this one (they are rendered again when asked for)."""
    assessment_id, organisation_id = assessment.id, assessment.organisation_id
    following = _following(assessment)
    reports.forget([assessment_id] + ([following.id] if following is not None else []))
    db.session.execute(delete(Assessment).where(Assessment.id == assessment_id))
    commit()
    log.info("Assessment %s (organisation %s) deleted by user %s", assessment_id, organisation_id, by_user_id)


def delete_organisation(*, organisation_id: int, by_user_id: int) -> None:
    """Delete the organisation with its assessments (answers, share links, PDFs), members and invites."""
    ids = list(db.session.execute(
        db.select(Assessment.id).where(Assessment.organisation_id == organisation_id)).scalars())
    reports.forget(ids)
    db.session.execute(delete(Assessment).where(Assessment.organisation_id == organisation_id))
    db.session.execute(delete(Organisation).where(Organisation.id == organisation_id))
    commit()
    log.info("Organisation %s deleted by user %s with %s assessments", organisation_id, by_user_id, len(ids))
