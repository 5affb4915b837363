"""The executive summary's own content: the three first actions and what to find out.

The summary says each thing once; the pages behind it give the detail and point
back to it rather than repeating it (a blocker whose first fix is an action
says "action 2 of the summary", not the fix again). No Flask, no I/O: the
report template and the tests use these functions directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import assessments
from assessments.scoring import BlockerHit
from assessments.story import team_stakes
from assessments.wording import phrasebook as say

#: How many first actions the summary names.
ACTIONS = 3


@dataclass(frozen=True)
class Action:
    title: str
    text: str
    #: The id of the report section with the detail (its page number is printed beside it); "" for none.
    detail: str
    #: The blocker this action fixes, if any: the blockers page then points here instead of repeating it.
    blocker_id: str = ""
    #: A step of the plan (when there is no hire yet): the plan's page then starts after it.
    plan_step: bool = False


@dataclass(frozen=True)
class ToFindOut:
    title: str
    text: str


def first_actions(outcome: assessments.Outcome) -> list[Action]:
    """The hire (or, when it is not yet time, the first steps instead), then the first fixes of known blockers."""
    rec = outcome.recommendation
    actions: list[Action] = []
    team = outcome.team
    if team is not None and team.decisive:
        actions.append(Action("Settle the disagreement together", _settle(team), "agreement"))
    role = rec.first_hire
    if role is not None and not rec.not_yet:
        when = rec.timing.split(";")[0] if rec.timing and not rec.timing.startswith("now") else "now"
        actions.append(Action(
            f"Recruit {say.a(role.title)}" + ("" if when == "now" else f", {when}"),
            "Screen candidates for the experience listed under hiring, and ask the interview questions "
            "drawn from the problems this role solves.", "hiring"))
    known = [b for b in outcome.scored.blockers if not b.unsure]
    for blocker in known[: ACTIONS - len(actions)]:
        actions.append(Action(blocker.title, blocker.fix, "blockers", blocker.id))
    if role is None or rec.not_yet:
        actions.extend(Action(f"Step {i}", step.text, "", plan_step=True) for i, step in
                       enumerate(rec.plan[: ACTIONS - len(actions)], start=1))
    return actions[:ACTIONS]


def _settle(team: assessments.Team) -> str:
    """What the team must settle first: one person's view of the foundations when it changes the hire
    taken together, else the one question that changes it."""
    view = next((v for v in team.views if v.changes_hire), None)
    if view is not None and not any(d.changes_hire and not d.jointly for d in team.decisive):
        seat = team.respondents[view.respondent].seat_title.lower()
        other = (f"make the hire {say.a(view.first_hire_title)}"
                 if view.first_hire else "mean no new hire yet")
        return (f"The people who answered see the foundations differently: taken together, the {seat} seat's "
                f"answers to {say.count(len(view.question_ids), 'question')} would {other}. Settle them in one "
                "meeting before acting on this report.")
    first = team.decisive[0]
    if len(team.decisive) == 1:
        what = "the hire" if first.changes_hire else "the stage"
        return (f"The people who answered disagree on \u201c{first.question.text}\u201d, and the answer changes "
                f"{what}. Settle it in one meeting before acting on this report.")
    return (f"The people who answered disagree on {team_stakes(team)}, first of all \u201c{first.question.text}"
            "\u201d. Settle them in one meeting before acting on this report.")


def action_numbers(actions: list[Action]) -> dict[str, int]:
    """Blocker id -> the number of the action that fixes it: the blockers page says "action 2" instead."""
    return {a.blocker_id: number for number, a in enumerate(actions, start=1) if a.blocker_id}


def plan_steps_in_actions(outcome: assessments.Outcome, actions: list[Action]) -> int:
    """How many of the plan's first steps the summary already gives as actions (only when there is no hire)."""
    return sum(a.plan_step for a in actions)


def to_find_out(outcome: assessments.Outcome) -> list[ToFindOut]:
    """Blockers raised by a "don't know", the questions the first months depend on, then levels with
    answers nobody knew."""
    found = [ToFindOut(b.title, f"“{b.evidence.question}”") for b in _unsure(outcome.scored.blockers)]
    found += [ToFindOut("For the first months", note.text) for note in outcome.recommendation.find_out]
    for ls in outcome.scored.levels:
        if ls.unknown:
            what = ("Nothing about this level was known." if not ls.known else
                    f"{say.upper_first(say.number(ls.unknown))} of its {say.count(ls.known + ls.unknown, 'answer')} "
                    f"{'was' if ls.unknown == 1 else 'were'} not known.")
            found.append(ToFindOut(ls.level.title, what))
    return found


def _unsure(blockers: tuple[BlockerHit, ...]) -> list[BlockerHit]:
    return [b for b in blockers if b.unsure]
