"""Answers to level scores, stage, confidence, blockers and inconsistencies.

Pure functions of (questionnaire, answers): no I/O, no Flask, so the web app,
the PDF, the CLI and the tests all score with exactly the same code.

Design choices worth knowing:
- Each level gets a range: `low` counts every unknown answer ("don't know",
  or not answered) as the weakest honest answer, `high` as the strongest. The
  stage shown rests on `low`, so answering "don't know" can never raise it or
  a level's low end: honesty is never penalised, and the score cannot be
  gamed. `possible_stage` is what the levels would reach were every unknown
  favourable.
- An answer that says a question does not apply yet (nothing to measure) is
  left out altogether: neither known nor unknown.
- Foundations gate the levels above: the stage is the highest level such that
  it and every level below it reach the threshold. A level scoring well above
  a failing one is reported as an inconsistency, not counted.
- Contradictions declared in the questionnaire (answers that cannot all be
  true) are named and lower the confidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class LevelScore:
    level: Level
    #: 0-100 with every unknown answer at its weakest (= low), or None when nothing about the level is known.
    score: int | None
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
    #: 0 when no level holds; 1 for the bottom level.
    stage: int
    confidence: float
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
    #: The stage the recommendation works from: a level counts when its low end holds, or when what is
    #: known of it is strong (unknowns then make the result less certain, not a different hire).
    likely_stage: int = 0
    contradictions: tuple[ContradictionHit, ...] = ()
    #: Role ids the answers say are already in post.
    in_post: frozenset[str] = frozenset()

    @property
    def confidence_label(self) -> str:
        return confidence_label(self.confidence)

    @property
    def stage_level(self) -> Level | None:
        return self.questionnaire.levels[self.stage - 1] if self.stage else None

    def cite(self, question_id: str) -> Evidence | None:
        """The answer to a visible question, ready to quote, or None."""
        question = self.questionnaire.question(question_id)
        if question is None or question_id not in self.visible or question_id not in self.answers:
            return None
        return _evidence(question, self.answers[question_id])

    def level(self, level_id: str) -> LevelScore:
        return next(ls for ls in self.levels if ls.level.id == level_id)

    @property
    def first_gap(self) -> LevelScore | None:
        """The lowest level that does not hold: where work is needed first."""
        return self.levels[self.stage] if self.stage < len(self.levels) else None

    @property
    def likely_gap(self) -> LevelScore | None:
        """The lowest level that probably does not hold, given what is known: what the hire builds."""
        return self.levels[self.likely_stage] if self.likely_stage < len(self.levels) else None


def confidence_label(value: float) -> str:
    if value >= 0.85:
        return "high"
    if value >= 0.6:
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


def score(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> Scored:
    """Score clean answers (see answers.clean_answers) on their questionnaire."""
    visible = visible_questions(questionnaire, answers)
    #: Per level: (question, its answer, the points it earned: None if unknown, NOT_APPLICABLE).
    by_level: dict[str, list[tuple[Question, Answer | None, int | None]]] = {lv.id: [] for lv in questionnaire.levels}
    known = unknown = 0
    signals: set[str] = set()
    in_post: set[str] = set()
    blockers: list[BlockerHit] = []
    raised: set[str] = set()
    for question in visible:
        answer = answers.get(question.id)
        options = [o for o in (question.option(i) for i in selected(answer)) if o is not None]
        for option in options:
            signals.update(option.signals)
            if option.in_post:
                in_post.add(option.in_post)
            for blocker_id in option.raises:
                if blocker_id not in raised:
                    raised.add(blocker_id)
                    b = questionnaire.blocker(blocker_id)
                    blockers.append(BlockerHit(b.id, b.title, b.why, b.fix, _evidence(question, answer),
                                               unsure=option.dont_know))
        points = points_of(options)
        if question.level:
            by_level[question.level].append((question, answer, points))
        if question.type in ("single", "multi") and (question.level or question.dont_know_option):
            if points is None:
                unknown += 1
            elif points != NOT_APPLICABLE:
                known += 1

    threshold = questionnaire.threshold
    levels: list[LevelScore] = []
    holding = possible_holding = True
    stage = possible_stage = 0
    for index, level in enumerate(questionnaire.levels, start=1):
        earned = possible = low_extra = high_extra = level_known = level_unknown = 0
        answered: list[tuple[float, Question, Answer]] = []
        for question, answer, points in by_level[level.id]:
            if points == NOT_APPLICABLE:
                continue
            possible += question.max_points
            if points is None or answer is None:
                level_unknown += 1
                low_extra += question.min_points
                high_extra += question.max_points
                continue
            level_known += 1
            earned += points
            answered.append((points / question.max_points, question, answer))
        low = round(100 * (earned + low_extra) / possible) if possible else None
        high = round(100 * (earned + high_extra) / possible) if possible else None
        known_possible = sum(q.max_points for _, q, _ in answered)
        known_score = round(100 * earned / known_possible) if known_possible else None
        value = low if level_known else None
        reached = low is not None and low >= threshold
        holding = holding and reached
        possible_holding = possible_holding and high is not None and high >= threshold
        if holding:
            stage = index
        if possible_holding:
            possible_stage = index
        answered.sort(key=lambda item: item[0])
        levels.append(LevelScore(level=level, score=value, reached=reached and index <= stage, known=level_known,
                                 unknown=level_unknown, low=low, high=high, answered=tuple(answered),
                                 known_score=known_score))

    likely_stage = _likely_stage(levels, threshold)
    contradictions = _contradictions(questionnaire, answers, frozenset(q.id for q in visible))
    #: When nothing is known of the level the recommendation is about, confidence is moderate at most.
    gap_unknown = likely_stage < len(levels) and levels[likely_stage].known == 0
    total = known + unknown
    confidence = round(known / total, 2) if total else 0.0
    confidence = round(max(0.0, confidence - CONTRADICTION_PENALTY * len(contradictions)), 2)
    if gap_unknown:
        confidence = min(confidence, 0.84)
    return Scored(
        questionnaire=questionnaire,
        levels=tuple(levels),
        stage=stage,
        confidence=confidence,
        known=known,
        unknown=unknown,
        signals=frozenset(signals),
        blockers=tuple(blockers),
        inconsistencies=_inconsistencies(levels, stage, threshold),
        answers=answers,
        visible=frozenset(q.id for q in visible),
        possible_stage=max(possible_stage, stage),
        likely_stage=max(likely_stage, stage),
        contradictions=contradictions,
        in_post=frozenset(in_post),
    )


def _likely_stage(levels: list[LevelScore], threshold: int) -> int:
    """The stage on the evidence given. A level counts when its low end holds, or when what is known of
    it is strong; a level nothing is known about counts when a level above it is known to hold (a
    working warehouse implies that data is being collected)."""
    evident = [(ls.low is not None and ls.low >= threshold)
               or (ls.known_score is not None and ls.known_score >= threshold) for ls in levels]
    likely = [held or (ls.known_score is None and any(evident[i + 1:]))
              for i, (ls, held) in enumerate(zip(levels, evident, strict=True))]
    stage = 0
    for held in likely:
        if not held:
            break
        stage += 1
    return stage


def _contradictions(questionnaire: Questionnaire, answers: Mapping[str, Answer],
                    visible: frozenset[str]) -> tuple[ContradictionHit, ...]:
    """The declared contradictions whose every fact holds among the visible answers."""
    found = []
    for contradiction in questionnaire.contradictions:
        if all(fact.question in visible and set(selected(answers.get(fact.question))) & set(fact.any_of)
               for fact in contradiction.all_of):
            found.append(ContradictionHit(contradiction.text, tuple(f.question for f in contradiction.all_of)))
    return tuple(found)


def _inconsistencies(levels: list[LevelScore], stage: int, threshold: int) -> tuple[str, ...]:
    """Upper levels that score well on top of a foundation that does not hold."""
    if stage >= len(levels):
        return ()
    gap = levels[stage]
    notes = []
    for above in levels[stage + 1:]:
        if above.score is not None and above.score >= threshold:
            gap_score = "no known answers" if gap.score is None else f"{gap.score}/100"
            notes.append(
                f"{above.level.title} scores {above.score}/100, yet {gap.level.title} below it has "
                f"{gap_score}. Work at the upper level probably rests on manual effort or on a few "
                f"people; it will not scale until {gap.level.title} holds."
            )
    return tuple(notes)
