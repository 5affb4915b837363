"""Several respondents, one picture: combining a team's answers, and where they disagree.

One person's view of an organisation's data is partial, so an assessment can be answered by a team,
each from their own seat. Their answers are combined per question by one stated rule, and the same
`score` and `recommend` as for a single respondent run on the combined answers.

The rule (`combine`), per question:
- Only a respondent's known answers count: a "don't know" (or no answer, or an answer to a
  question their own answers hid) is left out, and the combined answer is "don't know" only
  where nobody knew.
- Ordered options (the pyramid's questions, whose options earn points): the median of the known
  answers; with an even number, the lower of the two middle ones, so that a level is in place
  only when at least half of those who know say so. An answer that says the question does not
  apply yet wins only when at least half of those who know gave it.
- Other single choices: the answer most of those who know gave; a tie goes to the answer that
  raises a blocker (someone has seen an obstacle worth checking); an even split otherwise is not
  known ("don't know", where the question offers it, else the first in the questionnaire's order).
- Several choices ("tick all that apply"): every option anyone ticked, since a tick reports something
  the person knows exists and an unticked box only that they did not; an option saying there is
  nothing ("None", "Nothing specific yet") is dropped when someone ticked something else.
- Numbers: the median of the known values (the lower middle one).
- Text in their own words: from the seat that knows it best (the technical seat for systems, records
  and models; leadership for what the organisation does, the figure it watches and the decision it
  wants supported), else the first respondent's who gave any.

A disagreement is a question (showing for the combined answers) to which respondents gave
different known answers. Each one is re-scored, as the borderline search does: every answer given
is put in place of the combined one, all else kept, and the whole assessment scored and judged
again. Disagreements that would change the hire come first, then those that would change the
stage, then those between the leadership and technical seats, then the rest, each group in the
questionnaire's order.

A single answer rarely carries a level, so each respondent's answers to the disputed pyramid questions
are also put in place together (a View): when one person's view of the foundations changes the hire or
the stage, the questions it needs count as changing it too ("jointly").

The confidence falls when respondents disagree: by DISAGREEMENT_PENALTY for each disagreement by
what it would change (those changing neither, a little in all); and when one would change the hire
or the stage, the team's result is less sure than any one respondent's own (a team that cannot
agree on what decides the hire knows less than each member thinks). With one respondent, or with
identical answers, nothing changes: the outcome is exactly that of `evaluate`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .answers import Answer, answer_label, clean_answers, selected, visible_questions
from .scoring import Scored, rescore, score

if TYPE_CHECKING:
    from . import Outcome
    from .schema import Question, Questionnaire, Roles, Sectors

#: The seats a respondent answers from, and how pages name them.
SEATS: dict[str, str] = {"leadership": "Leadership", "technical": "Technical", "business": "Business",
                         "other": "Other"}

#: Options of "tick all that apply" questions that say there is nothing to tick.
NOTHING = frozenset({"none", "nothing_specific"})
#: Own-words questions, and the seat whose words are taken first.
OWN_WORDS_SEAT = {"own_systems": "technical", "own_records": "technical", "own_models": "technical",
                  "own_about": "leadership", "own_figure": "leadership", "own_decision": "leadership"}

#: What each disagreement takes off the confidence, by what it would change if settled the other way.
DISAGREEMENT_PENALTY = {"hire": 0.15, "stage": 0.1, "other": 0.01}
#: The most that disagreements changing neither take off together (people differ on details), and that all do.
MOST_MINOR, MOST_PENALTY = 0.1, 0.45
#: How far below the least sure respondent a team that disagrees on the hire or stage is put.
BELOW_LEAST_SURE = 0.05


@dataclass(frozen=True, slots=True)
class Response:
    """One respondent's answers, as stored (raw: `combine` checks them)."""

    seat: str
    answers: Mapping[str, Any]
    #: Shown to members only; never on a share link.
    name: str = ""

    @property
    def seat_title(self) -> str:
        return SEATS.get(self.seat, SEATS["other"])


