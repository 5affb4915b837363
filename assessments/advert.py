"""A job advert for the recommended role, written from this organisation's answers.

Honest about where the data stands (a candidate finds out in week one anyway),
concrete about the first months (the plan of the recommendation), clear about
whom the person joins, and open about how they will be interviewed. The same
structure gives the web page and the Markdown that `groundwork advert` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .answers import answer_label
from .scoring import LevelState

if TYPE_CHECKING:
    from . import Outcome
    from .schema import Roles, Sectors


#: Each level as a candidate would say it, without Groundwork's names for the levels.
LEVEL_PLAIN = {
    "collect": "our activity is recorded as data where it happens",
    "store": "our data sits in one central store",
    "move": "data flows into that store through reliable, monitored pipelines",
    "report": "leadership works from trusted figures and dashboards",
    "label": "outcomes worth predicting are recorded",
    "learn": "models are validated and can be retrained by anyone",
    "deploy": "models run reliably in production",
}


def _plain(level_id: str, title: str) -> str:
    return LEVEL_PLAIN.get(level_id, title)


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    numbered: bool = False


@dataclass(frozen=True)
class Advert:
    #: None when the recommendation is "not yet": there is no role to advertise.
    title: str | None
    sections: tuple[Section, ...]

    def markdown(self) -> str:
        lines = [f"# {self.title or 'Not yet: no data hire to advertise'}", ""]
        for section in self.sections:
            lines += [f"## {section.title}", ""]
            for paragraph in section.paragraphs:
                lines += [paragraph, ""]
            for number, item in enumerate(section.items, start=1):
                lines.append(f"{number}. {item}" if section.numbered else f"- {item}")
            if section.items:
                lines.append("")
        return "\n".join(lines).rstrip() + "\n"


def _label(outcome: Outcome, question_id: str) -> str | None:
    question = outcome.questionnaire.question(question_id)
    value = outcome.answers.get(question_id)
    if question is None or value is None:
        return None
    option = question.option(value) if isinstance(value, str) else None
    if option is not None and (option.dont_know or option.id == "other"):
        return None
    return answer_label(question, value)


def advert(outcome: Outcome, organisation: str, *, roles: Roles | None = None,
           sectors: Sectors | None = None) -> Advert:
    """The advert; `roles` and `sectors` default to the files shipped now (the web app passes the
    rules the assessment was finished under)."""
    rec, scored = outcome.recommendation, outcome.scored
    name = organisation.strip()
    if rec.first_hire is None:
        return Advert(None, (
            Section("Why there is no advert", (
                "Groundwork recommends not hiring a data person yet: " + rec.reasons[0].text,)),
            Section("What to do instead", items=tuple(step.text for step in rec.plan), numbered=True),
        ))
    role = rec.first_hire
    sector, size = _label(outcome, "sector"), _label(outcome, "headcount")
    about = f"{name} is" if name else "We are"
    about += f" an organisation in {sector[0].lower() + sector[1:]}" if sector else " an organisation"
    about += f", with {size.lower()} people." if size else "."
    held = [_plain(ls.level.id, ls.level.title) for ls in scored.levels[: scored.stage]
            if ls.state is LevelState.IN_PLACE]  # in place on known answers, never only implied
    gap = scored.likely_gap
    standing = ("What already works: " + "; ".join(held) + "." if held
                else "Honestly: our data foundations are still to be built, and that is the job.")
    weak: tuple[str, ...] = ()
    if gap is not None:
        standing += f" Not yet: {_plain(gap.level.id, gap.level.title)}. In our own words:"
        weak = tuple(f"{e.question} \u2014 {e.answer}" for e in gap.weak[:3])
    unknown = [_plain(ls.level.id, ls.level.title) for ls in scored.levels
               if ls.state in (LevelState.UNKNOWN, LevelState.IMPLIED) and ls.unknown > 0]
    paragraphs = [standing]
    if unknown:
        paragraphs.append("We do not yet know whether " + "; or whether ".join(unknown)
                          + ". Finding out is part of the work.")
    question = outcome.answers.get("main_question")
    if isinstance(question, str) and question.strip():
        paragraphs.append(f"The question leadership most wants answered: \u201c{question.strip()}\u201d")
    titles = {r.id: r.title for r in _roles(roles)}
    if rec.in_post:
        joined = [f"our {titles.get(r, r).lower()}" for r in rec.in_post]
        team = "You will join " + (joined[0] if len(joined) == 1 else ", ".join(joined[:-1]) + " and " + joined[-1])
        team += "."
    else:
        team = ("You will be our first data hire, working directly with leadership: hands-on, and building the "
                "function as you go." if rec.generalist else "You will be our first data hire, working directly "
                "with leadership.")
    if rec.timing and not rec.timing.startswith("now") and rec.first_hire.needs:
        needed = rec.first_hire.needs
        team += f" We plan for you to start as soon as {LEVEL_PLAIN.get(needed, needed)}: that work is under way."
    words = _sector_words(outcome, sectors)
    stages = (
        f"A conversation about your experience and what you would want to know about our {words.records}",
        "A practical exercise on a problem like ours: " + (rec.interview_questions[0] if rec.interview_questions
                                                             else role.summary),
        "A conversation with leadership about the first months, and how we will judge success"
        + (f": starting with \u201c{question.strip()}\u201d" if isinstance(question, str) and question.strip()
           else f", for example on {words.figure}"),
    )
    return Advert(f"{role.title} at {name}" if name else role.title, (
        Section("About us", (about,)),
        Section("Where our data stands", tuple(paragraphs), items=weak),
        Section("What you will do in your first months", items=tuple(step.text for step in rec.plan),
                numbered=True),
        Section("Whom you will join", (team,)),
        Section("What you need to know", items=rec.screen_for),
        Section("How we will interview", items=stages, numbered=True),
        Section("Questions we will ask", items=rec.interview_questions),
    ))


def _sector_words(outcome: Outcome, given: Sectors | None):  # type: ignore[no-untyped-def]
    from . import sectors

    return (given or sectors()).of(outcome.answers.get("sector"))


def _roles(given: Roles | None):  # type: ignore[no-untyped-def]
    from . import roles

    return (given or roles()).roles
