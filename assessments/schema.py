"""Typed models of the questionnaire and role files, validated on load.

The questionnaire is data that people edit, so every mistake in it must fail
at load time with a message naming the file, the question and the problem,
never later as a wrong score. Pydantic does the shape checks (unknown keys
are rejected); the cross-reference checks live in the model validators.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationError,
    model_validator,
)

#: Ids become HTML form field names and JSON keys: lowercase, short, no dots.
Identifier = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9_]{0,47}$")]
Text = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=600)]

#: Facts about the organisation that options may declare and the
#: recommendation reads. A closed set, so that a typo fails at load time.
SIGNALS = frozenset(
    {"small_org", "large_org", "no_product", "wants_ml", "ml_soon", "ml_year", "wants_research", "ml_unsure",
     # Version 2: what leadership wants, and machine learning at scale.
     "wants_reporting", "wants_insight", "wants_production", "several_ml_teams", "fragmented_ml", "no_ml_design",
     "ml_overused", "labels_scattered",
     # Version 3: what the data scientists in post spend most of their time on.
     "ds_on_plumbing", "ds_on_reports"}
)

QuestionType = Literal["single", "multi", "number", "text"]


class QuestionnaireError(ValueError):
    """A questionnaire or roles file is invalid; the message says where and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    id: Identifier
    label: Text
    points: StrictInt | None = Field(default=None, ge=0, le=10)
    dont_know: StrictBool = False
    #: Blocker ids this answer raises (the "mud": reported apart from the score).
    raises: tuple[Identifier, ...] = ()
    #: Organisation facts this answer establishes, from SIGNALS.
    signals: tuple[Identifier, ...] = ()
    #: The question does not apply (nothing to measure yet): left out of the score, and not an unknown.
    not_applicable: StrictBool = False
    #: A data role (an id from roles.yaml) this answer says is already in post.
    in_post: Identifier | None = None


class Condition(_Strict):
    """Show a question only when an earlier question has one of these answers."""

    question: Identifier
    any_of: tuple[Identifier, ...] = Field(min_length=1)


