"""Who may see what. Every view that names an assessment or organisation goes through here.

An assessment in an organisation is visible to its members only; anyone
else gets 404, the same answer as for an id that does not exist, so that
URLs reveal nothing. An assessment not yet claimed is reached by its
unguessable token alone.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort
from flask_login import current_user

from ..models import Assessment, Membership
from ..services import accounts, history
from ..services import assessments as service


def assessment_or_404(token: str) -> Assessment:
    assessment = service.get_by_token(token)
    if assessment is None:
        abort(404)
    if assessment.organisation_id is not None and accounts.membership(current_user, assessment.organisation_id) is None:
        abort(404)
    return assessment


def membership_or_404(organisation_id: int) -> Membership:
    found = accounts.membership(current_user, organisation_id)
    if found is None:
        abort(404)
    return found


def versions_or_404(organisation_id: int, assessment_ids: list[int]) -> tuple[str, list[history.Version]]:
    """The organisation's name and the assessments' versions, in the order asked.

    404 unless the signed-in user is a member of the organisation and every id
    is one of its assessments. The membership is checked inside the same query,
    which keeps the busiest organisation page to two queries in all.
    """
    if not current_user.is_authenticated:
        abort(404)
    name, found = history.versions_seen_by(current_user.id, organisation_id, assessment_ids)
    if len(found) != len(assessment_ids):
        abort(404)
    return name, found


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths: never redirect to another host from a `next` parameter."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
