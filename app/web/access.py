"""Who may see and do what. Every view that names an assessment, organisation, invite or share goes here.

- An assessment in an organisation is visible to its members only; an
  assessment not yet claimed is reached by its unguessable token alone.
- Members see, answer, label and compare, and may leave; owners also invite
  and remove people, create or revoke share links (an owner decides what
  leaves the organisation), and delete assessments and the organisation.
- A share link shows its one finished assessment, read-only, to anyone.
- A team round is an assessment of its organisation (members only, like any other). Each
  respondent's answers (a response) are reached by the response's own token alone: that private
  link is the respondent's capability, and a respondent need not have an account. A response is
  never a result: every route that takes an assessment's token 404s for one.

Anyone else gets 404, the same answer as for an id that does not exist, so
that URLs reveal nothing. Services take plain ids and hold no policy.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, redirect, url_for
from flask_login import current_user

from ..models import Assessment, Invite, Membership, RoundInvite
from ..services import accounts, history, rounds, sharing
from ..services import assessments as service

OWNER = "owner"


def user_id() -> int | None:
    """The signed-in user's id, or None."""
    return current_user.id if current_user.is_authenticated else None


def membership_or_404(organisation_id: int) -> Membership:
    uid = user_id()
    found = accounts.membership(uid, organisation_id) if uid is not None else None
    if found is None:
        abort(404)
    return found


def owner_or_404(organisation_id: int) -> Membership:
    found = membership_or_404(organisation_id)
    if found.role != OWNER:
        abort(404)
    return found


def assessment_or_404(token: str) -> Assessment:
    """An assessment or a round the person may see; never a respondent's answers to a round."""
    assessment = service.get_by_token(token)
    if assessment is None or assessment.round_id is not None:
        abort(404)
    if assessment.organisation_id is not None:
        membership_or_404(assessment.organisation_id)
    return assessment


def answerable_or_404(token: str) -> Assessment:
    """What the questionnaire's pages answer: an assessment as assessment_or_404 decides, or a
    response by its token alone. A round is answered only through its responses: its token leads
    (a member) to the round's page."""
    assessment = service.get_by_token(token)
    if assessment is not None and assessment.round_id is not None:
        return assessment
    assessment = assessment_or_404(token)
    if assessment.is_round:
        abort(redirect(url_for("rounds.show", round_token=token)))
    return assessment


def round_or_404(token: str) -> Assessment:
    """A round of an organisation the person is a member of."""
    assessment = assessment_or_404(token)
    if not assessment.is_round:
        abort(404)
    return assessment


def response_or_404(token: str) -> Assessment:
    """A respondent's answers to a round, by their private link."""
    assessment = service.get_by_token(token)
    if assessment is None or assessment.round_id is None:
        abort(404)
    return assessment


def round_invite_or_404(token: str) -> RoundInvite:
    """An invitation to answer a round, used or not (the view says which); revoked or unknown: 404."""
    invite = rounds.find_invite(token)
    if invite is None:
        abort(404)
    return invite


def is_member(organisation_id: int | None) -> bool:
    uid = user_id()
    return (organisation_id is not None and uid is not None
            and accounts.membership(uid, organisation_id) is not None)


def unclaimed(token: str | None) -> Assessment | None:
    """The assessment a token names when nobody has filed it yet (whoever holds its token may), else None.

    For a view that must carry on without it (sign-up): never aborts."""
    assessment = service.get_by_token(token) if token else None
    return assessment if assessment is not None and assessment.organisation_id is None else None


def may_manage_sharing(assessment: Assessment) -> bool:
    """Owners of its organisation; for an assessment nobody has claimed, whoever holds its token."""
    if assessment.organisation_id is None:
        return True
    uid = user_id()
    found = accounts.membership(uid, assessment.organisation_id) if uid is not None else None
    return found is not None and found.role == OWNER


def sharing_or_404(token: str) -> Assessment:
    """The assessment, if the person may create and revoke its share links."""
    assessment = assessment_or_404(token)
    if not may_manage_sharing(assessment):
        abort(404)
    return assessment


#: Who may delete an assessment is who may share it: its organisation's owners, or the holder of the token
#: of an assessment nobody has claimed.
deletable_or_404 = sharing_or_404


def shared_or_404(share_token: str) -> Assessment:
    assessment = sharing.shared_assessment(share_token)
    if assessment is None:
        abort(404)
    return assessment


def entries_or_404(organisation_id: int, assessment_ids: list[int]) -> tuple[Membership, list[Assessment]]:
    """The member's organisation and those assessments of it, in the order asked; 404 if any is not its."""
    member = membership_or_404(organisation_id)
    found = history.in_organisation(organisation_id, assessment_ids)
    if len(found) != len(assessment_ids):
        abort(404)
    return member, found


def usable_invite(token: str) -> Invite | None:
    """The invite behind a link if it can still be accepted, else None (the view says why not)."""
    return accounts.find_invite(token)


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths: never redirect to another host from a `next` parameter."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