class Question(_Strict):
    id: Identifier
    type: QuestionType
    text: Text
    help: Text
    level: Identifier | None = None
    required: StrictBool = True
    options: tuple[Option, ...] = ()
    when: Condition | None = None
    min: StrictInt | None = None
    max: StrictInt | None = None
    max_length: StrictInt | None = Field(default=None, ge=1, le=5000)

    @model_validator(mode="after")
    def _check(self) -> Question:
        choice = self.type in ("single", "multi")
        if choice and len(self.options) < 2:
            raise ValueError("a choice question needs at least two options")
        if not choice and self.options:
            raise ValueError(f"a {self.type} question takes no options")
        ids = [o.id for o in self.options]
        if len(ids) != len(set(ids)):
            raise ValueError(f"duplicate option ids: {sorted({i for i in ids if ids.count(i) > 1})}")
        if sum(o.dont_know for o in self.options) > 1:
            raise ValueError("at most one option may mean \"don't know\"")
        for option in self.options:
            if (option.dont_know or option.not_applicable) and option.points is not None:
                raise ValueError(f"option {option.id!r}: a \"don't know\" or \"not applicable\" option carries "
                                 "no points")
            if option.dont_know and option.not_applicable:
                raise ValueError(f"option {option.id!r}: cannot mean both \"don't know\" and \"not applicable\"")
            if self.level and not option.dont_know and not option.not_applicable and option.points is None:
                raise ValueError(f"option {option.id!r}: options of a scored question need points")
            unknown = set(option.signals) - SIGNALS
            if unknown:
                raise ValueError(f"option {option.id!r}: unknown signals {sorted(unknown)}")
        if self.level and not choice:
            raise ValueError("only choice questions can be scored on a level")
        if self.type != "number" and (self.min is not None or self.max is not None):
            raise ValueError("min and max apply to number questions only")
        if self.type != "text" and self.max_length is not None:
            raise ValueError("max_length applies to text questions only")
        return self

    # cached_property values live in the instance __dict__ and never change:
    # the models are frozen. Scoring calls these for every answer.
    @cached_property
    def dont_know_option(self) -> Option | None:
        return next((o for o in self.options if o.dont_know), None)

    @cached_property
    def _options(self) -> dict[str, Option]:
        return {o.id: o for o in self.options}

    def option(self, option_id: str) -> Option | None:
        return self._options.get(option_id)

    @cached_property
    def max_points(self) -> int:
        """The most points an answer can earn: the best option, or all options for multi."""
        points = [o.points or 0 for o in self.options if not o.dont_know and not o.not_applicable]
        return sum(points) if self.type == "multi" else max(points, default=0)

    @cached_property
    def min_points(self) -> int:
        """The fewest points an honest answer earns: what "don't know" counts as at worst."""
        points = [o.points or 0 for o in self.options if not o.dont_know and not o.not_applicable]
        return 0 if self.type == "multi" else min(points, default=0)

    @cached_property
    def has_effects(self) -> bool:
        """Whether an option declares signals, a role in post or blockers (what scoring collects beside points)."""
        return any(o.signals or o.in_post or o.raises for o in self.options)

    @cached_property
    def counted(self) -> bool:
        """Whether its answer counts towards the confidence: a choice that is scored or can be "don't know"."""
        return self.type in ("single", "multi") and bool(self.level or self.dont_know_option)

    @cached_property
    def middle_points(self) -> int:
        """What an unknown answer counts for in a level's score (see scoring.unknown_points)."""
        points = sorted(o.points or 0 for o in self.options if not o.dont_know and not o.not_applicable)
        return points[len(points) // 2]


class Section(_Strict):
    id: Identifier
    title: Text
    intro: Text
    questions: tuple[Question, ...] = Field(min_length=1)
    #: Why the section is skipped when none of its questions shows, completing "skipped because ..."
    #: on the progress line (for example "no models are in use yet").
    skipped_because: Text | None = None


class Level(_Strict):
    id: Identifier
    title: Text
    summary: Text


class Blocker(_Strict):
    id: Identifier
    title: Text
    why: Text
    fix: Text


class Condition2(_Strict):
    """One fact in a contradiction: the question was answered with one of these options."""

    question: Identifier
    any_of: tuple[Identifier, ...] = Field(min_length=1)


class Contradiction(_Strict):
    """Answers that cannot all be true at once; named on the result, and they lower the confidence."""

    id: Identifier
    text: Text
    all_of: tuple[Condition2, ...] = Field(min_length=2)


class CarriedQuestion(_Strict):
    """Where a question's answer comes from in the earlier version (for "start from a copy")."""

    #: The question's id in the earlier version.
    question: Identifier
    #: Earlier option id -> option id here. Leave empty with same_options for identical options.
    options: dict[Identifier, Identifier] = Field(default_factory=dict)
    same_options: StrictBool = False


class CarriedFrom(_Strict):
    version: StrictInt = Field(ge=1)
    #: Question id here -> its source there. A question not listed is new: it is asked afresh.
    questions: dict[Identifier, CarriedQuestion]


class Questionnaire(_Strict):
    id: Identifier
    version: StrictInt = Field(ge=1)
    title: Text
    #: The score (0-100) a level must reach to count as holding.
    threshold: StrictInt = Field(ge=1, le=100)
    levels: tuple[Level, ...] = Field(min_length=1)
    blockers: tuple[Blocker, ...] = ()
    sections: tuple[Section, ...] = Field(min_length=1)
    contradictions: tuple[Contradiction, ...] = ()
    carried_from: CarriedFrom | None = None

    @model_validator(mode="after")
    def _check_references(self) -> Questionnaire:
        for kind, ids in (
            ("level", [lv.id for lv in self.levels]),
            ("blocker", [b.id for b in self.blockers]),
            ("section", [s.id for s in self.sections]),
            ("question", [q.id for q in self.questions]),
        ):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"duplicate {kind} ids: {dupes}")
        levels = {lv.id for lv in self.levels}
        blockers = {b.id for b in self.blockers}
        seen: dict[str, Question] = {}
        for question in self.questions:
            where = f"question {question.id!r}"
            if question.level and question.level not in levels:
                raise ValueError(f"{where}: unknown level {question.level!r}")
            for option in question.options:
                missing = set(option.raises) - blockers
                if missing:
                    raise ValueError(f"{where}: option {option.id!r} raises unknown blockers {sorted(missing)}")
            if question.when:
                target = seen.get(question.when.question)
                if target is None:
                    raise ValueError(
                        f"{where}: condition refers to {question.when.question!r}, which is not an earlier question"
                    )
                if target.type not in ("single", "multi"):
                    raise ValueError(f"{where}: condition must refer to a choice question")
                bad = [o for o in question.when.any_of if target.option(o) is None]
                if bad:
                    raise ValueError(f"{where}: condition names options {bad} that {target.id!r} does not have")
            seen[question.id] = question
        for level in self.levels:
            if not any(q.level == level.id for q in self.questions):
                raise ValueError(f"level {level.id!r} has no questions")
        for contradiction in self.contradictions:
            for fact in contradiction.all_of:
                question = seen.get(fact.question)
                if question is None:
                    raise ValueError(f"contradiction {contradiction.id!r}: unknown question {fact.question!r}")
                bad = [o for o in fact.any_of if question.option(o) is None]
                if bad:
                    raise ValueError(f"contradiction {contradiction.id!r}: {fact.question!r} has no options {bad}")
        if self.carried_from is not None:
            for qid, carried in self.carried_from.questions.items():
                question = seen.get(qid)
                if question is None:
                    raise ValueError(f"carried_from: unknown question {qid!r}")
                if carried.same_options == bool(carried.options) and question.options:
                    raise ValueError(f"carried_from {qid!r}: give options, or same_options: true")
                bad = [o for o in carried.options.values() if question.option(o) is None]
                if bad:
                    raise ValueError(f"carried_from {qid!r}: maps to options {bad} that it does not have")
        return self

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    @cached_property
    def _index(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    def question(self, question_id: str) -> Question | None:
        return self._index.get(question_id)

    def blocker(self, blocker_id: str) -> Blocker:
        return self._blockers[blocker_id]

    @cached_property
    def _blockers(self) -> dict[str, Blocker]:
        return {b.id: b for b in self.blockers}

    def level_index(self, level_id: str) -> int:
        """1 for the bottom level, len(levels) for the top."""
        return self.level_indexes[level_id]

    @cached_property
    def level_indexes(self) -> dict[str, int]:
        """Level id -> level_index."""
        return {lv.id: i for i, lv in enumerate(self.levels, start=1)}

    @cached_property
    def triggers(self) -> frozenset[str]:
        """Ids of the questions that another question's condition names (their answers decide what shows)."""
        return frozenset(q.when.question for q in self.questions if q.when is not None)

    @cached_property
    def level_questions(self) -> dict[str, tuple[Question, ...]]:
        """Each level's scored questions, in questionnaire order."""
        return {lv.id: tuple(q for q in self.questions if q.level == lv.id) for lv in self.levels}

    @property
    def key(self) -> tuple[str, int]:
        return (self.id, self.version)


class JudgementWhen(_Strict):
    """Facts that must all be true of a scored assessment for a judgement to apply."""

    #: Each question answered with one of these options (a question absent from the questionnaire never is).
    answered: dict[Identifier, tuple[Identifier, ...]] = Field(default_factory=dict)
    signals_all: tuple[Identifier, ...] = ()
    signals_any: tuple[Identifier, ...] = ()
    signals_none: tuple[Identifier, ...] = ()
    #: Levels that must hold (their low end reaches the threshold).
    holds: tuple[Identifier, ...] = ()
    #: At least one of these levels must not hold.
    fails_any: tuple[Identifier, ...] = ()
    #: The lowest level that does not hold must be one of these.
    gap_in: tuple[Identifier, ...] = ()
    #: None of these roles (ids from roles.yaml) is in post.
    nobody_in_post_as: tuple[Identifier, ...] = ()


class PlanStep(_Strict):
    """A first-months step, taken only where the answers call for it (and quoting them)."""

    text: Text
    #: The step applies only when this holds...
    when: JudgementWhen | None = None
    #: ...and not when this holds (the organisation already has what the step would build).
    unless: JudgementWhen | None = None
    #: Questions whose answers the step answers ("because you said ...").
    cite: tuple[Identifier, ...] = ()


class Role(_Strict):
    id: Identifier
    title: Text
    summary: Text
    builds: tuple[Identifier, ...] = ()
    needs: Identifier | None = None
    next: Identifier
    #: Why hiring this role before its level holds goes wrong (absent for foundation roles).
    premature_because: Text | None = None
    #: Evidence that this role's work exists even though its `needs` level does not hold yet
    #: (models already in use give a machine learning engineer work): then it is not premature.
    available_when: JudgementWhen | None = None
    #: Skills and technologies to screen for; a conditional one (`when`) only where the answers call for it
    #: (scale only where the data is large).
    skills: tuple[Text | PlanStep, ...] = Field(min_length=1)
    technologies: tuple[Text | PlanStep, ...] = Field(min_length=1)
    first_90_days: tuple[Text | PlanStep, ...] = Field(min_length=1)
    #: A step built around leadership's own question, when they typed one; `{question}` is replaced by it.
    main_question_step: Text | None = None
    #: Interview questions; {records}, {sources}, {figure}, {models} and {decision} take the organisation's
    #: own words or neutral ones (assessments.wording.Words).
    interview_questions: tuple[Text | PlanStep, ...] = Field(min_length=1)


class Judgement(_Strict):
    """Evidence that calls for a particular hire, whatever the lowest missing level says; or, without
    `hire`, a note added to the reasons. The first judgement that applies decides."""

    id: Identifier
    hire: Identifier | None = None
    runner_up: Identifier | None = None
    when: JudgementWhen
    reason: Text
    #: Questions whose answers are quoted beside the reason.
    cite: tuple[Identifier, ...] = ()
    #: Roles the reason argues against: a judgement never applies where it would argue against the hire.
    against: tuple[Identifier, ...] = ()


class Roles(_Strict):
    roles: tuple[Role, ...] = Field(min_length=1)
    judgements: tuple[Judgement, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Roles:
        ids = {r.id for r in self.roles}
        if len(ids) != len(self.roles):
            raise ValueError("duplicate role ids")
        for role in self.roles:
            if role.next not in ids or role.next == role.id:
                raise ValueError(f"role {role.id!r}: next must name another role, not {role.next!r}")
        for judgement in self.judgements:
            named = (judgement.hire, judgement.runner_up, *judgement.against)
            bad = [r for r in named if r is not None and r not in ids]
            if bad:
                raise ValueError(f"judgement {judgement.id!r}: unknown roles {bad}")
            unknown = set(judgement.when.signals_all + judgement.when.signals_any + judgement.when.signals_none)
            if unknown - SIGNALS:
                raise ValueError(f"judgement {judgement.id!r}: unknown signals {sorted(unknown - SIGNALS)}")
        return self

    def get(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)

    def check_levels(self, questionnaire: Questionnaire) -> None:
        """Roles name levels; make sure every one exists in this questionnaire."""
        levels = {lv.id for lv in questionnaire.levels}
        for role in self.roles:
            bad = [lv for lv in (*role.builds, *([role.needs] if role.needs else [])) if lv not in levels]
            if bad:
                raise QuestionnaireError(f"role {role.id!r} names unknown levels {bad}")
        for judgement in self.judgements:
            named = (*judgement.when.holds, *judgement.when.fails_any, *judgement.when.gap_in)
            bad = [lv for lv in named if lv not in levels]
            if bad:
                raise QuestionnaireError(f"judgement {judgement.id!r} names unknown levels {bad}")
        for level in questionnaire.levels:
            if not any(level.id in r.builds for r in self.roles):
                raise QuestionnaireError(f"no role builds level {level.id!r}")
        ids = {r.id for r in self.roles}
        for question in questionnaire.questions:
            for option in question.options:
                if option.in_post and option.in_post not in ids:
                    raise QuestionnaireError(f"question {question.id!r}, option {option.id!r}: in_post names "
                                             f"unknown role {option.in_post!r}")


class Sector(_Strict):
    """What is true of every organisation in a sector (assessments/sectors.yaml): never examples of its data,
    which come from the organisation's own words."""

    legal: Text


class Sectors(_Strict):
    sectors: dict[Identifier, Sector]

    @model_validator(mode="after")
    def _check(self) -> Sectors:
        if "other" not in self.sectors:
            raise ValueError("sectors need an 'other' entry for organisations that name none")
        return self

    def of(self, sector_id: object) -> Sector:
        return self.sectors.get(sector_id if isinstance(sector_id, str) else "other", self.sectors["other"])


def load_sectors(path: Path) -> Sectors:
    return _load(path, Sectors)


def _where(raw: Any, loc: tuple[Any, ...]) -> str:
    """Turn a pydantic error location into words: 'question "x", option "y", field'."""
    parts: list[str] = []
    node = raw
    prev: Any = None
    for step in loc:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            parts.append(str(step))
            node = None
            continue
        if isinstance(node, dict) and isinstance(step, int) and "id" in node:
            kind = {"sections": "section", "questions": "question", "options": "option", "levels": "level",
                    "blockers": "blocker", "roles": "role"}.get(str(prev), "item")
            parts.append(f"{kind} {node['id']!r}")
        elif not isinstance(step, int) and step not in ("sections", "questions", "options", "levels",
                                                          "blockers", "roles"):
            parts.append(str(step))
        prev = step
    return ", ".join(parts)


def _errors(path: Path, raw: Any, error: ValidationError) -> QuestionnaireError:
    lines = []
    for err in error.errors():
        where = _where(raw, tuple(err["loc"]))
        message = err["msg"].removeprefix("Value error, ")
        lines.append(f"{path.name}: {where + ': ' if where else ''}{message}")
    return QuestionnaireError("\n".join(lines))


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML 1.2-style booleans: 'yes', 'no', 'on' and 'off' stay strings (they are option ids).

    libyaml's parser when PyYAML has it (several times faster: every command loads the questionnaire).
    """


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def parse_yaml(text: str) -> Any:
    """Safe YAML where yes/no stay strings (they are option ids). Raises yaml.YAMLError."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


def read_yaml(path: Path) -> Any:
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise QuestionnaireError(f"{path.name}: not valid YAML: {exc}") from exc
    except OSError as exc:
        raise QuestionnaireError(f"{path}: cannot read: {exc.strerror}") from exc


M = TypeVar("M", bound=BaseModel)


def _load(path: Path, model: type[M]) -> M:
    """Read a YAML data file into its typed model; QuestionnaireError names the file, the place and why."""
    raw = read_yaml(path)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise _errors(path, raw, exc) from None


def load_questionnaire(path: Path) -> Questionnaire:
    return _load(path, Questionnaire)


def load_roles(path: Path) -> Roles:
    return _load(path, Roles)
