"""Answers to level scores, stage, confidence, blockers and inconsistencies.

Pure functions of (questionnaire, answers): no I/O, no Flask, so the web app,
the PDF, the CLI and the tests all score with exactly the same code.

Design choices worth knowing:
- A "don't know" (or an unanswered question) is neither the best nor the
  worst answer: a level's score counts it as the question's middle option.
  Answering "don't know" instead of a weak answer therefore gains no more
  than a middling answer would, and unknowns cannot sink a level that
  middling answers would hold. A level is in place only when its known
  answers reach the threshold too: unknowns never carry a level on their own. The uncertainty shows as the level's range
  (`low`: every unknown at its weakest, `high`: at its strongest) and in the
  confidence, not as a collapse.
- Each level has one state (`LevelState`): in place, in place by implication,
  partly in place, missing, or not known yet (nothing about it was known: no
  score at all, never 0). A level counts as in place by implication when a
  level above it is in place on what was known (models that are served and
  monitored imply data that is collected and stored) and the level's own
  unknown answers could put it in place.
- Foundations gate the levels above: the stage is the number of levels in
  place, counted from the bottom; the first level that is not is the next
  to build. A level in place above one that is not is reported as an
  inconsistency (from known answers only), not counted.
- An answer that says a question does not apply yet (nothing to measure) is
  left out altogether: neither known nor unknown.
- Contradictions declared in the questionnaire (answers that cannot all be
  true) are named and lower the confidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from .answers import Answer, answer_label, selected, visible_questions
from .schema import Level, Option, Question, Questionnaire


@dataclass(frozen=True, slots=True)
class Evidence:
    """One answer cited as the reason for something."""

    question_id: str
    question: str
    answer: str

    def to_dict(self) -> dict[str, str]:
        return {"question_id": self.question_id, "question": self.question, "answer": self.answer}


class LevelState(StrEnum):
    """Where one level of the pyramid stands: the single vocabulary of every page, the PDF and the JSON."""

    IN_PLACE = "in_place"
    #: Nothing (or not enough) is known of it, but a level above it is in place on known answers.
    IMPLIED = "implied"
    PARTLY = "partly"
    MISSING = "missing"
    #: No answer about it was known, and nothing above implies it.
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def counts(self) -> bool:
        """Whether the level counts as in place for the stage."""
        return self in (LevelState.IN_PLACE, LevelState.IMPLIED)


_STATE_LABELS = {
    LevelState.IN_PLACE: "in place",
    LevelState.IMPLIED: "in place, implied",
    LevelState.PARTLY: "partly in place",
    LevelState.MISSING: "missing",
    LevelState.UNKNOWN: "not known yet",
}

#: Below this share of the threshold a level is missing rather than partly in place.
PARTLY_FROM = 0.5


@dataclass(frozen=True, slots=True)
class LevelScore:
    level: Level
    #: 0-100 with every unknown answer counted as its question's middle option, or None when nothing about
    #: the level is known (a level is never scored on unknowns alone).
    score: int | None
    #: Counted in the stage: in place (or implied), with every level below it in place too.
    reached: bool
    known: int
    unknown: int
    #: The range the level may really be in: unknown answers at their weakest, and at their strongest.
    low: int | None
    high: int | None
    #: The score of the known answers alone (None when none is known): what the evidence given says.
    known_score: int | None
    #: (share of points earned, question, answer) for each known answer, weakest first.
    #: Kept raw and turned into Evidence only when cited: scoring stays cheap.
    answered: tuple[tuple[float, Question, Answer], ...]
    state: LevelState = LevelState.UNKNOWN
    #: For an implied level: the level above whose known answers imply it.
    implied_by: Level | None = None
    #: For a level none of whose questions applies: the known answer that rules them out ("No" to models).
    ruled_out_by: Evidence | None = None

    @property
    def weak(self) -> tuple[Evidence, ...]:
        """Answers that earned less than full points, weakest first."""
        return tuple(_evidence(q, a) for share, q, a in self.answered if share < 1)

    @property
    def strong(self) -> tuple[Evidence, ...]:
        """Answers that earned full points."""
        return tuple(_evidence(q, a) for share, q, a in self.answered if share >= 1)


@dataclass(frozen=True, slots=True)
class BlockerHit:
    id: str
    title: str
    why: str
    fix: str
    evidence: Evidence
    #: Raised by a "don't know": a thing to find out first, not a fact.
    unsure: bool = False

    @property
    def detail(self) -> str:
        return f"{self.why} You answered \u201c{self.evidence.answer}\u201d to \u201c{self.evidence.question}\u201d"


@dataclass(frozen=True, slots=True)
class ContradictionHit:
    text: str
    question_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "question_ids": list(self.question_ids)}


#: How much each contradiction takes off the confidence: answers that cannot all be true are weaker evidence.
CONTRADICTION_PENALTY = 0.15


@dataclass(frozen=True, slots=True)
class Scored:
    questionnaire: Questionnaire
    levels: tuple[LevelScore, ...]
    #: The number of levels in place (or implied), counted from the bottom: 0 when the first is not.
    stage: int
    confidence: float
    #: Answers that count (scored, or with a "don't know" option) that were known, and that were not.
    known: int
    unknown: int
    signals: frozenset[str]
    blockers: tuple[BlockerHit, ...]
    inconsistencies: tuple[str, ...]
    answers: Mapping[str, Answer]
    #: Ids of the questions that show for these answers.
    visible: frozenset[str]
    #: The stage were every unknown answer favourable (equal to stage when nothing is unknown).
    possible_stage: int = 0
    contradictions: tuple[ContradictionHit, ...] = ()
    #: Role ids the answers say are already in post.
    in_post: frozenset[str] = frozenset()
    #: Whether the confidence was capped because nothing is known of the next level to build.
    next_unknown: bool = False

    @property
    def confidence_label(self) -> str:
        return confidence_label(self.confidence)

    @property
    def stage_level(self) -> Level | None:
        """The highest level of the stage, or None when the first level is not in place."""
        return self.questionnaire.levels[self.stage - 1] if self.stage else None

    @property
    def likely_stage(self) -> int:
        """The stage the recommendation works from: the one stage (kept for its readers)."""
        return self.stage

    def cite(self, question_id: str) -> Evidence | None:
        """The answer to a visible question, ready to quote, or None."""
        question = self.questionnaire.question(question_id)
        if question is None or question_id not in self.visible or question_id not in self.answers:
            return None
        return _evidence(question, self.answers[question_id])

    def level(self, level_id: str) -> LevelScore:
        return next(ls for ls in self.levels if ls.level.id == level_id)

    @property
    def next_level(self) -> LevelScore | None:
        """The lowest level not in place: the next to build, and what the hire is about."""
        return self.levels[self.stage] if self.stage < len(self.levels) else None

    #: Older names of next_level, kept for their readers.
    first_gap = next_level
    likely_gap = next_level

    @property
    def known_share(self) -> float:
        """The share of the answers that count that were known (0 when none count)."""
        total = self.known + self.unknown
        return self.known / total if total else 0.0


#: Confidence from which a result is moderate, and high.
MODERATE_FROM, HIGH_FROM = 0.6, 0.85


def confidence_label(value: float) -> str:
    if value >= HIGH_FROM:
        return "high"
    if value >= MODERATE_FROM:
        return "moderate"
    return "low"


def _evidence(question: Question, answer: Answer | None) -> Evidence:
    return Evidence(question.id, question.text, answer_label(question, answer))


NOT_APPLICABLE = -1


def points_of(options: list[Option]) -> int | None:
    """Points the chosen options earn: None when unknown (nothing chosen, or "don't know"),
    NOT_APPLICABLE when the answer says the question does not apply."""
    if not options or any(o.dont_know for o in options):
        return None
    if any(o.not_applicable for o in options):
        return NOT_APPLICABLE
    return sum(o.points or 0 for o in options)


def answer_points(question: Question, answer: object) -> int | None:
    """points_of for a stored answer."""
    return points_of([o for o in (question.option(i) for i in selected(answer)) if o is not None])


def unknown_points(question: Question) -> float:
    """What an unknown answer counts for in a level's score: neither the question's best nor its worst
    answer, but its middle option (the upper of two), so "don't know" gains nothing over a middling answer
    and cannot sink a level that middling answers would hold."""
    return question.middle_points


def _chosen(question: Question, answer: Answer | None) -> tuple[list[Option], int | None]:
    """The options an answer selects (unknown ids left out) and the points they earn (points_of)."""
    if answer is None:  # the usual cases without building lists: unanswered, and one option
        return [], None
    if isinstance(answer, str):
        option = question.option(answer)
        if option is None:
            return [], None
        return [option], (None if option.dont_know else NOT_APPLICABLE if option.not_applicable
                          else option.points or 0)
    options = [o for o in (question.option(i) for i in selected(answer)) if o is not None]
    return options, points_of(options)


def score(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> Scored:
    """Score clean answers (see answers.clean_answers) on their questionnaire."""
    visible = visible_questions(questionnaire, answers)
    #: Per level: (question, its answer, the points it earned: None if unknown, NOT_APPLICABLE).
    by_level: dict[str, list[tuple[Question, Answer | None, int | None]]] = {lv.id: [] for lv in questionnaire.levels}
    known = unknown = 0
    for question in visible:
        answer = answers.get(question.id)
        points = _chosen(question, answer)[1]
        if question.level:
            by_level[question.level].append((question, answer, points))
        if question.counted:
            if points is None:
                unknown += 1
            elif points != NOT_APPLICABLE:
                known += 1

    threshold = questionnaire.threshold
    measured = [_measure(level, by_level[level.id], threshold) for level in questionnaire.levels]
    ruled_out = {level.id: _ruled_out(questionnaire, level, answers, by_level[level.id])
                 for level in questionnaire.levels}
    return _conclude(questionnaire, answers, frozenset(q.id for q in visible), measured, ruled_out,
                     known=known, unknown=unknown, effects=_effects(questionnaire, visible, answers))


#: What the options chosen declare: signals, roles in post, and the blockers raised (each once, by the
#: first question in order that raises it).
_Effects = tuple[frozenset[str], frozenset[str], tuple[BlockerHit, ...]]


def _effects(questionnaire: Questionnaire, shown: Iterable[Question], answers: Mapping[str, Answer]) -> _Effects:
    """The effects of the answers to the questions shown, in order (only those with such options count)."""
    signals: set[str] = set()
    in_post: set[str] = set()
    blockers: list[BlockerHit] = []
    raised: set[str] = set()
    for question in shown:
        if not question.has_effects:
            continue
        answer = answers.get(question.id)
        for option in _chosen(question, answer)[0]:
            if option.signals:
                signals.update(option.signals)
            if option.in_post:
                in_post.add(option.in_post)
            for blocker_id in option.raises:
                if blocker_id not in raised:
                    raised.add(blocker_id)
                    b = questionnaire.blocker(blocker_id)
                    blockers.append(BlockerHit(b.id, b.title, b.why, b.fix, _evidence(question, answer),
                                               unsure=option.dont_know))
    return frozenset(signals), frozenset(in_post), tuple(blockers)


def rescore(scored: Scored, question_id: str, option_id: str) -> Scored:
    """`scored` with one answer changed to `option_id`: equal to score() of the changed answers, in a
    fraction of its time where the change can reach only its own level and the counts.

    That holds when the question shows and conditions no other question: the same questions show and
    the same levels are ruled out, so the other levels' numbers stay as they were, and the rest (the
    level's numbers, the signals, people in post and blockers when its options declare any, the states,
    stage, contradictions and confidence) is worked out again as score() works it out. A question that
    conditions others is scored in full. The borderline search re-scores once per alternative answer."""
    questionnaire = scored.questionnaire
    answers = dict(scored.answers)
    answers[question_id] = option_id
    question = questionnaire.question(question_id)
    if question is None or question_id not in scored.visible or question_id in questionnaire.triggers:
        return score(questionnaire, answers)
    old_points = _chosen(question, scored.answers.get(question_id))[1]
    new_points = _chosen(question, option_id)[1]
    known, unknown = scored.known, scored.unknown
    if question.counted:
        for points, step in ((old_points, -1), (new_points, 1)):
            if points is None:
                unknown += step
            elif points != NOT_APPLICABLE:
                known += step
    measured = [_Measured(ls.level, ls.score, ls.low, ls.high, ls.known_score, ls.known, ls.unknown, ls.answered)
                for ls in scored.levels]
    if question.level:
        items = [(q, answers.get(q.id), _chosen(q, answers.get(q.id))[1])
                 for q in questionnaire.level_questions[question.level] if q.id in scored.visible]
        index = questionnaire.level_index(question.level) - 1
        measured[index] = _measure(measured[index].level, items, questionnaire.threshold)
    ruled_out = {ls.level.id: ls.ruled_out_by for ls in scored.levels}
    effects = (_effects(questionnaire, (q for q in questionnaire.questions if q.id in scored.visible), answers)
               if question.has_effects else (scored.signals, scored.in_post, scored.blockers))
    return _conclude(questionnaire, answers, scored.visible, measured, ruled_out, known=known, unknown=unknown,
                     effects=effects)


def _conclude(questionnaire: Questionnaire, answers: Mapping[str, Answer], shown: frozenset[str],
              measured: list[_Measured], ruled_out: Mapping[str, Evidence | None], *, known: int, unknown: int,
              effects: _Effects) -> Scored:
    """The levels' states, the stage, the contradictions and the confidence, from each level's numbers."""
    signals, in_post, blockers = effects
    threshold = questionnaire.threshold
    states = _states(measured, threshold, ruled_out)
    stage = _count_from_bottom(state.counts for state, _ in states)
    possible_stage = _count_from_bottom(m.high is not None and m.high >= threshold for m in measured)
    levels = tuple(
        LevelScore(level=m.level, score=m.score, reached=index < stage, known=m.known, unknown=m.unknown,
                   low=m.low, high=m.high, known_score=m.known_score, answered=m.answered,
                   state=state, implied_by=implied_by, ruled_out_by=ruled_out[m.level.id])
        for index, (m, (state, implied_by)) in enumerate(zip(measured, states, strict=True)))

    contradictions = _contradictions(questionnaire, answers, shown)
    #: When nothing is known of the level the recommendation is about, confidence is moderate at most.
    next_unknown = stage < len(levels) and levels[stage].known == 0
    total = known + unknown
    confidence = round(known / total, 2) if total else 0.0
    confidence = round(max(0.0, confidence - CONTRADICTION_PENALTY * len(contradictions)), 2)
    if next_unknown:
        confidence = min(confidence, 0.84)
    return Scored(
        questionnaire=questionnaire,
        levels=levels,
        stage=stage,
        confidence=confidence,
        known=known,
        unknown=unknown,
        signals=signals,
        blockers=blockers,
        inconsistencies=_inconsistencies(levels, stage),
        answers=answers,
        visible=shown,
        possible_stage=max(possible_stage, stage),
        contradictions=contradictions,
        in_post=in_post,
        next_unknown=next_unknown,
    )


@dataclass(frozen=True, slots=True)
class _Measured:
    """One level's numbers, before its state is decided against the levels above it."""

    level: Level
    score: int | None
    low: int | None
    high: int | None
    known_score: int | None
    known: int
    unknown: int
    answered: tuple[tuple[float, Question, Answer], ...]


