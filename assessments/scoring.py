"""Answers to level scores, stage, confidence, blockers and inconsistencies.

Pure functions of (questionnaire, answers): no I/O, no Flask, so the web app,
the PDF, the CLI and the tests all score with exactly the same code.

Design choices worth knowing:
- "Don't know" and unanswered questions are left out of a level's score (they
  are not zero) and lower the confidence instead.
- Foundations gate the levels above: the stage is the highest level such that
  it and every level below it reach the threshold. A level scoring well above
  a failing one is reported as an inconsistency, not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .answers import Answer, answer_label, selected, visible_questions
from .schema import Level, Question, Questionnaire


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
    #: 0-100, or None when no question of the level has a known answer.
    score: int | None
    reached: bool
    known: int
    unknown: int
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

    @property
    def detail(self) -> str:
        return f"{self.why} You answered \u201c{self.evidence.answer}\u201d to \u201c{self.evidence.question}\u201d"


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


def confidence_label(value: float) -> str:
    if value >= 0.85:
        return "high"
    if value >= 0.6:
        return "moderate"
    return "low"


def _evidence(question: Question, answer: Answer | None) -> Evidence:
    return Evidence(question.id, question.text, answer_label(question, answer))


def _points(question: Question, answer: Answer | None) -> int | None:
    """Points earned, or None when the answer is unknown (missing or "don't know")."""
    chosen = [question.option(o) for o in selected(answer)]
    chosen = [o for o in chosen if o is not None]
    if not chosen or any(o.dont_know for o in chosen):
        return None
    return sum(o.points or 0 for o in chosen)


def score(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> Scored:
    """Score clean answers (see answers.clean_answers) on their questionnaire."""
    visible = visible_questions(questionnaire, answers)
    by_level: dict[str, list[Question]] = {lv.id: [] for lv in questionnaire.levels}
    known = unknown = 0
    signals: set[str] = set()
    blockers: list[BlockerHit] = []
    raised: set[str] = set()
    for question in visible:
        answer = answers.get(question.id)
        options = [o for o in (question.option(i) for i in selected(answer)) if o is not None]
        for option in options:
            signals.update(option.signals)
            for blocker_id in option.raises:
                if blocker_id not in raised:
                    raised.add(blocker_id)
                    b = questionnaire.blocker(blocker_id)
                    blockers.append(BlockerHit(b.id, b.title, b.why, b.fix, _evidence(question, answer)))
        if question.level:
            by_level[question.level].append(question)
        if question.type in ("single", "multi") and (question.level or question.dont_know_option):
            if not options or any(o.dont_know for o in options):
                unknown += 1
            else:
                known += 1

    threshold = questionnaire.threshold
    levels: list[LevelScore] = []
    holding = True
    stage = 0
    for index, level in enumerate(questionnaire.levels, start=1):
        earned = possible = level_known = level_unknown = 0
        answered: list[tuple[float, Question, Answer]] = []
        for question in by_level[level.id]:
            answer = answers.get(question.id)
            points = _points(question, answer)
            if points is None or answer is None:
                level_unknown += 1
                continue
            level_known += 1
            earned += points
            possible += question.max_points
            answered.append((points / question.max_points, question, answer))
        value = round(100 * earned / possible) if possible else None
        reached = value is not None and value >= threshold
        holding = holding and reached
        if holding:
            stage = index
        answered.sort(key=lambda item: item[0])
        levels.append(LevelScore(level, value, reached and index <= stage, level_known, level_unknown,
                                 tuple(answered)))

    total = known + unknown
    confidence = round(known / total, 2) if total else 0.0
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
    )


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
