"""Team rounds: several people answer one assessment, each on their own, and their answers are combined.

A round is an assessment row (`is_round`) of an organisation; each respondent's answers are a
child assessment (a response, `round_id` set) answered through the ordinary questionnaire. The
round itself is never answered: when it closes, the combination of its finished responses
(assessments.team.combine, the domain's rule) is written into its answers and its outcome is
recorded like any finished assessment's, so that lists, comparisons, exports, PDFs and share links
need nothing new.

Everything that changes a round or decides whether it is open (joining, finishing a response,
saving a response, closing) first updates the round's row, which locks it until the commit: two
respondents finishing at once close the round once, a join never lands in a closed round, and a
save never changes a response after its round was combined. The lock is always taken before the
response's own row, so they cannot deadlock. Functions take plain ids and models; who may call
them is decided by app/web/access.py.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, update
from sqlalchemy.exc import IntegrityError

import assessments
from assessments import team
from assessments.answers import clean_text

from ..extensions import db
from ..models import AnswerRow, Assessment, RoundInvite, utcnow
from . import commit, plausible_token
from .assessments import AssessmentIncomplete, missing_required, questionnaire_of, saved_answers

SEATS = team.SEATS


class RoundClosed(Exception):
    """The round is closed: nothing about it changes any more."""


class NobodyFinished(Exception):
    """A round with no finished response has nothing to combine."""


class InviteUsed(Exception):
    """Someone already answers through this invitation; `response_id` is their response."""

    def __init__(self, response_id: int | None) -> None:
        super().__init__("invitation already used")
        self.response_id = response_id


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_assessment(**values: Any) -> Assessment:
    questionnaire = assessments.current()
    return Assessment(token=secrets.token_urlsafe(24), questionnaire_id=questionnaire.id,
                      questionnaire_version=questionnaire.version, **values)


def _clean_seat(seat: str) -> str:
    if seat not in SEATS:
        raise ValueError(f"unknown seat {seat!r}")
    return seat


def lock(round_id: int) -> bool:
    """Lock the round's row until the transaction ends (the first statement of every change to a
    round); return whether it is closed, as committed by whoever held the lock before."""
    db.session.execute(update(Assessment).where(Assessment.id == round_id).values(revision=Assessment.revision))
    closed = db.session.execute(db.select(Assessment.completed_at).where(Assessment.id == round_id)).scalar_one()
    return closed is not None


def get(assessment_id: int | None) -> Assessment | None:
    return db.session.get(Assessment, assessment_id) if assessment_id is not None else None


def round_of(response: Assessment) -> Assessment:
    found = db.session.get(Assessment, response.round_id)
    assert found is not None  # a response goes with its round (ON DELETE CASCADE)
    return found


def is_closed(round_id: int) -> bool:
    """Read afresh (not from the session's copy): another request may have closed it."""
    return db.session.execute(
        db.select(Assessment.completed_at).where(Assessment.id == round_id)).scalar_one() is not None


# -- starting and inviting ------------------------------------------------------------------


def start(*, organisation_id: int, organisation_name: str, user_id: int, start_key: str, seat: str,
          name: str = "", label: str = "") -> Assessment:
    """Start a round with the starter as its first respondent; return the starter's response.

    The same start_key gives the same round (a double submit starts one); a key of another
    organisation's assessment raises StartKeyTaken, as starting an assessment does."""
    from .assessments import StartKeyTaken, _by_start_key

    def existing() -> Assessment | None:
        found = _by_start_key(start_key, organisation_id)
        if found is None:
            return None
        if not found.is_round:
            raise StartKeyTaken(start_key)
        return db.session.execute(
            db.select(Assessment).where(Assessment.round_id == found.id)
            .order_by(Assessment.id).limit(1)).scalar_one()

    found = existing()
    if found is not None:
        return found
    first = assessments.current().sections[0].id
    round_ = _new_assessment(start_key=start_key, is_round=True, organisation_id=organisation_id,
                             organisation_name=organisation_name, created_by_id=user_id,
                             label=clean_text(label, max_length=120))
    db.session.add(round_)
    try:
        db.session.flush()
        response = _new_assessment(start_key=secrets.token_urlsafe(24), round_id=round_.id,
                                   organisation_id=organisation_id, organisation_name=organisation_name,
                                   created_by_id=user_id, seat=_clean_seat(seat),
                                   respondent_name=clean_text(name, max_length=120), last_section=first)
        db.session.add(response)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        found = existing()
        if found is None:
            raise StartKeyTaken(start_key) from None
        return found
    return response


def create_invite(*, round_id: int, created_by_id: int | None, email: str = "", name: str = "") -> str:
    """An invitation to answer the round; return the token of its link (shown once, never stored)."""
    token = secrets.token_urlsafe(24)
    try:
        if lock(round_id):
            raise RoundClosed()
        db.session.add(RoundInvite(round_id=round_id, token_hash=_hash(token), email=email,
                                   name=clean_text(name, max_length=120), created_by_id=created_by_id))
    except Exception:
        db.session.rollback()
        raise
    commit()
    return token


def find_invite(token: str) -> RoundInvite | None:
    """The invitation behind a link, used or not; None when unknown or revoked."""
    if not plausible_token(token):
        return None
    invite = db.session.execute(
        db.select(RoundInvite).filter_by(token_hash=_hash(token))).scalar_one_or_none()
    return invite if invite is not None and invite.revoked_at is None else None


def revoke_invite(*, round_id: int, invite_id: int) -> bool:
    """Revoke an invitation nobody has used yet; False when there is none such. Revoking the last
    unused invitation may leave every respondent finished: the round then closes, as it would have."""
    try:
        closed = lock(round_id)
        done = db.session.execute(
            update(RoundInvite).where(RoundInvite.id == invite_id, RoundInvite.round_id == round_id,
                                      RoundInvite.response_id.is_(None), RoundInvite.revoked_at.is_(None))
            .values(revoked_at=utcnow())).rowcount == 1
        if done and not closed:
            _close_if_all_done(round_id)
    except Exception:
        db.session.rollback()
        raise
    commit()
    return done


def join(*, invite: RoundInvite, join_key: str, seat: str, name: str = "", user_id: int | None = None,
         ) -> Assessment:
    """Create the one response of an invitation; raise InviteUsed when it already has one (a
    double-click, a second tab, another browser) and RoundClosed when the round is closed.

    `join_key`, the join form's own key, becomes the response's start_key: the view tells the same
    form sent twice (whose first click took the invitation) from somebody else's.

    The invitation is taken by a conditional UPDATE (... WHERE response_id IS NULL): of two
    requests at once, the second waits on the round's lock, then finds it taken and rolls back."""
    seat = _clean_seat(seat)
    try:
        if lock(invite.round_id):
            raise RoundClosed()
        round_ = db.session.get(Assessment, invite.round_id)
        assert round_ is not None
        response = _new_assessment(
            start_key=join_key, round_id=round_.id, organisation_id=round_.organisation_id,
            organisation_name=round_.organisation_name, created_by_id=user_id, seat=seat,
            respondent_name=clean_text(name, max_length=120) or invite.name,
            last_section=assessments.current().sections[0].id)
        db.session.add(response)
        db.session.flush()
        taken = db.session.execute(
            update(RoundInvite).where(RoundInvite.id == invite.id, RoundInvite.response_id.is_(None),
                                      RoundInvite.revoked_at.is_(None))
            .values(response_id=response.id)).rowcount
        if taken != 1:
            raise InviteUsed(None)
    except (InviteUsed, IntegrityError):
        db.session.rollback()
        raise InviteUsed(db.session.execute(
            db.select(RoundInvite.response_id).where(RoundInvite.id == invite.id)).scalar_one_or_none()) from None
    except Exception:
        db.session.rollback()
        raise
    commit()
    return response


# -- answering, finishing, closing ------------------------------------------------------------


def check_open(response: Assessment) -> None:
    """Called by a save of a response (app/services/assessments.save_section), first thing in its
    transaction: takes the round's lock, and refuses once the round is closed."""
    if lock(response.round_id):
        raise RoundClosed()


def finish(response: Assessment) -> bool:
    """Mark a respondent's answers finished (or raise AssessmentIncomplete naming where to go back);
    the round closes itself when nobody is left to answer. Returns whether it closed now."""
    questionnaire = questionnaire_of(response)
    closed_now = False
    try:
        if lock(response.round_id):
            raise RoundClosed()
        missing = missing_required(questionnaire, saved_answers(response))
        if missing:
            section = next(s for s in questionnaire.sections if any(q.id == missing[0] for q in s.questions))
            raise AssessmentIncomplete(section, missing)
        if response.completed_at is None:
            response.completed_at = utcnow()
            response.updated_at = utcnow()
            db.session.flush()
        closed_now = _close_if_all_done(response.round_id)
    except Exception:
        db.session.rollback()
        raise
    commit()
    return closed_now


def close(round_id: int) -> bool:
    """Close the round by hand: combine the finished responses (the unfinished count as not having
    answered). Returns False when it was closed already (closing twice does nothing); raises
    NobodyFinished when there is nothing to combine."""
    try:
        if lock(round_id):
            db.session.rollback()
            return False
        if not _finished(round_id):
            raise NobodyFinished()
        _combine(round_id)
    except Exception:
        db.session.rollback()
        raise
    commit()
    return True


def _finished(round_id: int) -> list[Assessment]:
    return list(db.session.execute(
        db.select(Assessment).where(Assessment.round_id == round_id, Assessment.completed_at.is_not(None))
        .order_by(Assessment.created_at, Assessment.id)).scalars())


def _close_if_all_done(round_id: int) -> bool:
    """Close the round (under its lock, held by the caller) when someone besides its starter answers,
    no invitation is unused and no response unfinished. A starter who finishes before inviting
    anyone does not close the round on themselves; a round of one is closed by hand."""
    unused = db.session.execute(db.select(func.count()).select_from(RoundInvite).where(
        RoundInvite.round_id == round_id, RoundInvite.response_id.is_(None),
        RoundInvite.revoked_at.is_(None))).scalar_one()
    unfinished = db.session.execute(db.select(func.count()).select_from(Assessment).where(
        Assessment.round_id == round_id, Assessment.completed_at.is_(None))).scalar_one()
    if unused or unfinished or len(_finished(round_id)) < 2:
        return False
    _combine(round_id)
    return True


def team_responses(round_id: int) -> list[team.Response]:
    """The finished responses as the domain combines them, in the order they were started."""
    from .history import answers_by_assessment

    finished = _finished(round_id)
    answers = answers_by_assessment(r.id for r in finished)
    return [team.Response(seat=r.seat or "other", answers=answers[r.id], name=r.respondent_name)
            for r in finished]


def _combine(round_id: int) -> None:
    """Write the combined answers into the round, mark it finished and record its outcome (in the
    caller's transaction, under the round's lock)."""
    from . import outcomes

    round_ = db.session.get(Assessment, round_id, populate_existing=True)
    assert round_ is not None
    combined = team.combine(questionnaire_of(round_), team_responses(round_id))
    db.session.execute(delete(AnswerRow).where(AnswerRow.assessment_id == round_id))
    if combined:
        db.session.execute(insert(AnswerRow), [
            {"assessment_id": round_id, "question_id": qid, "value": value} for qid, value in combined.items()])
    now = utcnow()
    round_.completed_at = now
    round_.updated_at = now
    round_.revision = round_.revision + 1
    db.session.flush()
    outcomes.record(round_)


# -- reading ---------------------------------------------------------------------------------

#: What the round page says of each respondent.
INVITED, ANSWERING, FINISHED = "invited", "answering", "finished"


@dataclass(frozen=True)
class Respondent:
    """One line of the round page: an unused invitation, or a response."""

    status: str
    seat: str | None = None
    name: str = ""
    response: Assessment | None = None
    invite: RoundInvite | None = None

    @property
    def seat_title(self) -> str:
        return SEATS.get(self.seat or "", "")


@dataclass(frozen=True)
class Status:
    round: Assessment
    respondents: list[Respondent] = field(default_factory=list)

    @property
    def responses(self) -> list[Assessment]:
        return [r.response for r in self.respondents if r.response is not None]

    @property
    def finished(self) -> int:
        return sum(r.status == FINISHED for r in self.respondents)

    @property
    def not_finished(self) -> int:
        """Invited or answering: they count as not having answered if the round is closed now."""
        return len(self.respondents) - self.finished

    @property
    def closed(self) -> bool:
        return self.round.completed_at is not None


def status(round_: Assessment) -> Status:
    """The round's respondents (responses in the order they were started, then unused invitations)."""
    responses = list(db.session.execute(
        db.select(Assessment).where(Assessment.round_id == round_.id)
        .order_by(Assessment.created_at, Assessment.id)).scalars())
    invites = list(db.session.execute(
        db.select(RoundInvite).where(RoundInvite.round_id == round_.id, RoundInvite.revoked_at.is_(None))
        .order_by(RoundInvite.created_at, RoundInvite.id)).scalars())
    by_response = {i.response_id: i for i in invites if i.response_id is not None}
    found = [Respondent(FINISHED if r.completed_at else ANSWERING, r.seat, r.respondent_name, r,
                        by_response.get(r.id)) for r in responses]
    found += [Respondent(INVITED, None, i.name or i.email, None, i) for i in invites if i.response_id is None]
    return Status(round_, found)


def respondent_counts(round_ids: list[int]) -> dict[int, int]:
    """How many people answer (or answered) each round, in one query: for lists."""
    if not round_ids:
        return {}
    rows = db.session.execute(db.select(Assessment.round_id, func.count()).where(
        Assessment.round_id.in_(round_ids)).group_by(Assessment.round_id))
    return {round_id: count for round_id, count in rows}


def answers_of(responses: list[Assessment]) -> dict[int, dict[str, Any]]:
    from .history import answers_by_assessment

    return answers_by_assessment(r.id for r in responses)