def _measure(level: Level, items: list[tuple[Question, Answer | None, int | None]], threshold: int) -> _Measured:
    earned = possible = level_known = level_unknown = 0
    low_extra = high_extra = middle_extra = 0.0
    answered: list[tuple[float, Question, Answer]] = []
    for question, answer, points in items:
        if points == NOT_APPLICABLE:
            continue
        possible += question.max_points
        if points is None or answer is None:
            level_unknown += 1
            low_extra += question.min_points
            high_extra += question.max_points
            middle_extra += unknown_points(question)
            continue
        level_known += 1
        earned += points
        answered.append((points / question.max_points, question, answer))
    low = round(100 * (earned + low_extra) / possible) if possible else None
    high = round(100 * (earned + high_extra) / possible) if possible else None
    value = round(100 * (earned + middle_extra) / possible) if possible and level_known else None
    known_possible = sum(q.max_points for _, q, _ in answered)
    known_score = round(100 * earned / known_possible) if known_possible else None
    answered.sort(key=lambda item: item[0])
    return _Measured(level, value, low, high, known_score, level_known, level_unknown, tuple(answered))


def _ruled_out(questionnaire: Questionnaire, level: Level, answers: Mapping[str, Answer],
               shown: list[tuple[Question, Answer | None, int | None]]) -> Evidence | None:
    """When none of the level's questions shows because a known answer rules them all out (no models in
    use: nothing is deployed), that answer: the level is missing, not unknown. A "don't know" rules
    nothing out."""
    if shown:
        return None
    cause: Evidence | None = None
    for question in questionnaire.level_questions[level.id]:
        trigger = questionnaire.question(question.when.question) if question.when else None
        if trigger is None or trigger.id not in answers:
            return None
        options = [o for o in (trigger.option(i) for i in selected(answers[trigger.id])) if o is not None]
        if not options or any(o.dont_know for o in options):
            return None
        cause = cause or _evidence(trigger, answers[trigger.id])
    return cause