@dataclass(frozen=True, slots=True)
class Position:
    """One answer given to a disputed question, who gave it, and what it would give if it were the team's."""

    label: str
    #: Indexes into Team.respondents of those who gave it.
    respondents: tuple[int, ...]
    #: The option ids or value it stands for (JSON-ready).
    value: Any
    #: The first hire's role id and title, and the stage, with this answer in place of the combined one.
    first_hire: str | None
    first_hire_title: str
    stage: int
    #: Whether it is the combined answer.
    combined: bool


@dataclass(frozen=True, slots=True)
class Disagreement:
    question: Question
    #: Answers given, counted by option id (or value); "don't know" counted under its option.
    counts: Mapping[str, int]
    positions: tuple[Position, ...]
    changes_hire: bool
    changes_stage: bool
    #: Respondents in leadership and in technical seats gave different known answers.
    leadership_vs_technical: bool
    #: Indexes of the respondents who answered "don't know".
    unsure: tuple[int, ...] = ()
    #: It changes the hire or the stage only together with other answers of the same respondent (a View),
    #: not on its own.
    jointly: bool = False

    @property
    def matters(self) -> str:
        """What settling it could change: "hire", "stage" or "other"."""
        return "hire" if self.changes_hire else "stage" if self.changes_stage else "other"

    def to_dict(self) -> dict[str, Any]:
        return {"question_id": self.question.id, "answers": dict(self.counts),
                "changes_hire": self.changes_hire, "changes_stage": self.changes_stage}


@dataclass(frozen=True, slots=True)
class View:
    """One respondent's answers to the disputed pyramid questions, all put in place of the combined ones at
    once: a view of the foundations that no single answer carries, but that together changes the outcome
    (one person sees pipelines and a shared database where another sees exports by hand)."""

    respondent: int
    #: The disputed questions the change needs (those of the levels it cannot do without), in order.
    question_ids: tuple[str, ...]
    first_hire: str | None
    first_hire_title: str
    stage: int
    changes_hire: bool


