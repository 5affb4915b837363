"""The first months, the screening and the interview, chosen from the answers.

A step of a role's plan is taken where the answers call for it (never building what exists). A step
that only "don't know" answers would call for is not a step but a question to answer first. Every
sentence uses the organisation's own words, or neutral ones (assessments.wording.Words).
"""

from __future__ import annotations

from ..answers import selected
from ..schema import PlanStep, Role
from ..scoring import Scored
from ..wording import Words
from ..wording import phrasebook as say
from .conditions import chosen, cite, holds_when, unknown
from .steps import Draft, Note


def _applies(scored: Scored, step: PlanStep) -> bool:
    if step.when is not None and not holds_when(scored, step.when):
        return False
    return step.unless is None or not holds_when(scored, step.unless)


def _step(scored: Scored, words: Words, step: str | PlanStep, draft: Draft, plan: list[Note]) -> None:
    if isinstance(step, str):
        plan.append(Note(words.fill(step), cite(scored, *words.uses(step))))
        return
    if not _applies(scored, step):
        return
    cited = [q for q in step.cite if q in scored.visible]
    evidence = cite(scored, *cited)
    if cited and not evidence and (step.when is not None or step.unless is not None):
        # Only unknown answers would call for this step: it is a question to answer first.
        texts = [scored.questionnaire.question(q).text for q in cited if unknown(scored, q)]  # type: ignore[union-attr]
        draft.find_out.append(Note(say.find_out(texts[:2], words.fill(step.text))))
        return
    plan.append(Note(words.fill(step.text), evidence + cite(scored, *words.uses(step.text))))


def plan(draft: Draft, words: Words) -> tuple[Note, ...]:
    """The first months, from this organisation's answers: leadership's own question, the role's steps
    where the answers call for them, then the known blockers to remove."""
    s, first = draft.scored, draft.first
    if draft.not_yet:
        return tuple(Note(text) for text in say.NOT_YET_PLAN)
    if draft.strengthen:
        return _strengthen_plan(s, words)
    assert first is not None
    steps: list[Note] = []
    question = s.answers.get("main_question")
    if isinstance(question, str) and question.strip() and first.main_question_step:
        steps.append(Note(first.main_question_step.replace("{question}", question.strip()),
                          cite(s, "main_question")))
    open_before = len(draft.find_out)
    for step in first.first_90_days:
        _step(s, words, step, draft, steps)
    if len(draft.find_out) > open_before:  # some usual steps wait on answers nobody had
        steps.insert(1 if steps and steps[0].evidence and steps[0].evidence[0].question_id == "main_question"
                     else 0, Note(say.SETTLE_OPEN_QUESTIONS))
    for blocker in [b for b in s.blockers if not b.unsure][:2]:
        text = say.remove_blocker(blocker.fix)
        if blocker.id == "legal_unclear" and draft.sector_legal:
            text += f". {draft.sector_legal}"
        steps.append(Note(text, (blocker.evidence,)))
    return tuple(steps)


def _strengthen_plan(s: Scored, words: Words) -> tuple[Note, ...]:
    """No new specialist: the team in post does the work. Each step says only what the answers say (reports
    made by hand, slow answers, forecasts wanted), and is neutral where they are silent."""
    figure = words.phrases("the")["figure"]
    said = cite(s, *words.uses("{figure}"))
    steps = [Note(say.strengthen_figures(figure), said)]
    if "spreadsheets" in chosen(s, "report_dashboards"):
        steps.append(Note(say.STRENGTHEN_BY_HAND, cite(s, "report_dashboards")))
    elif chosen(s, "report_turnaround") & {"weeks", "cannot"}:
        steps.append(Note(say.STRENGTHEN_SLOW, cite(s, "report_turnaround")))
    else:
        steps.append(Note(say.STRENGTHEN_TIME))
    if "predictions" in chosen(s, "ml_expectation"):
        steps.append(Note(say.strengthen_baseline(figure), cite(s, "ml_expectation") + said))
    steps.append(Note(say.STRENGTHEN_AGAIN))
    return tuple(steps)


def _chosen_texts(scored: Scored, items: tuple[str | PlanStep, ...]) -> list[str]:
    return [item if isinstance(item, str) else item.text for item in items
            if isinstance(item, str) or _applies(scored, item)]


def screen_for(scored: Scored, first: Role, words: Words) -> tuple[str, ...]:
    """Skills (scale only where the answers say the data is large: roles.yaml `when`), data like theirs
    in their words, the tools they use (as prose, never the form's labels), then the kinds of tool the role
    needs that they did not name. A role's technologies are kinds, never a product: naming one is for the
    tools the answers say are in use. No line twice."""
    lines = _chosen_texts(scored, first.skills)
    like = say.data_like_ours(words.records, words.systems)
    if like:
        lines.append(like)
    tools = _tools(scored)
    if tools:
        lines.append(say.tools_in_use([say.tool(option_id, label) for option_id, label in tools]))
    skills = " ".join(lines).lower()
    kinds_in_use = {say.TOOLS[option_id][1] for option_id, _ in tools if option_id in say.TOOLS}
    kinds = [tech for tech in _chosen_texts(scored, first.technologies)
             if tech.lower() not in skills and not any(kind in tech.lower() for kind in kinds_in_use)]
    lines += [say.technology(tech) for tech in kinds[:3]]
    return tuple(dict.fromkeys(lines))


def _tools(scored: Scored) -> list[tuple[str, str]]:
    """The tools ticked as in use: (option id, label)."""
    question = scored.questionnaire.question("tools")
    if question is None or "tools" not in scored.visible:
        return []
    options = [question.option(i) for i in selected(scored.answers.get("tools"))]
    return [(o.id, o.label) for o in options if o is not None and not o.dont_know and not o.not_applicable]


def interview(scored: Scored, first: Role, words: Words) -> tuple[str, ...]:
    questions = [words.fill(text, "our") for text in _chosen_texts(scored, first.interview_questions)]
    question = scored.answers.get("main_question")
    if isinstance(question, str) and question.strip():
        questions.insert(0, say.main_question_interview(question.strip()))
    return tuple(dict.fromkeys(questions))
