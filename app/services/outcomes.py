"""What an assessment said when it was finished, kept, and shown as it was.

When an assessment is finished, and whenever a finished assessment is saved again, its
outcome (Outcome.to_dict, the JSON of `groundwork score --json`, stored whole) is recorded with
the rules it was worked out under (app/services/rules.py). Assessments finished before records
existed get theirs the first time they are shown or listed.

- Lists (the history, the timeline, the exports) read the records' summaries and never score.
- The result page, the PDF and the advert evaluate the answers again under the recorded rules
  (their texts are kept by checksum), which gives back what was said, with all its detail.
  When today's rules would say something different, the page says so and can show today's.
- A comparison of two assessments recorded under different rules compares both on today's
  rules, and says so.

Only the keys stage, levels, confidence and recommendation.first_hire / runner_up of the stored
outcome are read (for the summary); the rest is kept as it is, whatever shape it grows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.exc import IntegrityError

import assessments
from assessments.comparison import Comparison, compare

from ..extensions import db
from ..models import Assessment, RecordedOutcome, utcnow
from . import commit, rules
from .assessments import questionnaire_of, saved_answers

#: Keys of the recommendation that only the borderline search fills (lists skip that search).
BORDERLINE_KEYS = ("borderline", "would_change")


def _plain(outcome: assessments.Outcome) -> dict[str, Any]:
    """The outcome as JSON gives it back (tuples become lists), so that stored and fresh compare equal."""
    return json.loads(json.dumps(outcome.to_dict(), ensure_ascii=False))


def _comparable(stored: Mapping[str, Any], *, borderline: bool) -> Mapping[str, Any]:
    if borderline or not isinstance(stored.get("recommendation"), dict):
        return stored
    return {**stored, "recommendation": {k: v for k, v in stored["recommendation"].items()
                                         if k not in BORDERLINE_KEYS}}


def summarise(stored: Mapping[str, Any], roles: assessments.schema.Roles) -> dict[str, Any]:
    """What a list shows of an outcome, with role titles as the rules of the time named them."""
    def title(role_id: str | None) -> str | None:
        if role_id is None:
            return None
        return next((r.title for r in roles.roles if r.id == role_id), role_id)

    stage, confidence = stored.get("stage") or {}, stored.get("confidence") or {}
    recommendation = stored.get("recommendation") or {}
    return {
        "stage": stage.get("index"),
        "stage_title": stage.get("title"),
        "confidence": confidence.get("value"),
        "confidence_label": confidence.get("label"),
        "first_hire": recommendation.get("first_hire"),
        "first_hire_title": title(recommendation.get("first_hire")),
        "runner_up": recommendation.get("runner_up"),
        "levels": [{"id": lv.get("id"), "title": lv.get("title"), "score": lv.get("score")}
                   for lv in stored.get("levels") or []],
    }


def _revision(assessment_id: int) -> int:
    return db.session.execute(db.select(Assessment.revision).where(Assessment.id == assessment_id)).scalar_one()


#: What an outcome is worked out from: one set of answers, or a team's responses (assessments.team).
Source = Mapping[str, Any] | tuple[assessments.Response, ...]


def source_of(assessment: Assessment) -> Source:
    """The assessment's answers; for a closed team round answered by several people, each one's finished
    answers, which assessments.team combines (a round of one is that one's answers, as saved)."""
    if assessment.is_round and assessment.is_complete:
        from .rounds import team_responses

        responses = team_responses(assessment.id)
        if len(responses) > 1:
            return tuple(responses)
    return saved_answers(assessment)


def record(assessment: Assessment, answers: Mapping[str, Any] | None = None) -> RecordedOutcome:
    """Work out the outcome under today's rules and record it, in the caller's transaction."""
    now = rules.today(questionnaire_of(assessment))
    source = source_of(assessment) if answers is None else answers
    stored = _plain(_evaluate(source, now, borderline=True))
    rules.keep(now)
    values = {
        "revision": _revision(assessment.id), "recorded_at": utcnow(), "questionnaire_id": now.questionnaire.id,
        "questionnaire_version": now.questionnaire.version, "questionnaire_checksum": now.questionnaire_checksum,
        "roles_checksum": now.roles_checksum, "sectors_checksum": now.sectors_checksum,
        "code_checksum": rules.code_checksum(), "rules": now.fingerprint,
        "outcome": stored, "summary": summarise(stored, now.roles),
    }
    found = db.session.get(RecordedOutcome, assessment.id)
    if found is None:
        try:
            with db.session.begin_nested():
                found = RecordedOutcome(assessment_id=assessment.id, **values)
                db.session.add(found)
            return found
        except IntegrityError:  # recorded by another request at the same moment: ours replaces it
            found = db.session.get(RecordedOutcome, assessment.id, populate_existing=True)
            assert found is not None
    for name, value in values.items():
        setattr(found, name, value)
    return found


def up_to_date(assessment: Assessment) -> tuple[RecordedOutcome, bool]:
    """The assessment's record, recorded now (in the caller's transaction) if it has none or its
    answers changed since; and whether it was."""
    found = db.session.get(RecordedOutcome, assessment.id)
    if found is None or found.revision != _revision(assessment.id):
        return record(assessment), True
    return found, False


def current_record(assessment: Assessment) -> RecordedOutcome:
    """The assessment's record; one recorded on this first view is committed."""
    found, made = up_to_date(assessment)
    if made:
        commit()
    return found


@dataclass(frozen=True)
class Listed:
    """An assessment as a list shows it: its record's summary (None while it is a draft)."""

    assessment: Assessment
    summary: dict[str, Any] | None
    #: The fingerprint of the rules it was recorded under.
    rules: str | None = None

    @property
    def name(self) -> str:
        """How people tell assessments apart: the label, or the date it was started."""
        return self.assessment.label or self.assessment.created_at.strftime("%d %b %Y")


def listed(rows: Iterable[Assessment]) -> list[Listed]:
    """Summaries of finished assessments, in one query; those never recorded (or changed since) are
    recorded first, once."""
    rows = list(rows)
    ids = [a.id for a in rows if a.is_complete]
    found: dict[int, tuple[int, str, dict[str, Any]]] = {}
    if ids:
        found = {i: (rev, fp, summary) for i, rev, fp, summary in db.session.execute(
            db.select(RecordedOutcome.assessment_id, RecordedOutcome.revision, RecordedOutcome.rules,
                      RecordedOutcome.summary).where(RecordedOutcome.assessment_id.in_(ids)))}
    stale = [a for a in rows if a.is_complete and (a.id not in found or found[a.id][0] != a.revision)]
    if stale:
        for assessment in stale:
            made = record(assessment)
            found[assessment.id] = (made.revision, made.rules, made.summary)
        commit()
    return [Listed(a, found[a.id][2], found[a.id][1]) if a.id in found else Listed(a, None) for a in rows]


@dataclass(frozen=True)
class Shown:
    """What the result page, the PDF and the advert show of one assessment."""

    outcome: assessments.Outcome
    #: The rules `outcome` was worked out under (role titles in templates come from them).
    rules: rules.Rules
    #: The outcome as recorded when the assessment was finished, and its summary.
    recorded: Mapping[str, Any]
    said: Mapping[str, Any]
    #: Today's outcome, when today's rules say something different from what was recorded.
    today: assessments.Outcome | None = None
    #: Shown with today's rules, at the person's request.
    with_today: bool = False
    #: False when evaluating again under the recorded rules no longer gives what was recorded
    #: (the scoring code changed since, or the rules' texts were not kept): the page then says
    #: what was recorded.
    reproduced: bool = True


def _evaluate(source: Source, using: rules.Rules, *, borderline: bool) -> assessments.Outcome:
    if isinstance(source, tuple):
        from assessments.team import evaluate_team

        return evaluate_team(using.questionnaire, source, borderline=borderline, roles=using.roles,
                             sectors=using.sectors)
    return assessments.evaluate(using.questionnaire, source, borderline=borderline, roles=using.roles,
                                sectors=using.sectors)


def _kept(found: RecordedOutcome) -> rules.Rules | None:
    return rules.recorded(found.questionnaire_checksum, found.roles_checksum, found.sectors_checksum)


def shown(assessment: Assessment, *, with_today: bool = False, borderline: bool = True) -> Shown:
    """The assessment as it was finished (or, with_today, under today's rules), and whether today's
    rules would say something different."""
    found = current_record(assessment)
    answers = source_of(assessment)
    now = rules.today(questionnaire_of(assessment))
    if found.rules == now.fingerprint:
        return Shown(_evaluate(answers, now, borderline=borderline), now, found.outcome, found.summary)
    kept = _kept(found)
    then = _evaluate(answers, kept, borderline=borderline) if kept is not None else None
    today = _evaluate(answers, now, borderline=borderline)
    stored = _comparable(found.outcome, borderline=borderline)
    differs = _comparable(_plain(today), borderline=borderline) != stored
    reproduced = then is not None and _comparable(_plain(then), borderline=borderline) == stored
    if with_today or then is None or kept is None:
        return Shown(today, now, found.outcome, found.summary, today if differs else None, with_today, reproduced)
    return Shown(then, kept, found.outcome, found.summary, today if differs else None, False, reproduced)


@dataclass(frozen=True)
class Compared:
    comparison: Comparison
    #: True when the two were recorded under different rules and are both shown on today's.
    on_today: bool


def _same_rules(first: RecordedOutcome, second: RecordedOutcome) -> bool:
    """Recorded under the same role and sector rules and scoring code (each on its own questionnaire
    version, which the comparison page explains on its own)."""
    return ((first.roles_checksum, first.sectors_checksum, first.code_checksum)
            == (second.roles_checksum, second.sectors_checksum, second.code_checksum))


def compare_two(before: Assessment, after: Assessment) -> Compared:
    """Like with like: both under the rules they were recorded under when those are the same, else
    both on today's rules (and the page says so)."""
    first, second = current_record(before), current_record(after)
    kept = (_kept(first), _kept(second)) if _same_rules(first, second) else (None, None)
    if kept[0] is not None and kept[1] is not None:
        using, on_today = (kept[0], kept[1]), False
    else:
        using = (rules.today(questionnaire_of(before)), rules.today(questionnaire_of(after)))
        on_today = not _same_rules(first, second)
    return Compared(compare(_evaluate(source_of(before), using[0], borderline=False),
                            _evaluate(source_of(after), using[1], borderline=False)), on_today)


def outcome_under(assessment: Assessment, like: rules.Rules) -> assessments.Outcome:
    """The assessment evaluated under the role and sector rules of `like` (with its own questionnaire
    version as kept when it was recorded), without the borderline search: for comparisons."""
    found = current_record(assessment)
    kept = _kept(found)
    questionnaire = kept.questionnaire if kept is not None else questionnaire_of(assessment)
    return _evaluate(source_of(assessment), replace(like, questionnaire=questionnaire), borderline=False)
