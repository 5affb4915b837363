"""A scored assessment to a hiring recommendation, with its reasons.

The rule is the pyramid's: hire the person who builds the lowest level that
is not in place yet. Roles say in roles.yaml which levels they build
(`builds`), which level must be in place before they pay off (`needs`) and who
usually follows them (`next`), so the mapping is data, not code. The
judgement (assessments.judgement) decides, in ordered steps, each conclusion
citing the known answers it rests on; the wording (assessments.wording) says
it, in the organisation's own words or neutral ones. This module assembles
the two into the `Recommendation` every page reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from .judgement import decide
from .judgement.conditions import available, known, models_in_use
from .judgement.plan import interview, plan, screen_for
from .judgement.steps import Note
from .schema import Role, Roles, Sectors
from .scoring import Scored
from .story import stage_phrase
from .wording import Words
from .wording import phrasebook as say

#: A sentence with the known answers it rests on (and the roles it argues against).
Reason = Note


@dataclass(frozen=True, slots=True)
class Premature:
    role: Role
    reason: Reason


@dataclass(frozen=True, slots=True)
class Change:
    """Answering `question` with `option` instead, all else equal, makes `first_hire` the first hire."""

    question_id: str
    question: str
    answer: str
    answer_label: str
    first_hire: str | None
    first_hire_title: str

    def to_dict(self) -> dict[str, object]:
        return {"question_id": self.question_id, "answer": self.answer, "first_hire": self.first_hire}


@dataclass(frozen=True, slots=True)
class Recommendation:
    first_hire: Role | None
    not_yet: bool
    generalist: bool
    runner_up: Role | None
    runner_up_reason: str
    premature: tuple[Premature, ...]
    reasons: tuple[Reason, ...]
    first_90_days: tuple[str, ...]
    screen_for: tuple[str, ...]
    interview_questions: tuple[str, ...]
    expectations: tuple[str, ...] = field(default=())
    #: Role ids already in post.
    in_post: tuple[str, ...] = ()
    #: The judgement (roles.yaml) that chose the hire, or None for the pyramid's rule.
    decided_by: str | None = None
    #: When to make the hire, if not now (people in post are building what it needs).
    timing: str = ""
    borderline: bool = False
    #: One changed answer each that would change the first hire: (question id, option id, role id or None).
    would_change: tuple[Change, ...] = ()
    #: The first months step by step, each with the answers it follows from (first_90_days: the texts).
    plan: tuple[Reason, ...] = ()
    #: What the law asks of this sector's data, said beside the privacy blocker.
    sector_legal: str = ""
    #: Questions nobody could answer that the advice turns on: to find out before acting, never facts.
    find_out: tuple[Reason, ...] = ()
    #: Too little is known to say this firmly: the headline says so and the reasons lead with what to find out.
    provisional: bool = False
    #: The people in post already do what leadership wants: no new specialist yet (first_hire is None).
    strengthen: bool = False
    #: One sentence on leadership's expectations when no note above applies.
    expectations_fit: str = ""
    #: When strengthening: the role in post to add another of (reporting is the bottleneck), else None.
    another: Role | None = None

    @property
    def headline(self) -> str:
        return say.headline(first=self.first_hire, not_yet=self.not_yet, strengthen=self.strengthen,
                            timing=self.timing, in_post=bool(self.in_post), generalist=self.generalist,
                            provisional=self.provisional, another=self.another)

    def sentences(self) -> Iterator[Reason]:
        """Every sentence this recommendation says, with what it rests on: for checks over all outputs."""
        yield from self.reasons
        yield from self.plan
        yield from self.find_out
        yield from (p.reason for p in self.premature)
        for text in (self.runner_up_reason, *self.expectations, self.expectations_fit, *self.screen_for,
                     *self.interview_questions):
            if text:
                yield Reason(text)


def _not_yet_in_place(scored: Scored, level_id: str | None) -> str:
    """The title of the level a role needs, when that level is not in place (counted in the stage) yet."""
    if level_id is None:
        return ""
    level = scored.level(level_id)
    return "" if level.reached else level.level.title


def recommend(scored: Scored, roles: Roles, *, explore: bool = True, sectors: Sectors | None = None) -> Recommendation:
    """The first hire and everything said about it. `explore` runs the borderline search (re-scoring
    with one answer changed at a time); it is off inside that search."""
    draft = decide(scored, roles)
    sector = sectors.of(scored.answers.get("sector")) if sectors else None
    draft.sector_legal = sector.legal if sector and known(scored, "sector") else ""
    words = Words.of(scored.answers)
    runner = _runner_up(scored, roles, draft.first, draft.runner)
    premature = tuple(_premature(scored, roles, draft.first, runner))
    steps = plan(draft, words)
    first = draft.first
    expectations = _expectations(scored)
    recommendation = Recommendation(
        first_hire=first,
        not_yet=draft.not_yet,
        generalist=draft.generalist,
        runner_up=runner,
        runner_up_reason=say.runner_up(first, runner, strengthen=draft.strengthen,
                                       once=_not_yet_in_place(scored, runner.needs)) if runner else "",
        premature=premature,
        reasons=tuple(draft.notes),
        first_90_days=tuple(step.text for step in steps),
        plan=steps,
        screen_for=screen_for(scored, first, words) if first else (),
        interview_questions=interview(scored, first, words) if first else (),
        sector_legal=draft.sector_legal,
        expectations=expectations,
        expectations_fit="" if expectations else (
            say.EXPECTATIONS_FIT if known(scored, "ml_expectation") else say.EXPECTATIONS_UNKNOWN),
        in_post=tuple(sorted(scored.in_post)),
        decided_by=draft.decided_by,
        timing=draft.timing,
        find_out=tuple(dict.fromkeys(draft.find_out)),
        provisional=draft.provisional,
        strengthen=draft.strengthen,
        another=draft.another,
    )
    if explore:
        from .borderline import would_change

        changes = would_change(scored, roles, recommendation)
        recommendation = replace(recommendation, would_change=changes, borderline=bool(changes))
    return recommendation


def _runner_up(scored: Scored, roles: Roles, first: Role | None, preferred: Role | None) -> Role | None:
    """The next hire after the first: never the first, never a role in post, and never one that needs
    more of the pyramid than any role that is premature now."""
    questionnaire = scored.questionnaire

    def needs(role: Role) -> int:
        return 0 if not role.needs or available(scored, role) else questionnaire.level_index(role.needs)

    first_id = first.id if first else None
    waiting = [needs(r) for r in roles.roles
               if r.id != first_id and r.id not in scored.in_post and needs(r) > scored.likely_stage]
    limit = min(waiting, default=len(questionnaire.levels))
    candidates = [preferred] if preferred else []
    step = roles.get(first.next) if first else roles.roles[0]
    for _ in roles.roles:
        candidates.append(step)
        step = roles.get(step.next)
    candidates += list(roles.roles)
    for role in candidates:
        if role is None or role.id == first_id or role.id in scored.in_post:
            continue
        if needs(role) > limit:
            continue
        return role
    return None


def _premature(scored: Scored, roles: Roles, first: Role | None, runner: Role | None) -> Iterator[Premature]:
    chosen = {r.id for r in (first, runner) if r is not None}
    for role in roles.roles:
        if role.id in chosen or role.needs is None or role.id in scored.in_post or available(scored, role):
            continue
        needed = scored.questionnaire.level_index(role.needs)
        if needed <= scored.likely_stage:
            continue
        gap = scored.likely_gap
        assert gap is not None  # a level above the stage is needed, so one does not hold
        text = say.premature(scored.levels[needed - 1], stage_phrase(scored), role.premature_because)
        yield Premature(role, Reason(text, gap.weak[:1], frozenset({role.id})))


def _expectations(scored: Scored) -> tuple[str, ...]:
    """Say plainly when leadership's hopes outrun the foundations."""
    notes: list[str] = []
    questionnaire = scored.questionnaire
    learn = next((i for i, lv in enumerate(questionnaire.levels, 1) if lv.id == "learn"), len(questionnaire.levels))
    missing = learn - 1 - scored.likely_stage
    if "wants_ml" in scored.signals and missing > 0 and not models_in_use(scored):
        when = ("within six months" if "ml_soon" in scored.signals
                else "within a year" if "ml_year" in scored.signals else None)
        names = [lv.level.title for lv in scored.levels[scored.likely_stage: learn - 1]]
        stage = stage_phrase(scored)
        notes.append(say.ml_deadline(when, stage, missing, names) if when else say.ml_hope(stage, missing, names))
    if "ml_unsure" in scored.signals:
        notes.append(say.ML_UNSURE)
    return tuple(notes)

