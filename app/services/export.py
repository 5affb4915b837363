"""An organisation's assessments as CSV or JSON: what each said when finished, and every answer.

Read from the recorded outcomes a batch at a time (history.batches) and streamed, so that an
organisation with thousands of assessments is exported without scoring any or holding them all.

Cells a spreadsheet would run as a formula are neutralised, because exports
carry free text that anyone in the organisation could have typed.

A team round is exported as one assessment (its combined answers and what they said) with each
respondent's own answers beside it: in JSON a `respondents` list (seat, name, finished or not,
answers), in CSV one row per respondent after the round's row, with `row` saying which is which.
Exports are for the organisation's members, who see every respondent's answers once the round is closed;
an open round is exported without them (a member still answering must not read the others' first).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from assessments.schema import Questionnaire

from ..extensions import db
from ..models import Assessment
from .history import Entry, answers_by_assessment

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FIXED_COLUMNS = ["assessment_id", "label", "organisation_name", "created_at", "completed_at", "questionnaire",
                 "questionnaire_version", "stage", "stage_title", "confidence", "first_hire", "runner_up",
                 "row", "seat", "respondent"]


def neutralise(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def records(entries: list[Entry]) -> list[dict[str, Any]]:
    """What each assessment said when it was finished (its recorded outcome), and its answers."""
    answers = answers_by_assessment(e.assessment.id for e in entries)
    # An open round's answers stay private until it closes (nobody sees another's answers before finishing).
    respondents = _respondents([e.assessment.id for e in entries if e.assessment.is_round and e.assessment.is_complete])
    found = []
    for entry in entries:
        a, s = entry.assessment, entry.summary or {}
        found.append({
            "assessment_id": a.id,
            "label": a.label,
            "organisation_name": a.organisation_name,
            "created_at": a.created_at.isoformat(),
            "completed_at": a.completed_at.isoformat() if a.completed_at else None,
            "questionnaire": a.questionnaire_id,
            "questionnaire_version": a.questionnaire_version,
            "stage": s.get("stage"),
            "stage_title": s.get("stage_title"),
            "confidence": s.get("confidence"),
            "first_hire": s.get("first_hire"),
            "runner_up": s.get("runner_up"),
            "levels": {lv["id"]: lv["score"] for lv in s.get("levels", [])},
            "answers": answers[a.id],
            **({"respondents": respondents.get(a.id, [])} if a.is_round else {}),
        })
    return found


def _respondents(round_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each round's respondents with their own answers, in the order they joined (2 queries)."""
    if not round_ids:
        return {}
    responses = list(db.session.execute(
        db.select(Assessment).where(Assessment.round_id.in_(round_ids))
        .order_by(Assessment.created_at, Assessment.id)).scalars())
    answers = answers_by_assessment(r.id for r in responses)
    found: dict[int, list[dict[str, Any]]] = {}
    for r in responses:
        assert r.round_id is not None
        found.setdefault(r.round_id, []).append({
            "seat": r.seat, "name": r.respondent_name,
            "completed_at": r.completed_at.isoformat() if r.completed_at else None,
            "answers": answers[r.id]})
    return found


def to_json(organisation_name: str, pages: Iterable[list[Entry]]) -> Iterator[str]:
    """The export as JSON, written a batch of assessments at a time."""
    yield '{"organisation": ' + json.dumps(organisation_name, ensure_ascii=False) + ', "assessments": ['
    first = True
    for entries in pages:
        for record in records(entries):
            yield ("\n  " if first else ",\n  ") + json.dumps(record, ensure_ascii=False)
            first = False
    yield "\n]}\n"


def columns(questionnaires: Iterable[Questionnaire]) -> tuple[list[str], list[str]]:
    """Level and question ids of the questionnaire versions the organisation's assessments use."""
    questionnaires = list(questionnaires)
    return (sorted({lv.id for q in questionnaires for lv in q.levels}),
            sorted({question.id for q in questionnaires for question in q.questions}))


def to_csv(pages: Iterable[list[Entry]], questionnaires: Iterable[Questionnaire]) -> Iterator[str]:
    """One row per assessment (and per respondent of a round): fixed columns, then one per level and one per
    question of the versions used."""
    level_ids, question_ids = columns(questionnaires)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIXED_COLUMNS + [f"level:{lv}" for lv in level_ids] + [f"answer:{q}" for q in question_ids])
    def cells(answers: dict[str, Any]) -> list[Any]:
        return ["; ".join(a) if isinstance(a, list) else a for a in (answers.get(q) for q in question_ids)]

    for entries in pages:
        for r in records(entries):
            fixed = {**r, "row": "round" if "respondents" in r else "assessment", "seat": None, "respondent": None}
            row = [fixed[k] for k in FIXED_COLUMNS] + [r["levels"].get(lv) for lv in level_ids] + cells(r["answers"])
            writer.writerow([neutralise(v) for v in row])
            for person in r.get("respondents", []):
                fixed = {k: r[k] for k in ("assessment_id", "label", "organisation_name", "created_at",
                                           "questionnaire", "questionnaire_version")}
                fixed.update(row="respondent", seat=person["seat"], respondent=person["name"],
                             completed_at=person["completed_at"])
                row = [fixed.get(k) for k in FIXED_COLUMNS] + [None for _ in level_ids] + cells(person["answers"])
                writer.writerow([neutralise(v) for v in row])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()