def _states(measured: list[_Measured], threshold: int,
            ruled_out: Mapping[str, Evidence | None]) -> list[tuple[LevelState, Level | None]]:
    """Each level's state. A level nothing is known of counts as in place by implication when a level above
    it is in place on strong known answers (what was known of it reaches the threshold by itself): a
    warehouse that is queried every week implies that data is being collected. A level partly known
    stands on what is known of it; a level whose questions a known answer rules out is missing."""
    own: list[LevelState] = []
    for m in measured:
        if ruled_out.get(m.level.id) is not None:
            own.append(LevelState.MISSING)
        elif m.score is None:
            own.append(LevelState.UNKNOWN)
        elif m.score >= threshold and m.known_score is not None and m.known_score >= threshold:
            # In place on what was said: unknowns, counted as middling, never carry a level whose known
            # answers fall short.
            own.append(LevelState.IN_PLACE)
        elif m.score >= threshold * PARTLY_FROM:
            own.append(LevelState.PARTLY)
        else:
            own.append(LevelState.MISSING)
    states: list[tuple[LevelState, Level | None]] = []
    #: Walking down from the top: the nearest level above in place on strong known answers.
    above: Level | None = None
    for m, state in zip(reversed(measured), reversed(own), strict=True):
        if state is LevelState.UNKNOWN and above is not None:
            states.append((LevelState.IMPLIED, above))
        else:
            states.append((state, None))
        if state is LevelState.IN_PLACE and m.known_score is not None and m.known_score >= threshold:
            above = m.level
    states.reverse()
    return states


