"""Ids named outside the questionnaires, checked against the published questionnaires when they load.

roles.yaml (`answered`, `cite`, `when`, `unless`, `available_when`), sectors.yaml, the code that turns
answers into advice and the templates that show them name questions, options, levels, roles, blockers and
signals by id. A typo there fails nothing on its own: a question that does not exist is simply never
answered, so a step or a sentence silently never applies (`report_metrics: [documentd]` once passed every
test). So every such reference must name something that exists in at least one published questionnaire
(or in roles.yaml, or in the closed set of signals), and a bad one fails with a line naming the file and the
place: the data files whenever `published()` loads the questionnaires; the code and the templates when the
app starts, in `groundwork questionnaire validate` and in the tests.

The data files are checked field by field. Code is checked by a scan rather than by annotations that code
would have to remember to add: every string literal shaped like an id (lowercase, digits and underscores) in
the modules that read answers by name and in the templates that show an assessment must be an id the data
defines, or one of the ordinary WORDS those files also use. A literal that is neither is reported; so a new
id in code is checked as soon as it is written, and a new word that is not an id is declared in WORDS.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from .schema import SIGNALS, JudgementWhen, PlanStep, Questionnaire, QuestionType, Roles, Sector, Sectors

#: The domain's modules that read answers by name are scanned; these handle ids only as data (they
#: never name one) and are not. A new module that names ids is scanned without anyone listing it.
GENERIC_MODULES = frozenset({"__init__.py", "schema.py", "answers.py", "scoring.py", "references.py"})

#: The templates that show an assessment, relative to the templates folder.
TEMPLATE_DIRS = ("assess", "results", "report", "_partials", "_macros")

#: Literals shaped like ids that are not ids: JSON keys, English words, HTML and confidence labels.
WORDS = frozenset({
    # JSON keys of to_dict(), attribute names
    "answer", "evidence", "first_hire", "question_id", "text", "score",
    # English, in sentences built from parts
    "a", "an", "aeiou", "is", "are", "it", "them", "this", "these", "s",
    # confidence labels and timing
    "low", "moderate", "high", "now", "unknown", "unsure",
    # HTML, its autocomplete tokens, and template variables
    "h2", "h3", "input", "button", "organization", "title", "role_title",
    # the organisation's own words (assessments/wording): placeholders of role texts, and whose data a
    # sentence speaks of
    "about", "systems", "records", "sources", "figure", "models", "decision", "our", "your", "the",
    # the advert's prose
    "work", "works",
    # a team's answers (assessments/team.py): seats, what a disagreement changes, how respondents are named
    "leadership", "technical", "business", "hire", "stage", "respondent", "answers", "changes_hire",
    "changes_stage", "counts", "names", "split", "h4", "jointly", "in",
    # nouns counted in words ("two blockers"), and kinds of tool (wording/phrasebook.TOOLS)
    "blocker", "question", "step", "database", "orchestration", "spreadsheet", "statistics",
})

_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,47}$")


@dataclass(frozen=True)
class Vocabulary:
    """Every id that the published questionnaires, roles.yaml and the signals define."""

    #: Question id -> every option id it has in any version.
    options: Mapping[str, frozenset[str]]
    levels: frozenset[str]
    blockers: frozenset[str]
    roles: frozenset[str]
    signals: frozenset[str]

    @classmethod
    def of(cls, questionnaires: Iterable[Questionnaire], roles: Roles) -> Vocabulary:
        options: dict[str, set[str]] = {}
        levels: set[str] = set()
        blockers: set[str] = set()
        for questionnaire in questionnaires:
            levels.update(lv.id for lv in questionnaire.levels)
            blockers.update(b.id for b in questionnaire.blockers)
            for question in questionnaire.questions:
                options.setdefault(question.id, set()).update(o.id for o in question.options)
        return cls(options={q: frozenset(o) for q, o in options.items()}, levels=frozenset(levels),
                   blockers=frozenset(blockers), roles=frozenset(r.id for r in roles.roles), signals=SIGNALS)

    def names(self) -> frozenset[str]:
        """Every id of every kind, and the schema's own words (question types, a sector's fields)."""
        return frozenset().union(self.options, *self.options.values(), self.levels, self.blockers, self.roles,
                                 self.signals, get_args(QuestionType), Sector.model_fields)


def check(vocabulary: Vocabulary, roles: Roles, sectors: Sectors, *, code_dir: Path | None = None,
          templates_dir: Path | None = None) -> list[str]:
    """Every reference that names nothing, one line each (empty when all is well)."""
    problems = [*_roles(roles, vocabulary), *_sectors(sectors, vocabulary)]
    known = vocabulary.names() | WORDS
    if code_dir is not None:
        for path in sorted(code_dir.rglob("*.py")):  # the judgement/ and wording/ packages too
            if path.name not in GENERIC_MODULES or path.parent != code_dir:
                name = path.relative_to(code_dir.parent).as_posix()
                problems += _unknown(name, _python_literals(path), known)
    if templates_dir is not None:
        for folder in TEMPLATE_DIRS:
            for path in sorted((templates_dir / folder).glob("**/*.html")):
                name = path.relative_to(templates_dir.parent).as_posix()
                problems += _unknown(name, _template_literals(path), known)
    return problems


def _roles(roles: Roles, vocabulary: Vocabulary) -> Iterator[str]:
    for role in roles.roles:
        for field in ("first_90_days", "skills", "technologies", "interview_questions"):
            for number, step in enumerate(getattr(role, field), start=1):
                if isinstance(step, PlanStep):
                    kind = "step" if field == "first_90_days" else "item"
                    where = f"roles.yaml: role {role.id!r}, {field} {kind} {number}"
                    yield from _when(f"{where}, when", step.when, vocabulary)
                    yield from _when(f"{where}, unless", step.unless, vocabulary)
                    yield from _cited(where, step.cite, vocabulary)
        yield from _when(f"roles.yaml: role {role.id!r}, available_when", role.available_when, vocabulary)
    for judgement in roles.judgements:
        where = f"roles.yaml: judgement {judgement.id!r}"
        yield from _when(f"{where}, when", judgement.when, vocabulary)
        yield from _cited(where, judgement.cite, vocabulary)


def _when(where: str, when: JudgementWhen | None, vocabulary: Vocabulary) -> Iterator[str]:
    if when is None:
        return
    for question_id, option_ids in when.answered.items():
        if question_id not in vocabulary.options:
            yield f"{where}: answered names question {question_id!r}, which no published questionnaire has"
            continue
        bad = [o for o in option_ids if o not in vocabulary.options[question_id]]
        if bad:
            yield f"{where}: answered names options {bad} that {question_id!r} has in no published questionnaire"
    for field in ("signals_all", "signals_any", "signals_none"):
        bad = [s for s in getattr(when, field) if s not in vocabulary.signals]
        if bad:
            yield f"{where}: {field} names unknown signals {bad}"
    for field in ("holds", "fails_any", "gap_in"):
        bad = [lv for lv in getattr(when, field) if lv not in vocabulary.levels]
        if bad:
            yield f"{where}: {field} names unknown levels {bad}"
    bad = [r for r in when.nobody_in_post_as if r not in vocabulary.roles]
    if bad:
        yield f"{where}: nobody_in_post_as names unknown roles {bad}"


def _cited(where: str, cite: tuple[str, ...], vocabulary: Vocabulary) -> Iterator[str]:
    bad = [q for q in cite if q not in vocabulary.options]
    if bad:
        yield f"{where}: cite names questions {bad} that no published questionnaire has"


def _sectors(sectors: Sectors, vocabulary: Vocabulary) -> Iterator[str]:
    offered = vocabulary.options.get("sector", frozenset())
    for sector_id in sectors.sectors:
        if sector_id not in offered:
            yield f"sectors.yaml: sector {sector_id!r} is not an option of 'sector' in any published questionnaire"


def _unknown(name: str, literals: Iterable[tuple[int, str]], known: frozenset[str]) -> Iterator[str]:
    for line, value in literals:
        if _IDENTIFIER.match(value) and value not in known:
            yield (f"{name}, line {line}: {value!r} names no question, option, level, role, blocker or signal of "
                   "any published questionnaire (if it is not an id, add it to references.WORDS)")


def _python_literals(path: Path) -> Iterator[tuple[int, str]]:
    """String literals of a module, leaving out docstrings and the text of f-strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.add(id(first.value))
        elif isinstance(node, ast.JoinedStr):
            skipped.update(id(part) for part in ast.walk(node) if isinstance(part, ast.Constant))
    yield from sorted((node.lineno, node.value) for node in ast.walk(tree)
                      if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped)


def _template_literals(path: Path) -> Iterator[tuple[int, str]]:
    """Quoted strings inside a Jinja template's {{ }} and {% %} (not its HTML text)."""
    from jinja2 import Environment  # only when templates are checked: the domain needs no Jinja otherwise

    for line, kind, value in Environment(autoescape=True).lex(path.read_text(encoding="utf-8")):
        if kind == "string":
            yield line, value[1:-1]
