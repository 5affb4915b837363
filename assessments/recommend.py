"""A scored assessment to a hiring recommendation, with its reasons.

The rule is the pyramid's: hire the person who builds the lowest level that
does not hold yet. Roles say in roles.yaml which levels they build (`builds`),
which level must hold before they pay off (`needs`) and who usually follows
them (`next`), so the mapping is data, not code. The few judgements that are
not about levels (no product yet, a small organisation, research ambitions)
come from the signals that options declare in the questionnaire.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .schema import Role, Roles
from .scoring import Evidence, LevelScore, Scored

SMALL_ORG_GENERALIST_ROLES = frozenset({"data_engineer", "data_analyst", "data_scientist"})


@dataclass(frozen=True, slots=True)
class Reason:
    text: str
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True, slots=True)
class Premature:
    role: Role
    reason: Reason


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

    @property
    def headline(self) -> str:
        if self.not_yet or self.first_hire is None:
            return "Not yet: there is not enough for a data hire to work on."
        article = "an" if self.first_hire.title[0].lower() in "aeiou" else "a"
        suffix = ", as a hands-on first data person" if self.generalist else ""
        return f"Hire {article} {self.first_hire.title.lower()} first{suffix}."


def _describe(level: LevelScore) -> str:
    if level.score is None:
        return f"{level.level.title} has no known answers"
    return f"{level.level.title} scores {level.score}/100"


def _top_role(scored: Scored) -> str:
    """Every level holds: the next hire deepens what exists."""
    if "wants_research" in scored.signals:
        return "ml_researcher"
    if "ml_unsure" in scored.signals:
        return "ml_architect"
    return "ml_scientist"


def recommend(scored: Scored, roles: Roles) -> Recommendation:
    questionnaire = scored.questionnaire
    threshold = questionnaire.threshold
    gap = scored.first_gap
    reasons: list[Reason] = []

    no_product = "no_product" in scored.signals
    if no_product and scored.stage == 0:
        first = None
        runner = roles.get(roles.roles[0].id) if gap is None else _builder(roles, gap.level.id)
        reasons.append(Reason(
            "There is no product or service in customers' hands yet, so there is little activity to "
            "record and analyse. A data hire now would have nothing to work on; build the product, "
            "record what customers do from the first day, and revisit this assessment after launch.",
            _cite(scored, "product_users")))
    elif gap is None:
        first = roles.get(_top_role(scored))
        runner = roles.get(first.next)
        reasons.append(Reason(
            f"Every level of the pyramid holds, up to {scored.levels[-1].level.title}. The next gains come "
            f"from deepening what exists, which is the work of a {first.title.lower()}.",
            tuple(scored.levels[-1].strong[:2])))
        if first.id == "ml_researcher":
            reasons.append(Reason(
                "Leadership wants results beyond what standard methods give, and your models already run "
                "in production with monitoring and retraining: the ground a researcher needs.",
                _cite(scored, "ml_expectation")))
        elif first.id == "ml_architect":
            reasons.append(Reason(
                "Nobody has yet shown that machine learning beats a simpler approach for what leadership "
                "wants; an architect decides where it is worth it before more is built.",
                _cite(scored, "mud_ml_fit")))
    else:
        first = _builder(roles, gap.level.id)
        runner = roles.get(first.next)
        reasons.append(Reason(
            f"{gap.level.title} is the lowest level that does not hold ({_describe(gap)}; it needs "
            f"{threshold}). Building it is the work of a {first.title.lower()}, who "
            f"{_lower_first(first.summary)}",
            gap.weak[:3]))
        below = [ls for ls in scored.levels[: scored.stage]]
        if below:
            top = below[-1]
            reasons.append(Reason(
                f"The levels below it hold, up to {top.level.title} ({top.score}/100), so the hire can "
                "build on them rather than start from nothing.",
                top.strong[:2]))
        hidden = [ls for ls in scored.levels[scored.stage + 1:] if ls.score is not None and ls.score >= threshold]
        if hidden:
            reasons.append(Reason(
                "Some higher levels score well, but they rest on a level that does not hold; the "
                "foundation comes first (see the inconsistencies)."))

    if scored.confidence_label == "low":
        reasons.append(Reason(
            f"Many answers were unknown ({scored.unknown} of {scored.known + scored.unknown}), so this "
            "recommendation leans towards the foundations: unknown levels are treated as not holding. "
            "Answering the open questions may change it."))

    generalist = (
        first is not None and "small_org" in scored.signals and first.id in SMALL_ORG_GENERALIST_ROLES
    )
    if generalist:
        reasons.append(Reason(
            "At your size the first data person will do everything: plumbing, reporting and the first "
            "analyses. Look for a hands-on generalist who starts with the foundations and grows the "
            "function from there.", _cite(scored, "headcount")))

    runner_reason = ""
    if runner is not None:
        runner_reason = (
            f"Once the first hire is in place, a {runner.title.lower()} is the usual next step: someone who "
            f"{_lower_first(runner.summary)}"
        )

    premature = tuple(_premature(scored, roles, first, runner))
    screen_for = tuple(first.skills + tuple(f"Experience with {t}" for t in first.technologies[:3])) if first else ()
    return Recommendation(
        first_hire=first,
        not_yet=first is None,
        generalist=generalist,
        runner_up=runner,
        runner_up_reason=runner_reason,
        premature=premature,
        reasons=tuple(reasons),
        first_90_days=_first_90_days(scored, first),
        screen_for=screen_for,
        interview_questions=first.interview_questions if first else (),
        expectations=_expectations(scored),
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _stage_phrase(scored: Scored) -> str:
    if scored.stage_level is None:
        return "no level of the pyramid holds yet"
    return f"the pyramid holds only up to {scored.stage_level.title}"


def _builder(roles: Roles, level_id: str) -> Role:
    return next(r for r in roles.roles if level_id in r.builds)


def _cite(scored: Scored, question_id: str) -> tuple[Evidence, ...]:
    """Evidence for an answer, when that question exists, shows and was answered."""
    evidence = scored.cite(question_id)
    return (evidence,) if evidence else ()


def _premature(scored: Scored, roles: Roles, first: Role | None, runner: Role | None):
    chosen = {r.id for r in (first, runner) if r is not None}
    for role in roles.roles:
        if role.id in chosen or role.needs is None:
            continue
        needed = scored.questionnaire.level_index(role.needs)
        if needed <= scored.stage:
            continue
        gap = scored.first_gap
        assert gap is not None  # a level above the stage is needed, so one does not hold
        needs_title = scored.questionnaire.levels[needed - 1].title
        text = f"Needs {needs_title} to hold, while {_stage_phrase(scored)}. {role.premature_because or ''}".strip()
        yield Premature(role, Reason(text, gap.weak[:1]))


def _first_90_days(scored: Scored, first: Role | None) -> tuple[str, ...]:
    if first is None:
        return (
            "Record what customers do from the first release: a short tracking plan for the key events",
            "Keep orders, payments and customer records in systems that can be exported or queried",
            "Re-run this assessment a few months after launch",
        )
    steps = list(first.first_90_days)
    for blocker in scored.blockers[:2]:
        steps.append(f"With leadership, remove a blocker: {_lower_first(blocker.fix)}")
    return tuple(steps)


def _expectations(scored: Scored) -> tuple[str, ...]:
    """Say plainly when leadership's hopes outrun the foundations."""
    notes: list[str] = []
    questionnaire = scored.questionnaire
    learn = next((i for i, lv in enumerate(questionnaire.levels, 1) if lv.id == "learn"), len(questionnaire.levels))
    missing = learn - 1 - scored.stage
    if "wants_ml" in scored.signals and missing > 0:
        when = ("within six months" if "ml_soon" in scored.signals
                else "within a year" if "ml_year" in scored.signals else None)
        levels = ", ".join(lv.level.title for lv in scored.levels[scored.stage: learn - 1])
        if when:
            notes.append(
                f"Leadership expects machine learning in use {when}, but {_stage_phrase(scored)}. "
                f"{missing} level{'s' if missing > 1 else ''} ({levels}) must hold "
                "before a model can be trained on trustworthy data. Each usually takes a quarter or more; "
                "reset the timeline, or the first hire will be judged on a goal nobody could reach.")
        else:
            notes.append(
                f"Leadership hopes for machine learning, while {_stage_phrase(scored)}. "
                f"The levels {levels} come first; set milestones for them so that "
                "progress towards machine learning is visible.")
    if "ml_unsure" in scored.signals:
        notes.append(
            "Nobody has yet checked that machine learning beats a simpler approach for what leadership "
            "wants. Measure a simple baseline first: it is cheap, and it is the yardstick any model "
            "must beat.")
    return tuple(notes)
