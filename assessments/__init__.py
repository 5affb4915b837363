"""Groundwork's domain: the questionnaire, scoring and the hiring recommendation.

Importable without Flask. `evaluate` is the one entry point that the CLI, the
web app and the PDF report call; `Outcome.to_dict` is the JSON contract of
`groundwork score --json`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .answers import Answer, AnswerError, Answers, clean_answers
from .recommend import Recommendation, recommend
from .schema import Questionnaire, QuestionnaireError, Roles, Sectors, load_questionnaire, load_roles, load_sectors
from .scoring import Scored, score
from .story import Story, tell
from .team import Response, Team

__all__ = [
    "AnswerError", "Answers", "Outcome", "Questionnaire", "QuestionnaireError", "Response", "Team",
    "UnknownQuestionnaire", "carry_forward", "check_references", "current", "evaluate", "get", "published",
    "published_files", "roles",
]

DATA_DIR = Path(__file__).parent
QUESTIONNAIRE_DIR = DATA_DIR / "questionnaires"


class UnknownQuestionnaire(LookupError):
    pass


@cache
def published() -> dict[tuple[str, int], Questionnaire]:
    """Every questionnaire version shipped with Groundwork, validated once per process, with every id that
    roles.yaml and sectors.yaml name checked against them (see references)."""
    found = published_files()
    check_references(found.values())
    return found


@cache
def published_files() -> dict[tuple[str, int], Questionnaire]:
    """Every published questionnaire, each valid on its own, before the cross-file reference check."""
    found: dict[tuple[str, int], Questionnaire] = {}
    for path in sorted(QUESTIONNAIRE_DIR.glob("*.yaml")):
        questionnaire = load_questionnaire(path)
        if questionnaire.key in found:
            raise QuestionnaireError(f"{path.name}: {questionnaire.id} version {questionnaire.version} "
                                     "is published twice")
        roles().check_levels(questionnaire)
        found[questionnaire.key] = questionnaire
    if not found:
        raise QuestionnaireError(f"no questionnaire in {QUESTIONNAIRE_DIR}")
    return found


def check_references(questionnaires: Iterable[Questionnaire], *, code_dir: Path | None = None,
                     templates_dir: Path | None = None) -> None:
    """Raise QuestionnaireError, one line per problem, when roles.yaml, sectors.yaml, the modules in
    `code_dir` or the templates in `templates_dir` name an id that none of `questionnaires` defines.

    The data files, which people edit, are checked whenever the questionnaires load; code and templates,
    which change only with a release, when the app starts, by `groundwork questionnaire validate` and by
    the tests (scanning source costs more than everything else here)."""
    from . import references  # scans source: only where the checks run, not for every command

    vocabulary = references.Vocabulary.of(questionnaires, roles())
    problems = references.check(vocabulary, roles(), sectors(), code_dir=code_dir, templates_dir=templates_dir)
    if problems:
        raise QuestionnaireError("\n".join(problems))


@cache
def roles() -> Roles:
    return load_roles(DATA_DIR / "roles.yaml")


@cache
def sectors() -> Sectors:
    return load_sectors(DATA_DIR / "sectors.yaml")


_roles, _sectors = roles, sectors  # evaluate's keyword arguments shadow the names


def current(questionnaire_id: str = "groundwork") -> Questionnaire:
    """The newest published version: what new assessments are answered on."""
    versions = [q for (qid, _), q in published().items() if qid == questionnaire_id]
    if not versions:
        raise UnknownQuestionnaire(f"no questionnaire {questionnaire_id!r}")
    return max(versions, key=lambda q: q.version)


@cache
def _one(questionnaire_id: str, version: int) -> Questionnaire | None:
    """A single published file, by its conventional name: the command line needs only the one it scores.

    The ids that roles.yaml and the code name are checked against every version together (a reference may
    belong to an older one), so that check runs where all are loaded: published(), the app's start-up,
    `groundwork questionnaire validate` and the tests; not here, where not loading them all is the point."""
    path = QUESTIONNAIRE_DIR / f"{questionnaire_id}-v{version}.yaml"
    if not path.is_file():
        return None
    questionnaire = load_questionnaire(path)
    if questionnaire.key != (questionnaire_id, version):
        return None
    roles().check_levels(questionnaire)
    return questionnaire


def get(questionnaire_id: str, version: int) -> Questionnaire:
    if published.cache_info().currsize:  # the app has loaded (and checked) them all at start-up
        found = published().get((questionnaire_id, version))
    else:
        found = _one(questionnaire_id, version)
    if found is not None:
        return found
    try:
        return published()[(questionnaire_id, version)]
    except KeyError:
        known = ", ".join(f"{i} v{v}" for i, v in sorted(published()))
        raise UnknownQuestionnaire(
            f"no questionnaire {questionnaire_id!r} version {version}; published: {known}") from None


@dataclass(frozen=True, slots=True)
class Outcome:
    """Everything Groundwork concludes from one set of answers."""

    questionnaire: Questionnaire
    answers: Mapping[str, Answer]
    scored: Scored
    recommendation: Recommendation
    #: How a team answered, when several people did (see team.py); None for one respondent.
    team: Team | None = None
    _story: Story | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def story(self) -> Story:
        """The stage in words, as every page tells it (see story.py): told once per outcome, since it is a
        function of `scored` and `team` alone and pages read it several times."""
        if self._story is None:
            object.__setattr__(self, "_story", tell(self.scored, team=self.team))
        assert self._story is not None
        return self._story

    def to_dict(self) -> dict[str, Any]:
        s, r = self.scored, self.recommendation
        stage = s.stage_level
        return {
            "questionnaire": {"id": self.questionnaire.id, "version": self.questionnaire.version},
            "stage": {"index": s.stage, "id": stage.id if stage else None, "title": stage.title if stage else None,
                      "possible_index": s.possible_stage,
                      "next": s.next_level.level.id if s.next_level else None},
            "levels": [
                {"id": ls.level.id, "title": ls.level.title, "score": ls.score, "reached": ls.reached,
                 "low": ls.low, "high": ls.high, "state": ls.state.value,
                 "implied_by": ls.implied_by.id if ls.implied_by else None}
                for ls in s.levels
            ],
            "confidence": {"value": s.confidence, "label": s.confidence_label},
            "recommendation": {
                "first_hire": r.first_hire.id if r.first_hire else None,
                "not_yet": r.not_yet,
                "generalist": r.generalist,
                "runner_up": r.runner_up.id if r.runner_up else None,
                "premature": [{"role": p.role.id, "reason": p.reason.text} for p in r.premature],
                "reasons": [reason.to_dict() for reason in r.reasons],
                "first_90_days": list(r.first_90_days),
                "screen_for": list(r.screen_for),
                "borderline": r.borderline,
                "would_change": [c.to_dict() for c in r.would_change],
                "in_post": list(r.in_post),
                "strengthen": r.strengthen,
                "another": r.another.id if r.another else None,
                "provisional": r.provisional,
                "find_out": [item.text for item in r.find_out],
            },
            "blockers": [
                {"id": b.id, "title": b.title, "detail": b.detail, "fix": b.fix} for b in s.blockers
            ],
            "inconsistencies": list(s.inconsistencies),
            "expectations": list(r.expectations),
            "contradictions": [c.to_dict() for c in s.contradictions],
            **({"respondents": len(self.team.respondents),
                "disagreements": [d.to_dict() for d in self.team.disagreements]} if self.team else {}),
        }


def evaluate(questionnaire: Questionnaire, answers: Mapping[str, Any], *, borderline: bool = True,
             roles: Roles | None = None, sectors: Sectors | None = None) -> Outcome:
    """Check, score and recommend. Raises AnswerError for answers that do not fit.

    A pure function of its inputs: the CLI, the web pages, the PDF and the
    tests all call it, and it is cheap enough to call on every view.
    `borderline=False` skips the search for answers that would change the
    first hire (the history and exports do not show it). `roles` and `sectors` default to the
    files shipped now; the web app passes the rules an assessment was finished under.
    """
    clean = clean_answers(questionnaire, answers)
    scored = score(questionnaire, clean)
    return Outcome(questionnaire, MappingProxyType(clean), scored,
                   recommend(scored, roles if roles is not None else _roles(), explore=borderline,
                             sectors=sectors if sectors is not None else _sectors()))


def carry_forward(answers: Mapping[str, Any], source: Questionnaire,
                  target: Questionnaire) -> tuple[dict[str, Any], list[str]]:
    """Answers given on `source`, expressed on `target`, and the ids of target's questions left to ask.

    Same version: the answers as they are. Otherwise only through `target.carried_from`, the explicit
    map a newer version publishes for the one before it: a question carries over when it is listed
    and the option given is mapped (or the options are declared identical); nothing is matched by
    ids that merely look alike. An older source goes through each version's map in turn (1 -> 2 -> 3),
    and a question new on the way stays new.
    """
    if source.key == target.key:
        return {k: v for k, v in answers.items() if target.question(k) is not None}, []
    mapping = target.carried_from
    unfilled: list[str] = []
    if mapping is not None and source.id == target.id and source.version < mapping.version:
        middle = get(target.id, mapping.version)
        answers, unfilled = carry_forward(answers, source, middle)
        source = middle
    carried: dict[str, Any] = {}
    if mapping is not None and mapping.version == source.version and source.id == target.id:
        for question_id, origin in mapping.questions.items():
            if origin.question not in answers:
                continue
            value = answers[origin.question]
            question = target.question(question_id)
            assert question is not None  # checked when the questionnaire was loaded
            if question.type in ("single", "multi") and not origin.same_options:
                values = value if isinstance(value, list) else [value]
                mapped = [origin.options[v] for v in values if v in origin.options]
                if not mapped:
                    continue
                value = mapped if question.type == "multi" else mapped[0]
            carried[question_id] = value
    origins = mapping.questions if mapping else {}
    new = [q.id for q in target.questions if q.id not in origins or origins[q.id].question in unfilled]
    return carried, new
