"""The ordered steps of the judgement. Each one reads the scored answers and the draft so far, and
records a decision (the hire, the runner-up from a judgement, a timing) or a note citing known answers.

Order matters and is the reasoning of a data leader: is there anything to work on yet; does evidence
call for a particular hire; otherwise, who builds the lowest missing level; who is already in post and
what they need; what is not known; and how firmly all of this can be said.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..schema import Role, Roles
from ..scoring import MODERATE_FROM, Evidence, LevelState, Scored
from ..wording import phrasebook as say
from .conditions import (
    available,
    chosen,
    cite,
    headcounts,
    holds_when,
    ml_work,
    nobody_known_in_post,
    people_unknown,
    unknown,
    wants_ml,
)


@dataclass(frozen=True, slots=True)
class Note:
    """One conclusion, worded, with the known answers it rests on and the roles it argues against."""

    text: str
    evidence: tuple[Evidence, ...] = ()
    #: Role ids this sentence argues against: never the recommended one.
    against: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "evidence": [e.to_dict() for e in self.evidence]}


@dataclass
class Draft:
    """The judgement so far: each step reads it and adds its decision. Mutable only while deciding;
    recommend.py freezes it into the Recommendation."""

    scored: Scored
    roles: Roles
    first: Role | None = None
    runner: Role | None = None
    decided_by: str | None = None
    timing: str = ""
    generalist: bool = False
    strengthen: bool = False
    #: When strengthening: the role in post to add another of, where the answers show it is the bottleneck.
    another: Role | None = None
    provisional: bool = False
    not_yet: bool = False
    #: What the law asks of every organisation in the sector (sectors.yaml), said beside the privacy blocker.
    sector_legal: str = ""
    notes: list[Note] = field(default_factory=list)
    #: Things to find out before acting (never stated as facts).
    find_out: list[Note] = field(default_factory=list)
    done: bool = False


def builder(roles: Roles, level_id: str) -> Role:
    return next(r for r in roles.roles if level_id in r.builds)


def before_launch(d: Draft) -> None:
    """Nobody uses the product yet and nothing holds: no data hire has work to do."""
    s = d.scored
    if "no_product" in s.signals and s.likely_stage == 0:
        gap = s.likely_gap
        d.runner = d.roles.roles[0] if gap is None else builder(d.roles, gap.level.id)
        d.not_yet = True
        d.notes.append(Note(say.BEFORE_LAUNCH, cite(s, "service_users", "product_users")))
        d.done = True


def decisive_judgement(d: Draft) -> None:
    """Evidence that calls for a particular hire (roles.yaml `judgements` with a `hire`), first match wins."""
    for judgement in d.roles.judgements:
        if judgement.hire is None or not holds_when(d.scored, judgement.when):
            continue
        d.first = d.roles.get(judgement.hire)
        d.runner = d.roles.get(judgement.runner_up) if judgement.runner_up else None
        d.decided_by = judgement.id
        d.notes.append(Note(judgement.reason, cite(d.scored, *judgement.cite), frozenset(judgement.against)))
        return


def pyramid_rule(d: Draft) -> None:
    """Hire whoever builds the lowest level not in place; at the top, whoever deepens what exists."""
    if d.first is not None:
        return
    s, threshold = d.scored, d.scored.questionnaire.threshold
    gap = s.likely_gap
    if gap is None:
        top = "ml_researcher" if "wants_research" in s.signals else (
            "ml_architect" if "ml_unsure" in s.signals else "ml_scientist")
        d.first = d.roles.get(top)
        d.notes.append(Note(say.every_level_holds(s.levels[-1], d.first), tuple(s.levels[-1].strong[:2])))
        if top == "ml_researcher":
            d.notes.append(Note(say.RESEARCH_GROUND, cite(s, "ml_expectation")))
        elif top == "ml_architect":
            d.notes.append(Note(say.ARCHITECT_DECIDES, cite(s, "mud_ml_fit")))
        return
    d.first = builder(d.roles, gap.level.id)
    d.notes.append(Note(say.gap(gap, d.first, threshold), gap.weak[:3]))
    below = list(s.levels[: s.likely_stage])
    if below:
        d.notes.append(Note(say.below_holds(below[-1]), tuple(below[-1].strong[:2])))
    unsure = [ls.level.title for ls in below if ls.known and ls.low is not None and ls.low < threshold]
    if unsure:
        d.notes.append(Note(say.strong_but_unknown(unsure)))
    for ls in below:
        if ls.implied_by is not None:
            d.notes.append(Note(say.implied(ls)))
    if s.inconsistencies:
        d.notes.append(Note(say.HIDDEN_ABOVE))


def judgement_notes(d: Draft) -> None:
    """Judgements without a hire add a note (labels held back by a missing store, ...)."""
    for judgement in d.roles.judgements:
        if judgement.hire is None and holds_when(d.scored, judgement.when):
            d.notes.append(Note(judgement.reason, cite(d.scored, *judgement.cite), frozenset(judgement.against)))


def _wanted(s: Scored, role: Role) -> bool:
    """Leadership wants this role's kind of work: machine learning only when asked for or already in use."""
    return not ml_work(role) or wants_ml(s)


