"""Facts the judgement reads from a scored assessment: conditions from roles.yaml, who is in post,
and which answers are known. Every citation goes through `cite`, which quotes known answers only:
a "don't know" is a thing to find out, never a reason."""

from __future__ import annotations

from ..answers import selected
from ..schema import JudgementWhen, Role
from ..scoring import Evidence, LevelScore, Scored

#: Levels whose work is machine learning: a role that builds or needs them pays only if leadership wants it.
ML_LEVELS = frozenset({"label", "learn", "deploy"})


def holds_when(scored: Scored, when: JudgementWhen) -> bool:
    threshold = scored.questionnaire.threshold
    for question_id, options in when.answered.items():
        if question_id not in scored.visible or not set(selected(scored.answers.get(question_id))) & set(options):
            return False
    signals = scored.signals
    if not set(when.signals_all) <= signals or (when.signals_any and not set(when.signals_any) & signals):
        return False
    if set(when.signals_none) & signals:
        return False
    if set(when.nobody_in_post_as) & scored.in_post:
        return False
    index = scored.questionnaire.level_indexes  # the levels of scored.levels, bottom first
    if when.holds and not all(lv in index and index[lv] <= scored.likely_stage for lv in when.holds):
        return False
    if when.fails_any and all(lv not in index or (index[lv] <= scored.likely_stage
                                                  and holds(scored.levels[index[lv] - 1], threshold))
                              for lv in when.fails_any):
        return False
    gap = scored.likely_gap
    return not (when.gap_in and (gap is None or gap.level.id not in when.gap_in))


def holds(level: LevelScore, threshold: int) -> bool:
    """In place on the evidence (its state, as every page states it)."""
    del threshold  # the state already says it
    return level.state.counts


def available(scored: Scored, role: Role) -> bool:
    """The role's work exists now, whatever the level it usually needs."""
    return role.available_when is not None and holds_when(scored, role.available_when)


def known(scored: Scored, question_id: str) -> bool:
    """The question shows and was answered with something other than "don't know"."""
    question = scored.questionnaire.question(question_id)
    if question is None or question_id not in scored.visible:
        return False
    value = scored.answers.get(question_id)
    if value is None:
        return False
    if question.type in ("single", "multi"):
        options = [question.option(i) for i in selected(value)]
        return bool(options) and not any(o is None or o.dont_know for o in options)
    return not (isinstance(value, str) and not value.strip())


def unknown(scored: Scored, question_id: str) -> bool:
    """The question shows, but its answer is "don't know" or missing: something to find out."""
    return question_id in scored.visible and not known(scored, question_id)


def cite(scored: Scored, *question_ids: str) -> tuple[Evidence, ...]:
    """Evidence for the known answers among these questions."""
    found = []
    for question_id in question_ids:
        if known(scored, question_id):
            evidence = scored.cite(question_id)
            if evidence is not None:
                found.append(evidence)
    return tuple(found)


def chosen(scored: Scored, question_id: str) -> set[str]:
    return set(selected(scored.answers.get(question_id))) if question_id in scored.visible else set()


def nobody_known_in_post(scored: Scored) -> bool:
    """The answers say nobody works mainly on data: "none" in post, or zero people, and nothing against it."""
    if scored.in_post:
        return False
    roles = chosen(scored, "roles_in_post")
    people = scored.answers.get("data_people")
    if isinstance(people, int | float) and people > 0:
        return False
    if roles - {"none", "dk"}:
        return False
    return "none" in roles or (isinstance(people, int | float) and people == 0 and "dk" not in roles)


def people_unknown(scored: Scored) -> bool:
    """Nobody told us who works on data: "don't know" (or nothing) on roles, and no head count."""
    if scored.in_post or chosen(scored, "roles_in_post") - {"dk"}:
        return False
    people = scored.answers.get("data_people")
    return not isinstance(people, int | float)


def models_in_use(scored: Scored) -> bool:
    return bool(chosen(scored, "learn_models") & {"one_in_use", "several"})


def ml_work(role: Role) -> bool:
    """The role's work is machine learning: it builds, or needs, a machine-learning level."""
    return bool(set(role.builds) & ML_LEVELS) or (role.needs in ML_LEVELS)


def wants_ml(scored: Scored) -> bool:
    return "wants_ml" in scored.signals or models_in_use(scored)


def _count(scored: Scored, question_id: str) -> int | None:
    value = scored.answers.get(question_id)
    if question_id not in scored.visible or not isinstance(value, int | float) or value <= 0:
        return None
    return int(value)


def headcounts(scored: Scored, ids: list[str]) -> tuple[list[int | None], int | None]:
    """How many people hold each of these roles (ids as in "roles_in_post"), where the answers say, and how
    many work mainly on data in all. A count nobody gave is None, unless the total leaves one each for the
    roles without a count (two roles ticked, two people on data)."""
    ticked = sorted(chosen(scored, "roles_in_post") - {"none", "dk"})
    everyone = list(dict.fromkeys([*ticked, *ids]))
    counts = {role: _count(scored, f"people_{role}") for role in everyone}
    total = _count(scored, "data_people")
    missing = [role for role in everyone if counts[role] is None]
    if missing and total is not None and total - sum(n for n in counts.values() if n) == len(missing):
        counts.update(dict.fromkeys(missing, 1))
    return [counts[role] for role in ids], total
