"""An organisation's assessments as CSV or JSON: scores, recommendation and every answer.

Cells a spreadsheet would run as a formula are neutralised, because exports
carry free text that anyone in the organisation could have typed.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .history import Entry

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FIXED_COLUMNS = ["assessment_id", "label", "organisation_name", "created_at", "completed_at", "questionnaire",
                 "questionnaire_version", "stage", "stage_title", "confidence", "first_hire", "runner_up"]


def neutralise(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def records(entries: list[Entry]) -> list[dict[str, Any]]:
    """Scores and answers, one record per assessment."""
    found = []
    for entry in entries:
        a, o = entry.assessment, entry.outcome
        s, r = o.scored, o.recommendation
        found.append({
            "assessment_id": a.id,
            "label": a.label,
            "organisation_name": a.organisation_name,
            "created_at": a.created_at.isoformat(),
            "completed_at": a.completed_at.isoformat() if a.completed_at else None,
            "questionnaire": o.questionnaire.id,
            "questionnaire_version": o.questionnaire.version,
            "stage": s.stage,
            "stage_title": s.stage_level.title if s.stage_level else None,
            "confidence": s.confidence,
            "first_hire": r.first_hire.id if r.first_hire else None,
            "runner_up": r.runner_up.id if r.runner_up else None,
            "levels": {ls.level.id: ls.score for ls in s.levels},
            "answers": dict(o.answers),
        })
    return found


def to_json(organisation_name: str, entries: list[Entry]) -> str:
    return json.dumps({"organisation": organisation_name, "assessments": records(entries)},
                      indent=2, ensure_ascii=False)


def to_csv(entries: list[Entry]) -> str:
    """One row per assessment: fixed columns, then one per level and one per question ever answered."""
    rows = records(entries)
    level_ids = sorted({lv for r in rows for lv in r["levels"]})
    question_ids = sorted({q for r in rows for q in r["answers"]})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIXED_COLUMNS + [f"level:{lv}" for lv in level_ids] + [f"answer:{q}" for q in question_ids])
    for r in rows:
        answers = [r["answers"].get(q) for q in question_ids]
        row = [r[k] for k in FIXED_COLUMNS] + [r["levels"].get(lv) for lv in level_ids] + [
            "; ".join(a) if isinstance(a, list) else a for a in answers]
        writer.writerow([neutralise(v) for v in row])
    return out.getvalue()
