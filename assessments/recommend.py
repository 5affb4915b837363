"""A scored assessment to a hiring recommendation, with its reasons.

The rule is the pyramid's: hire the person who builds the lowest level that
does not hold yet. Roles say in roles.yaml which levels they build (`builds`),
which level must hold before they pay off (`needs`) and who usually follows
them (`next`), so the mapping is data, not code. The few judgements that are
not about levels (no product yet, a small organisation, research ambitions)
come from the signals that options declare in the questionnaire.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .answers import selected
from .schema import JudgementWhen, Option, Role, Roles, Sectors
from .scoring import Evidence, LevelScore, LevelState, Scored
from .story import stage_phrase

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

    @property
    def headline(self) -> str:
        if self.not_yet or self.first_hire is None:
            return "Not yet: there is not enough for a data hire to work on."
        article = "an" if self.first_hire.title[0].lower() in "aeiou" else "a"
        if self.timing and not self.timing.startswith("now"):
            return f"Your next hire: {article} {self.first_hire.title.lower()}, {self.timing.split(';')[0]}."
        if self.in_post:
            return f"Hire {article} {self.first_hire.title.lower()} next."
        suffix = ", as a hands-on first data person" if self.generalist else ""
        return f"Hire {article} {self.first_hire.title.lower()} first{suffix}."


def _describe(level: LevelScore) -> str:
    """The level's state in a clause, from the one story of the stage."""
    if level.score is None:
        return f"nothing about {level.level.title} is known yet"
    if level.high is not None and level.high != level.low:
        return (f"{level.level.title} is {level.state.label} at {level.score}/100, between {level.low} and "
                f"{level.high} depending on the unknown answers")
    return f"{level.level.title} is {level.state.label} at {level.score}/100"


def _top_role(scored: Scored) -> str:
    """Every level holds: the next hire deepens what exists."""
    if "wants_research" in scored.signals:
        return "ml_researcher"
    if "ml_unsure" in scored.signals:
        return "ml_architect"
    return "ml_scientist"


def _available(scored: Scored, role: Role) -> bool:
    """The role's work exists now, whatever the level it usually needs."""
    return role.available_when is not None and _holds_when(scored, role.available_when)


def _holds_when(scored: Scored, when: JudgementWhen) -> bool:
    threshold = scored.questionnaire.threshold
    for question_id, options in when.answered.items():
        if question_id not in scored.visible or not set(selected(scored.answers.get(question_id))) & set(options):
            return False
    signals = scored.signals
    if not set(when.signals_all) <= signals or (when.signals_any and not set(when.signals_any) & signals):
        return False
    if set(when.signals_none) & signals:
        return False
    index = {ls.level.id: i for i, ls in enumerate(scored.levels, start=1)}
    if when.holds and not all(lv in index and index[lv] <= scored.likely_stage for lv in when.holds):
        return False
    if when.fails_any and all(lv not in index or (index[lv] <= scored.likely_stage
                                                  and _holds(scored.levels[index[lv] - 1], threshold))
                              for lv in when.fails_any):
        return False
    gap = scored.likely_gap
    return not (when.gap_in and (gap is None or gap.level.id not in when.gap_in))


def _holds(level: LevelScore, threshold: int) -> bool:
    """In place on the evidence (its state, as every page states it)."""
    return level.state.counts


def _cite_many(scored: Scored, question_ids: tuple[str, ...]) -> tuple[Evidence, ...]:
    return tuple(e for q in question_ids for e in _cite(scored, q))


def _nobody_in_post(scored: Scored) -> bool:
    if scored.in_post:
        return False
    chosen = set(selected(scored.answers.get("roles_in_post")))
    if chosen - {"none", "dk"}:
        return False
    people = scored.answers.get("data_people")
    return not (isinstance(people, int | float) and people > 0)


