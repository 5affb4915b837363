"""Read-only share links to one finished assessment.

A link shows that assessment's result and PDF and nothing else of the
organisation: not its other assessments, not what changed since the previous
one. Owners create and revoke links (app/web/access.py checks that).
"""

from __future__ import annotations

import secrets

from sqlalchemy import update

from ..extensions import db
from ..models import Assessment, ShareLink, utcnow
from . import commit, plausible_token


def create_share(*, assessment_id: int) -> ShareLink:
    link = ShareLink(assessment_id=assessment_id, token=secrets.token_urlsafe(24))
    db.session.add(link)
    commit()
    return link


def shares_of(assessment_id: int) -> list[ShareLink]:
    return list(db.session.execute(
        db.select(ShareLink).filter_by(assessment_id=assessment_id, revoked_at=None)
        .order_by(ShareLink.created_at)).scalars())


def revoke_share(*, assessment_id: int, share_id: int) -> bool:
    link = db.session.execute(
        db.select(ShareLink).filter_by(id=share_id, assessment_id=assessment_id, revoked_at=None)
    ).scalar_one_or_none()
    if link is None:
        return False
    link.revoked_at = utcnow()
    commit()
    return True


def revoke_all_shares(assessment_id: int) -> int:
    """Revoke every live link of the assessment, within the caller's transaction; returns how many."""
    return db.session.execute(update(ShareLink).where(
        ShareLink.assessment_id == assessment_id, ShareLink.revoked_at.is_(None)).values(revoked_at=utcnow())).rowcount


def shared_assessment(token: str) -> Assessment | None:
    """The finished assessment a live share link points to, or None."""
    if not plausible_token(token):
        return None
    return db.session.execute(
        db.select(Assessment).join(ShareLink, ShareLink.assessment_id == Assessment.id)
        .where(ShareLink.token == token, ShareLink.revoked_at.is_(None), Assessment.completed_at.is_not(None))
    ).scalar_one_or_none()