def people_in_post(d: Draft) -> None:
    """Never recommend a role someone already holds; say who builds what, and what comes next."""
    s, first = d.scored, d.first
    assert first is not None
    if first.id not in s.in_post:
        if s.in_post:
            d.notes.append(_joins(d, first))
        return
    holder = first
    chain, step = [], d.roles.get(first.next)
    while step.id not in {r.id for r in chain} and step.id != first.id:
        chain.append(step)
        step = d.roles.get(step.next)
    free = [r for r in (*chain, *d.roles.roles) if r.id not in s.in_post]
    candidate = free[0] if free else first
    gap = s.likely_gap
    building = gap.level.title if gap is not None and gap.level.id in holder.builds else None
    if candidate is not first and not _wanted(s, candidate):
        _strengthen(d, candidate, [holder])
        return
    questionnaire = s.questionnaire
    needs_index = (questionnaire.level_index(candidate.needs)
                   if candidate.needs and not available(s, candidate) else 0)
    timing = say.TIMING_NOW if needs_index <= s.likely_stage else say.timing_once(s.levels[needs_index - 1])
    people = cite(s, "roles_in_post")
    if candidate is first:
        d.notes.insert(0, Note(say.every_role_in_post(holder, building), people))
        return
    d.timing = timing
    d.notes.insert(0, Note(say.holder_next(holder, building, candidate, timing), people))
    d.first = candidate


def _strengthen(d: Draft, later: Role, team: list[Role]) -> None:
    """The people in post already do the work leadership wants: no new specialist yet."""
    s = d.scored
    report = next((ls for ls in s.levels if ls.level.id == "report"), None)
    in_place = report is not None and s.questionnaire.level_index("report") <= s.likely_stage
    picked = chosen(s, "roles_in_post")
    members = [(r.id, r.title) for r in team
               if r.id != "data_analyst" or "data_analyst" in picked or "statistician" not in picked]
    if "statistician" in picked:
        members.append(("statistician", "statistician"))
    counts, total = headcounts(s, [role for role, _ in members])
    wants = _wants_phrase(s)
    d.first, d.runner, d.strengthen, d.timing, d.decided_by = None, later, True, "", None
    # What was said for a hire that is no longer recommended goes; the notes are now about the team.
    d.notes = [Note(say.strengthen([(title, n) for (_, title), n in zip(members, counts, strict=True)], total,
                                   wants, report.level.title if in_place and report else None),
                    cite(s, "roles_in_post", "ml_expectation"), frozenset({later.id})),
               Note(say.when_data_scientist_pays(later))]
    if not in_place:
        slow = chosen(s, "report_turnaround") & {"weeks", "cannot"}
        if slow and "data_analyst" in s.in_post:
            d.another = d.roles.get("data_analyst")
            d.notes.insert(1, Note(say.REPORTING_BOTTLENECK, cite(s, "report_turnaround")))
        else:
            d.notes.append(Note(say.SECOND_ANALYST))


def _wants_phrase(s: Scored) -> str:
    signals = s.signals
    wants = []
    if "wants_reporting" in signals:
        wants.append("reporting it can rely on")
    if "wants_insight" in signals:
        wants.append("to understand what drives its figures")
    if "predictions" in chosen(s, "ml_expectation"):
        wants.append("forecasts of its own figures")
    return say.and_(wants) or "better use of the data it has"


def forecasts_by_the_team(d: Draft) -> None:
    """Leadership wants reporting and forecasts, not machine learning in what it offers, and analysts and a
    statistician (or a data scientist) are in post with reporting in place: strengthen them."""
    s, first = d.scored, d.first
    if first is None or d.strengthen or not ml_work(first) or d.decided_by is not None:
        return
    wishes = chosen(s, "ml_expectation")
    product = {"ai_product", "automate", "production", "beyond_state_of_art"}
    if not wishes or wishes & product or "data_analyst" not in s.in_post:
        return
    forecaster = "statistician" in chosen(s, "roles_in_post") or "data_scientist" in s.in_post
    report_in_place = s.questionnaire.level_index("report") <= s.likely_stage
    if forecaster and report_in_place and not chosen(s, "learn_models") & {"one_in_use", "several"}:
        team = [d.roles.get(r) for r in sorted(s.in_post)]
        _strengthen(d, first, team)