def recommend(scored: Scored, roles: Roles, *, explore: bool = True, sectors: Sectors | None = None) -> Recommendation:
    """The first hire and everything said about it. `explore` runs the borderline search (re-scoring
    with one answer changed at a time); it is off inside that search."""
    questionnaire = scored.questionnaire
    threshold = questionnaire.threshold
    gap = scored.likely_gap
    reasons: list[Reason] = []
    rule_runner: Role | None = None
    decided_by: str | None = None

    no_product = "no_product" in scored.signals
    if no_product and scored.likely_stage == 0:
        builder = roles.roles[0] if gap is None else _builder(roles, gap.level.id)
        reasons.append(Reason(
            "Nobody uses your product or service yet, so there is little activity to record and analyse. "
            "A data hire now would have nothing to work on. Build what you offer, record what its users "
            "do from the first day, and run this assessment again after launch.",
            _cite(scored, "service_users") or _cite(scored, "product_users")))
        return _finish(scored, roles, first=None, runner=builder, reasons=reasons, explore=explore, sectors=sectors)

    for judgement in roles.judgements:
        if judgement.hire is None or not _holds_when(scored, judgement.when):
            continue
        first = roles.get(judgement.hire)
        rule_runner = roles.get(judgement.runner_up) if judgement.runner_up else None
        decided_by = judgement.id
        reasons.append(Reason(judgement.reason, _cite_many(scored, judgement.cite)))
        break
    else:
        if gap is None:
            first = roles.get(_top_role(scored))
            reasons.append(Reason(
                f"Every level of the pyramid is in place, up to {scored.levels[-1].level.title}. The next gains come "
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
            reasons.append(Reason(
                f"{gap.level.title} is the next level to build ({_describe(gap)}; a level is in place from "
                f"{threshold}). Building it is the work of a {first.title.lower()}, who "
                f"{_lower_first(first.summary)}",
                gap.weak[:3]))
            below = list(scored.levels[: scored.likely_stage])
            if below:
                top = below[-1]
                reasons.append(Reason(
                    f"The levels below it are in place, up to {top.level.title}, so the hire can build on them "
                    "rather than start from nothing.",
                    top.strong[:2]))
            unsure = [ls for ls in below if ls.known and ls.low is not None and ls.low < threshold]
            if unsure:
                names = _and([ls.level.title for ls in unsure])
                reasons.append(Reason(
                    f"{names} {'is' if len(unsure) == 1 else 'are'} counted as in place on the answers known, "
                    "though some answers about it are unknown. Check them before the hire starts: if they "
                    "turn out weak, the foundations come first."))
            implied = [ls for ls in below if ls.implied_by is not None]
            for ls in implied:
                reasons.append(Reason(
                    f"Nothing about {ls.level.title} was known; it is counted as in place because "
                    f"{ls.implied_by.title} above it is, on your answers. Confirm it before the hire starts."))
            if scored.inconsistencies:
                reasons.append(Reason(
                    "Some higher levels are in place, but they rest on a level that is not; the foundation "
                    "comes first (see the inconsistencies)."))

    for judgement in roles.judgements:
        if judgement.hire is None and _holds_when(scored, judgement.when):
            reasons.append(Reason(judgement.reason, _cite_many(scored, judgement.cite)))

    # People in post: never recommend a role someone already holds; say who builds what, and what comes next.
    timing = ""
    holder = first if first.id in scored.in_post else None
    if holder is not None:
        chain, step = [], roles.get(first.next)
        while step.id not in {r.id for r in chain} and step.id != first.id:
            chain.append(step)
            step = roles.get(step.next)
        free = [r for r in (*chain, *roles.roles) if r.id not in scored.in_post]
        candidate = free[0] if free else first
        building = gap.level.title if gap is not None and gap.level.id in holder.builds else None
        needs_index = (questionnaire.level_index(candidate.needs)
                       if candidate.needs and not _available(scored, candidate) else 0)
        if needs_index <= scored.likely_stage:
            timing = "now: what this role needs is already in place"
        else:
            needed = scored.levels[needs_index - 1]
            state = ("nothing about it is known yet" if needed.score is None
                     else f"it is {needed.state.label} at {needed.score}/100 today")
            timing = f"once {needed.level.title} is in place ({state}); plan the search so that they join as it does"
        if candidate is first:
            timing = ""
            reasons.insert(0, Reason(
                f"Every data role is already in post, including a {holder.title.lower()}. The lowest missing "
                f"level{' (' + building + ')' if building else ''} is theirs to build; a second "
                f"{holder.title.lower()} is worth it only if their backlog, not the missing skills, is what "
                "holds the level back.", _cite(scored, "roles_in_post")))
        else:
            reasons.insert(0, Reason(
                f"You already have a {holder.title.lower()} in post"
                + (f", who is the right person to build {building}" if building else "")
                + f". The next hire is a {candidate.title.lower()}, {timing}.",
                _cite(scored, "roles_in_post")))
            first = candidate
    elif scored.in_post:
        reasons.append(_joins(scored, roles, first))

    unknown_above = [ls for ls in scored.levels[scored.likely_stage:] if ls.state is LevelState.UNKNOWN
                     and ls.unknown > 0]
    if unknown_above:
        names = ", ".join(ls.level.title for ls in unknown_above)
        reasons.append(Reason(
            f"Nothing is known yet about {names}. Before acting on those levels, ask whoever knows your "
            "models and recorded outcomes: their answers could move this recommendation further up."))

    if scored.confidence_label == "low":
        reasons.append(Reason(
            f"Many answers were unknown ({scored.unknown} of {scored.known + scored.unknown}), so this "
            "recommendation is provisional: it rests on what is known, with each “don't know” counted as "
            "a middling answer. Answering the open questions may change it, towards the foundations or "
            "beyond them."))
    return _finish(scored, roles, first=first, runner=rule_runner, reasons=reasons, explore=explore,
                   decided_by=decided_by, timing=timing, sectors=sectors)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _joins(scored: Scored, roles: Roles, first: Role) -> Reason:
    """Whom the hire joins, and how the work divides between them, in this organisation's levels."""
    held = [roles.get(r) for r in sorted(scored.in_post)]
    titles = _and([r.title.lower() for r in held])
    theirs = {lv for r in held for lv in r.builds}
    levels = {ls.level.id: ls.level.title for ls in scored.levels}
    kept = [levels[lv] for lv in levels if lv in theirs]
    taken = [levels[lv] for lv in levels if lv in first.builds and lv not in theirs]
    text = f"You already have: {titles}."
    if kept:
        text += f" They keep {_and(kept)}."
    if taken:
        text += f" The new {first.title.lower()} takes on {_and(taken)}, which nobody in post builds today."
    elif first.builds:
        text += (f" The new {first.title.lower()} adds hands to {_and([levels[lv] for lv in first.builds])},"
                 " so that the people in post can get back to their own work.")
    else:
        text += f" The new {first.title.lower()} brings what none of them does: {_lower_first(first.summary)}"
    return Reason(text, _cite(scored, "roles_in_post"))


def _runner_up(scored: Scored, roles: Roles, first: Role | None, preferred: Role | None) -> Role | None:
    """The next hire after the first: never the first, never a role in post, and never one that needs
    more of the pyramid than any role that is premature now."""
    questionnaire = scored.questionnaire
    def needs(role: Role) -> int:
        return 0 if not role.needs or _available(scored, role) else questionnaire.level_index(role.needs)

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


def _screen_for(scored: Scored, first: Role, words: dict[str, str] | None = None) -> tuple[str, ...]:
    """Skills, data like the organisation's, then the tools to ask about: those the organisation named
    first, none already in a skill."""
    skills = " ".join(first.skills).lower()
    named = [o.label for o in _tools(scored)]
    tools = [t for t in first.technologies if t.split(" ")[0].lower() not in skills][:3]
    lines = list(first.skills)
    if words:
        lines.append(f"Has worked with data like ours: {words['records']}, from {words['sources']}")
    if named:
        lines.append("Hands-on experience with the tools you use: " + ", ".join(named))
    lines += [f"Hands-on experience with {t}" for t in tools]
    return tuple(lines)


def _tools(scored: Scored) -> list[Option]:
    question = scored.questionnaire.question("tools")
    if question is None:
        return []
    return [o for o in (question.option(i) for i in selected(scored.answers.get("tools"))) if o is not None]


def _finish(scored: Scored, roles: Roles, *, first: Role | None, runner: Role | None, reasons: list[Reason],
            explore: bool, decided_by: str | None = None, timing: str = "",
            sectors: Sectors | None = None) -> Recommendation:
    """Everything after the choice of hire: runner-up, premature roles, plan, screening, borderline."""
    runner = _runner_up(scored, roles, first, runner)
    runner_reason = ""
    if runner is not None:
        runner_reason = (f"After the {first.title.lower()}, a {runner.title.lower()} is the usual next step"
                         if first is not None else
                         f"When people use what you offer, a {runner.title.lower()} is the first hire to consider")
        runner_reason += f": someone who {_lower_first(runner.summary)}"
    generalist = (first is not None and "small_org" in scored.signals and first.id in SMALL_ORG_GENERALIST_ROLES
                  and _nobody_in_post(scored))
    if generalist:
        reasons.append(Reason(
            "At your size, and with nobody working on data yet, the first data person will do everything: "
            "plumbing, reporting and the first analyses. Look for a hands-on generalist who starts with "
            "the foundations and grows the function from there.", _cite(scored, "headcount")))
    premature = tuple(_premature(scored, roles, first, runner))
    sector = sectors.of(scored.answers.get("sector")) if sectors else None
    words = sector.model_dump() if sector else None
    plan = _plan(scored, first, words)
    screen_for = _screen_for(scored, first, words) if first else ()
    interview = tuple(_in_words(q, words) for q in first.interview_questions) if first else ()
    question = scored.answers.get("main_question")
    if first is not None and isinstance(question, str) and question.strip():
        interview = (f"Leadership's main question is \u201c{question.strip()}\u201d. How would you go about "
                     "answering it, and what would you need from us?", *interview)
    recommendation = Recommendation(
        first_hire=first,
        not_yet=first is None,
        generalist=generalist,
        runner_up=runner,
        runner_up_reason=runner_reason,
        premature=premature,
        reasons=tuple(reasons),
        first_90_days=tuple(step.text for step in plan),
        plan=plan,
        screen_for=screen_for,
        interview_questions=interview,
        sector_legal=sector.legal if sector else "",
        expectations=_expectations(scored),
        in_post=tuple(sorted(scored.in_post)),
        decided_by=decided_by,
        timing=timing,
    )
    if explore:
        from .borderline import would_change

        changes = would_change(scored, roles, recommendation)
        recommendation = replace(recommendation, would_change=changes, borderline=bool(changes))
    return recommendation


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _stage_phrase(scored: Scored) -> str:
    return stage_phrase(scored)


def _builder(roles: Roles, level_id: str) -> Role:
    return next(r for r in roles.roles if level_id in r.builds)


def _cite(scored: Scored, question_id: str) -> tuple[Evidence, ...]:
    """Evidence for an answer, when that question exists, shows and was answered."""
    evidence = scored.cite(question_id)
    return (evidence,) if evidence else ()


def _premature(scored: Scored, roles: Roles, first: Role | None, runner: Role | None):
    chosen = {r.id for r in (first, runner) if r is not None}
    for role in roles.roles:
        if role.id in chosen or role.needs is None or role.id in scored.in_post or _available(scored, role):
            continue
        needed = scored.questionnaire.level_index(role.needs)
        if needed <= scored.likely_stage:
            continue
        gap = scored.likely_gap
        assert gap is not None  # a level above the stage is needed, so one is not in place
        needs = scored.levels[needed - 1]
        state = "is not known yet" if needs.score is None else f"is {needs.state.label} at {needs.score}/100"
        text = (f"Needs {needs.level.title} in place ({needs.level.title} {state}; {_stage_phrase(scored)}). "
                f"{role.premature_because or ''}").strip()
        yield Premature(role, Reason(text, gap.weak[:1]))


def _in_words(text: str, words: dict[str, str] | None) -> str:
    """A role's text in the organisation's own words ({records}, {figure}... from sectors.yaml)."""
    return text.format_map(words) if words else text


def _plan(scored: Scored, first: Role | None, words: dict[str, str] | None = None) -> tuple[Reason, ...]:
    """The first months, from this organisation's answers: a role's steps where the answers call for
    them (never building what exists), its step around leadership's own question, then the blockers
    to remove. Each step quotes the answers it follows from."""
    if first is None:
        return (
            Reason("Record what people do from the first release: a short plan of the key events to record"),
            Reason("Keep orders, payments and other records in systems that can be exported or queried"),
            Reason("Run this assessment again a few months after launch"),
        )
    steps: list[Reason] = []
    question = scored.answers.get("main_question")
    if isinstance(question, str) and question.strip() and first.main_question_step:
        steps.append(Reason(first.main_question_step.replace("{question}", question.strip()),
                            _cite(scored, "main_question")))
    for step in first.first_90_days:
        if isinstance(step, str):
            steps.append(Reason(_in_words(step, words)))
            continue
        if step.when is not None and not _holds_when(scored, step.when):
            continue
        if step.unless is not None and _holds_when(scored, step.unless):
            continue
        steps.append(Reason(_in_words(step.text, words), _cite_many(scored, step.cite)))
    for blocker in [b for b in scored.blockers if not b.unsure][:2]:
        text = f"With leadership, remove a blocker: {_lower_first(blocker.fix).rstrip('.')}"
        if blocker.id == "legal_unclear" and words:
            text += f". {words['legal']}"
        steps.append(Reason(text, (blocker.evidence,)))
    return tuple(steps)


def _expectations(scored: Scored) -> tuple[str, ...]:
    """Say plainly when leadership's hopes outrun the foundations."""
    notes: list[str] = []
    questionnaire = scored.questionnaire
    learn = next((i for i, lv in enumerate(questionnaire.levels, 1) if lv.id == "learn"), len(questionnaire.levels))
    missing = learn - 1 - scored.likely_stage
    models_in_use = bool(set(selected(scored.answers.get("learn_models"))) & {"one_in_use", "several"})
    if "wants_ml" in scored.signals and missing > 0 and not models_in_use:
        when = ("within six months" if "ml_soon" in scored.signals
                else "within a year" if "ml_year" in scored.signals else None)
        names = [lv.level.title for lv in scored.levels[scored.likely_stage: learn - 1]]
        levels = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        if when:
            notes.append(
                f"Leadership expects machine learning in use {when}, but {_stage_phrase(scored)}. "
                f"{missing} level{'s' if missing > 1 else ''} ({levels}) must be in place "
                "before a model can be trained on trustworthy data. Each usually takes a quarter or more; "
                "reset the timeline, or the first hire will be judged on a goal nobody could reach.")
        else:
            notes.append(
                f"Leadership hopes for machine learning, while {_stage_phrase(scored)}. "
                f"{levels} {'comes' if missing == 1 else 'come'} first; set milestones for "
                f"{'it' if missing == 1 else 'them'} so that progress towards machine learning is visible.")
    if "ml_unsure" in scored.signals:
        notes.append(
            "Nobody has yet checked that machine learning beats a simpler approach for what leadership "
            "wants. Measure a simple baseline first: it is cheap, and it is the yardstick any model "
            "must beat.")
    return tuple(notes)