def _count_from_bottom(flags: object) -> int:
    count = 0
    for flag in flags:  # type: ignore[attr-defined]
        if not flag:
            break
        count += 1
    return count


def _contradictions(questionnaire: Questionnaire, answers: Mapping[str, Answer],
                    visible: frozenset[str]) -> tuple[ContradictionHit, ...]:
    """The declared contradictions whose every fact holds among the visible answers (known answers only:
    a "don't know" never contradicts anything)."""
    found = []
    for contradiction in questionnaire.contradictions:
        if all(fact.question in visible and set(selected(answers.get(fact.question))) & set(fact.any_of)
               for fact in contradiction.all_of):
            found.append(ContradictionHit(contradiction.text, tuple(f.question for f in contradiction.all_of)))
    return tuple(found)


def _inconsistencies(levels: tuple[LevelScore, ...], stage: int) -> tuple[str, ...]:
    """Levels in place on known answers above a next level that known answers show is not: work at the upper
    level probably rests on manual effort. Unknowns never raise a note."""
    if stage >= len(levels):
        return ()
    gap = levels[stage]
    if gap.state not in (LevelState.PARTLY, LevelState.MISSING):
        return ()
    notes = []
    for above in levels[stage + 1:]:
        if above.state is LevelState.IN_PLACE:
            notes.append(
                f"{above.level.title} is in place ({above.score}/100), yet {gap.level.title} below it is "
                f"{gap.state.label} ({gap.score}/100). Work at {above.level.title} probably rests on manual "
                f"effort or on a few people; it will not scale until {gap.level.title} is in place."
            )
    return tuple(notes)