@dataclass(frozen=True, slots=True)
class Spread:
    """How one question was answered across the team."""

    question: Question
    #: Each respondent's answer (None: not answered, or hidden by their own answers), in respondent order.
    answers: tuple[Answer | None, ...]
    combined: Answer | None

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(answer_label(self.question, a) if a is not None else "Not answered" for a in self.answers)

    @property
    def combined_label(self) -> str:
        return answer_label(self.question, self.combined) if self.combined is not None else "Not answered"

    @property
    def groups(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """Each different answer given (known or "don't know"), with the respondents who gave it, most given
        first: how the answers spread, without saying more than the answers do."""
        found: dict[str, list[int]] = {}
        for i, answer in enumerate(self.answers):
            if answer is not None:
                found.setdefault(answer_label(self.question, answer), []).append(i)
        return tuple(sorted(((label, tuple(who)) for label, who in found.items()), key=lambda g: -len(g[1])))

    @property
    def split(self) -> bool:
        """Whether the respondents who answered gave more than one answer."""
        return len(self.groups) > 1


@dataclass(frozen=True, slots=True)
class Team:
    """What a team's answers add to an outcome: who answered, how, and where they part."""

    respondents: tuple[Response, ...]
    #: Each respondent's own confidence, scored on their answers alone.
    confidences: tuple[float, ...]
    #: The confidence of the combined answers before disagreement lowered it.
    combined_confidence: float
    disagreements: tuple[Disagreement, ...]
    #: Every question showing for the combined answers, in the questionnaire's order.
    spread: tuple[Spread, ...]
    #: Respondents whose answers to the disputed pyramid questions, taken together, change the outcome.
    views: tuple[View, ...] = ()

    @property
    def decisive(self) -> tuple[Disagreement, ...]:
        """The disagreements that would change the hire or the stage: the ones to settle together first."""
        return tuple(d for d in self.disagreements if d.changes_hire or d.changes_stage)

    @property
    def unsettled_levels(self) -> frozenset[str]:
        """Levels with a disputed answer that could change the hire or the stage: never said to 'work'
        (the advert, the story) until the team settles it."""
        return frozenset(d.question.level for d in self.decisive if d.question.level)

    @property
    def stakes(self) -> tuple[int, int]:
        """How many disagreements could change the hire, and how many more could change only the stage."""
        hire = sum(1 for d in self.disagreements if d.changes_hire)
        return hire, sum(1 for d in self.disagreements if d.changes_stage and not d.changes_hire)

    @property
    def seats(self) -> tuple[str, ...]:
        return tuple(r.seat_title for r in self.respondents)


def _known(question: Question, answer: Any) -> bool:
    if answer is None or answer == "" or answer == []:
        return False
    if question.type in ("single", "multi"):
        options = [question.option(i) for i in selected(answer)]
        return bool(options) and not any(o is not None and o.dont_know for o in options)
    return True


def own_answers(questionnaire: Questionnaire, response: Response) -> dict[str, Answer]:
    """A respondent's clean answers to the questions their own answers show (AnswerError if malformed)."""
    clean = clean_answers(questionnaire, response.answers)
    shown = {q.id for q in visible_questions(questionnaire, clean)}
    return {k: v for k, v in clean.items() if k in shown}


def _lower_median(values: list[Any]) -> Any:
    return sorted(values)[(len(values) - 1) // 2]


def _combine_one(question: Question, given: list[Answer]) -> Answer | None:
    """The combined answer to one question from every answer given to it (known or not)."""
    known = [a for a in given if _known(question, a)]
    if not known:
        dont_know = question.dont_know_option
        if dont_know is None:
            return None
        return [dont_know.id] if question.type == "multi" else dont_know.id
    if question.type == "text":
        return known[0]  # combine() puts the answer of the seat that knows it best first
    if question.type == "number":
        return _lower_median(known)
    if question.type == "multi":
        ticked = {option for answer in known for option in selected(answer)}
        chosen = [o.id for o in question.options if o.id in ticked]
        something = [option for option in chosen if option not in NOTHING]
        return something or chosen
    options = [question.option(a) for a in known if isinstance(a, str)]
    if question.level:
        pointed = [o for o in options if o is not None and not o.not_applicable]
        if len(pointed) * 2 <= len(options) and len(pointed) < len(options):
            return Counter(o.id for o in options if o is not None and o.not_applicable).most_common(1)[0][0]
        order = {o.id: (o.points or 0, i) for i, o in enumerate(question.options)}
        return _lower_median([(order[o.id], o.id) for o in pointed])[1]
    counts = Counter(o.id for o in options if o is not None)
    most = max(counts.values())
    tied = [o for o in question.options if counts[o.id] == most]
    if len(tied) > 1 and not any(o.raises for o in tied) and question.dont_know_option is not None:
        return question.dont_know_option.id
    tied.sort(key=lambda o: (not o.raises,))
    return tied[0].id


def combine(questionnaire: Questionnaire, responses: Sequence[Response]) -> dict[str, Answer]:
    """The team's answers, question by question, by the rule in the module's docstring."""
    own = [own_answers(questionnaire, r) for r in responses]
    if len(own) == 1:
        return dict(own[0])
    combined: dict[str, Answer] = {}
    for question in questionnaire.questions:
        order = list(range(len(own)))
        if question.id in OWN_WORDS_SEAT:
            order.sort(key=lambda i: responses[i].seat != OWN_WORDS_SEAT[question.id])
        given = [own[i][question.id] for i in order if question.id in own[i]]
        if not given:
            continue
        value = _combine_one(question, given)
        if value is not None:
            combined[question.id] = value
    return combined


def _count_key(question: Question, answer: Answer) -> list[str]:
    if question.type in ("single", "multi"):
        return list(selected(answer))
    return [str(answer)]


def _hire_and_stage(scored: Scored, roles: Roles) -> tuple[str | None, str, int]:
    from .borderline import first_hire

    hire = first_hire(scored, roles)
    return (hire.id if hire else None), (hire.title if hire else "Not yet"), scored.stage


def _with(scored: Scored, question: Question, answer: Answer) -> Scored:
    """The combined answers scored again with one answer in place of the combined one."""
    if question.type == "single" and isinstance(answer, str):
        return rescore(scored, question.id, answer)
    return score(scored.questionnaire, {**scored.answers, question.id: answer})


def _disagreements(questionnaire: Questionnaire, responses: Sequence[Response], own: list[dict[str, Answer]],
                   combined: Mapping[str, Answer], scored: Scored, roles: Roles) -> list[tuple[int, Disagreement]]:
    """Every question showing for the combined answers to which respondents gave different known answers,
    each with what putting each answer given in place of the combined one would give."""
    base_hire, base_title, base_stage = _hire_and_stage(scored, roles)
    found: list[tuple[int, Disagreement]] = []
    for index, question in enumerate(questionnaire.questions):
        if question.id not in scored.visible or question.type == "text":
            continue
        given = [(i, answers[question.id]) for i, answers in enumerate(own) if question.id in answers]
        known = [(i, a) for i, a in given if _known(question, a)]
        distinct: dict[str, tuple[Answer, list[int]]] = {}
        for i, answer in known:
            key = repr(sorted(answer) if isinstance(answer, list) else answer)
            distinct.setdefault(key, (answer, []))[1].append(i)
        if len(distinct) < 2:
            continue
        counts: Counter[str] = Counter()
        for _, answer in given:
            counts.update(_count_key(question, answer))
        positions = []
        for answer, who in distinct.values():
            is_combined = _same(answer, combined.get(question.id))
            if is_combined:
                hire, title, stage = base_hire, base_title, base_stage
            else:
                hire, title, stage = _hire_and_stage(_with(scored, question, answer), roles)
            positions.append(Position(answer_label(question, answer), tuple(who),
                                      answer, hire, title, stage, is_combined))
        changes_hire = any(p.first_hire != base_hire for p in positions)
        changes_stage = any(p.stage != base_stage for p in positions)
        seats_of = {}
        for key, (_, who) in distinct.items():
            for i in who:
                seats_of.setdefault(responses[i].seat, set()).add(key)
        split = bool(seats_of.get("leadership") and seats_of.get("technical")
                     and seats_of["leadership"] != seats_of["technical"])
        unsure = tuple(i for i, a in given if not _known(question, a))
        found.append((index, Disagreement(question, dict(counts), tuple(positions), changes_hire, changes_stage,
                                          split, unsure)))
    return found


def _views(own: list[dict[str, Answer]], scored: Scored, roles: Roles,
           disagreements: Sequence[Disagreement]) -> tuple[View, ...]:
    """Each respondent's view of the disputed pyramid questions, taken together, where it changes the hire
    or the stage; narrowed to the levels the change cannot do without (dropping a level's questions from
    the top down while the change still holds)."""
    base_hire, _, base_stage = _hire_and_stage(scored, roles)
    disputed = [d.question for d in disagreements if d.question.level and d.question.type == "single"]
    found = []
    for i, answers in enumerate(own):
        differs = [q for q in disputed if _known(q, answers.get(q.id)) and answers[q.id] != scored.answers.get(q.id)]
        if not differs:
            continue

        def outcome(questions: list[Question], answers: dict[str, Answer] = answers) -> tuple[str | None, str, int]:
            return _hire_and_stage(score(scored.questionnaire, {**scored.answers,
                                                                **{q.id: answers[q.id] for q in questions}}),
                                   roles)

        hire, title, stage = outcome(differs)
        if hire == base_hire and stage == base_stage:
            continue
        changes_hire = hire != base_hire

        def holds(result: tuple[str | None, str, int], changes_hire: bool = changes_hire) -> bool:
            return result[0] != base_hire if changes_hire else result[2] != base_stage

        levels = list(dict.fromkeys(q.level for q in differs))
        for level in reversed(levels):
            fewer = [q for q in differs if q.level != level]
            if fewer and holds(result := outcome(fewer)):
                differs, (hire, title, stage) = fewer, result
        found.append(View(i, tuple(q.id for q in differs), hire, title, stage, changes_hire))
    return tuple(found)


def _ordered(found: list[tuple[int, Disagreement]], views: Sequence[View]) -> tuple[Disagreement, ...]:
    """Those that change the hire first (alone, or within a respondent's view), then the stage, then those
    between the leadership and technical seats, then the rest; each group in the questionnaire's order."""
    joint_hire = {q for v in views if v.changes_hire for q in v.question_ids}
    joint_stage = {q for v in views if not v.changes_hire for q in v.question_ids}
    marked = []
    for index, d in found:
        hire = d.changes_hire or d.question.id in joint_hire
        stage = d.changes_stage or d.question.id in joint_stage
        if (hire, stage) != (d.changes_hire, d.changes_stage):
            d = replace(d, changes_hire=hire, changes_stage=stage, jointly=True)
        marked.append(((not d.changes_hire, not d.changes_stage, not d.leadership_vs_technical, index), d))
    marked.sort(key=lambda pair: pair[0])
    return tuple(d for _, d in marked)


def _same(a: Answer | None, b: Answer | None) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(a) == sorted(b)
    return a == b


def lowered(confidence: float, team_confidences: Sequence[float], disagreements: Sequence[Disagreement]) -> float:
    """The team's confidence: the combined answers' own, less what the disagreements take off."""
    if not disagreements:
        return confidence
    weighty = sum(DISAGREEMENT_PENALTY[d.matters] for d in disagreements if d.matters != "other")
    minor = sum(DISAGREEMENT_PENALTY["other"] for d in disagreements if d.matters == "other")
    penalty = min(MOST_PENALTY, weighty + min(MOST_MINOR, minor))
    value = confidence - penalty
    if any(d.changes_hire or d.changes_stage for d in disagreements):
        value = min(value, min(team_confidences) - BELOW_LEAST_SURE)
    return round(max(0.0, value), 2)


def evaluate_team(questionnaire: Questionnaire, responses: Sequence[Response], *, borderline: bool = True,
                  roles: Roles | None = None, sectors: Sectors | None = None) -> Outcome:
    """Combine, score and recommend, as `evaluate` does for one respondent; `Outcome.team` says how the
    team answered. One response gives exactly `evaluate`'s outcome (with no team)."""
    from types import MappingProxyType

    from . import Outcome, evaluate
    from . import roles as shipped_roles
    from . import sectors as shipped_sectors
    from .recommend import recommend

    if not responses:
        raise ValueError("a team outcome needs at least one response")
    if len(responses) == 1:
        return evaluate(questionnaire, own_answers(questionnaire, responses[0]), borderline=borderline,
                        roles=roles, sectors=sectors)
    roles = roles if roles is not None else shipped_roles()
    sectors = sectors if sectors is not None else shipped_sectors()
    own = [own_answers(questionnaire, r) for r in responses]
    combined = combine(questionnaire, responses)
    scored = score(questionnaire, combined)
    found = _disagreements(questionnaire, responses, own, combined, scored, roles)
    views = _views(own, scored, roles, [d for _, d in found])
    disagreements = _ordered(found, views)
    confidences = tuple(score(questionnaire, answers).confidence for answers in own)
    adjusted = replace(scored, confidence=lowered(scored.confidence, confidences, disagreements))
    spread = tuple(Spread(q, tuple(answers.get(q.id) for answers in own), combined.get(q.id))
                   for q in questionnaire.questions if q.id in scored.visible)
    team = Team(tuple(responses), confidences, scored.confidence, disagreements, spread, views)
    recommendation = recommend(adjusted, roles, explore=borderline, sectors=sectors)
    return Outcome(questionnaire, MappingProxyType(combined), adjusted, recommendation, team)