def data_scientist_in_post(d: Draft) -> None:
    """A data scientist hired before the foundations: say what they do now and what the hire frees."""
    s = d.scored
    if d.first is None or "data_scientist" not in s.in_post or d.first.id == "data_scientist":
        return
    if "ds_on_plumbing" in s.signals and "data_engineer" in s.in_post:
        d.notes.append(Note(say.DATA_SCIENTIST_ON_PLUMBING_WITH_ENGINEER, cite(s, "ds_time", "roles_in_post")))
        return
    if not set(d.first.builds) & {"collect", "store", "move"}:
        return
    if "ds_on_plumbing" in s.signals:
        if not _decided_on(d, "ds_on_plumbing"):  # said in full by that judgement otherwise
            d.notes.insert(0, Note(say.DATA_SCIENTIST_ON_PLUMBING, cite(s, "ds_time", "roles_in_post")))
    elif s.likely_stage < s.questionnaire.level_index("move"):
        d.notes.append(Note(say.DATA_SCIENTIST_WAITS, cite(s, "roles_in_post")))


def _decided_on(d: Draft, signal: str) -> bool:
    """The judgement that chose the hire rests on this signal (and has said so)."""
    judgement = next((j for j in d.roles.judgements if j.id == d.decided_by), None)
    return judgement is not None and signal in judgement.when.signals_all


def _joins(d: Draft, first: Role) -> Note:
    """Whom the hire joins, and how the work divides between them, in this organisation's levels."""
    s = d.scored
    held = [d.roles.get(r) for r in sorted(s.in_post)]
    theirs = {lv for r in held for lv in r.builds}
    in_place = {ls.level.id for ls in s.levels[: s.likely_stage]}
    levels = [(ls.level.id, ls.level.title) for ls in s.levels]
    kept = [t for lv, t in levels if lv in theirs and lv in in_place]
    waiting = [t for lv, t in levels if lv in theirs and lv not in in_place and lv not in first.builds]
    taken = [t for lv, t in levels if lv in first.builds and lv not in theirs]
    adds = [t for lv, t in levels if lv in first.builds]
    if "data_scientist" in s.in_post and set(first.builds) & {"collect", "store", "move"}:
        waiting = []  # said in full by data_scientist_in_post
    counts, total = headcounts(s, [r.id for r in held])
    people = say.team([(r.title, n) for r, n in zip(held, counts, strict=True)], total)
    return Note(say.joins(people, first, kept=kept, waiting=waiting, taken=taken, adds=adds),
                cite(s, "roles_in_post"))


def unknown_levels(d: Draft) -> None:
    s = d.scored
    if d.first is None:
        return
    names = [ls.level.title for ls in s.levels[s.likely_stage:] if ls.state is LevelState.UNKNOWN and ls.unknown]
    if names:
        d.notes.append(Note(say.unknown_above(names)))


def small_organisation(d: Draft) -> None:
    """At a small organisation with nobody on data, the first hire is a hands-on generalist."""
    s = d.scored
    if d.first is None or "small_org" not in s.signals or d.first.id not in GENERALIST_ROLES:
        return
    if nobody_known_in_post(s):
        d.generalist = True
        d.notes.append(Note(say.GENERALIST, cite(s, "headcount", "roles_in_post", "data_people")))


GENERALIST_ROLES = frozenset({"data_engineer", "data_analyst", "data_scientist"})


def open_questions(d: Draft) -> None:
    """What nobody knew and the decision turns on: who is in post, what leadership wants."""
    s = d.scored
    if people_unknown(s):
        d.find_out.append(Note(say.find_out_people()))
    if unknown(s, "ml_expectation"):
        d.find_out.append(Note(say.find_out_expectations()))


def provisional(d: Draft) -> None:
    """Little is known: say so first, and lead with what to find out. Only when the unknowns are why the
    confidence is low (answers that cannot both be true, or a team's disagreements, say so themselves)."""
    s = d.scored
    if s.confidence_label != "low" or s.known_share >= MODERATE_FROM:
        return
    d.provisional = True
    near = s.levels[max(s.likely_stage - 1, 0): s.likely_stage + 1]
    ids = [q for q in ("roles_in_post", "ml_expectation") if unknown(s, q)]
    near_ids = {ls.level.id for ls in near}
    ids += [q.id for q in s.questionnaire.questions if q.level in near_ids and unknown(s, q.id)]
    questions = [s.questionnaire.question(q).text for q in ids[:3]]  # type: ignore[union-attr]
    d.notes.insert(0, Note(say.provisional(s.unknown, s.known + s.unknown, questions)))


#: The judgement, in order. A step may set `done` to stop (nothing more to decide).
STEPS: tuple[Callable[[Draft], None], ...] = (
    before_launch,
    decisive_judgement,
    pyramid_rule,
    judgement_notes,
    people_in_post,
    forecasts_by_the_team,
    data_scientist_in_post,
    unknown_levels,
    small_organisation,
    open_questions,
    provisional,
)


def decide(scored: Scored, roles: Roles) -> Draft:
    draft = Draft(scored, roles)
    for step in STEPS:
        step(draft)
        if draft.done:
            break
    if draft.not_yet:
        open_questions(draft)
    return draft

