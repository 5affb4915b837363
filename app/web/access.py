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
from ..services import accounts
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


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths: never redirect to another host from a `next` parameter."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
