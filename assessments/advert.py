"""A job advert for the recommended role, written from this organisation's answers.

Honest about where the data stands (a candidate finds out in week one anyway),
concrete about the first months (the plan of the recommendation), clear about
whom the person joins, and open about how they will be interviewed. The same
structure gives the web page and the Markdown that `groundwork advert` prints.
"""

from __future__ import annotations

import re
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


#: How the plan starts a step that is leadership's to take (a blocker to remove): the hiring pack's, not the hire's.
LEADERSHIP_STEP = "With leadership,"


def _plain(level_id: str, title: str) -> str:
    return LEVEL_PLAIN.get(level_id, title)


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    numbered: bool = False
    #: For the hiring pack (members only): how we interview and what we ask. Never in the advert.
    internal: bool = False


#: What every placeholder starts with: a field the hiring manager has not filled in yet.
PLACEHOLDER = "To fill in before publishing:"


@dataclass(frozen=True)
class Details:
    """What the hiring manager writes into the advert (saved with the assessment). Empty: a placeholder."""

    about: str = ""
    salary: str = ""
    location: str = ""
    how_to_apply: str = ""


#: Markdown that text may not start: headings, quotes, bullets, rules, tables; and numbered items.
_BLOCK_START = re.compile(r"^(\s*)([#>+\-=|*_])")
_NUMBERED_START = re.compile(r"^(\s*\d+)([.)])")
#: Characters that make emphasis, code, links, images or HTML inline (an underscore inside a word never does).
_INLINE = re.compile(r"([\\`*\[\]<>~|]|(?<!\w)_|_(?!\w))")


def markdown_text(text: str) -> str:
    """Text as Markdown that shows exactly that text: no heading, link, image, HTML or emphasis.

    One line (a line break could start a block); the few characters Markdown reads as markup are
    backslash-escaped, which every CommonMark renderer shows as the character itself; bare
    addresses are broken up so that GitHub-style autolinking cannot make them links either."""
    text = " ".join(text.split())
    text = _INLINE.sub(r"\\\1", text)
    text = _BLOCK_START.sub(r"\1\\\2", text)
    text = _NUMBERED_START.sub(r"\1\\\2", text)
    return text.replace("://", ":\\/\\/").replace("www.", "www\\.").replace("@", "\\@")


@dataclass(frozen=True)
class Advert:
    #: None when the recommendation is "not yet": there is no role to advertise.
    title: str | None
    sections: tuple[Section, ...]

    @property
    def public(self) -> tuple[Section, ...]:
        """What goes on a jobs board."""
        return tuple(s for s in self.sections if not s.internal)

    @property
    def internal(self) -> tuple[Section, ...]:
        """What stays with the organisation: the hiring pack."""
        return tuple(s for s in self.sections if s.internal)

    def markdown(self) -> str:
        """The advert (never the internal sections) as Markdown; every text is escaped (markdown_text)."""
        lines = [f"# {markdown_text(self.title or 'Not yet: no data hire to advertise')}", ""]
        for section in self.public:
            lines += [f"## {markdown_text(section.title)}", ""]
            for paragraph in section.paragraphs:
                lines += [markdown_text(paragraph), ""]
            for number, item in enumerate(section.items, start=1):
                lines.append(f"{number}. {markdown_text(item)}" if section.numbered else f"- {markdown_text(item)}")
            if section.items:
                lines.append("")
        return "\n".join(lines).rstrip() + "\n"


def _offer(details: Details) -> tuple[Section, ...]:
    """What we offer and how to apply: the manager's words, or marked placeholders."""
    return (
        Section("What we offer", items=(
            f"Salary: {details.salary.strip() or PLACEHOLDER + ' the salary or its range.'}",
            f"Location: {details.location.strip() or PLACEHOLDER + ' where the work is done (office or remote).'}",
        )),
        Section("How to apply", (details.how_to_apply.strip() or f"{PLACEHOLDER} how to apply, and by when.",)),
    )


def _label(outcome: Outcome, question_id: str) -> str | None:
    question = outcome.questionnaire.question(question_id)
    value = outcome.answers.get(question_id)
    if question is None or value is None:
        return None
    option = question.option(value) if isinstance(value, str) else None
    if option is not None and (option.dont_know or option.id == "other"):
        return None
    return answer_label(question, value)


def advert(outcome: Outcome, organisation: str, details: Details | None = None, *, roles: Roles | None = None,
           sectors: Sectors | None = None) -> Advert:
    """The advert; `details` are what the hiring manager wrote (about us, salary, location, how to apply);
    `roles` and `sectors` default to the files shipped now (the web app passes the rules the assessment
    was finished under)."""
    rec, scored = outcome.recommendation, outcome.scored
    details = details or Details()
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
        Section("About us", (details.about.strip(),) if details.about.strip() else (about,)),
        Section("Where our data stands", tuple(paragraphs), items=weak),
        Section("What you will do in your first months", items=tuple(
            step.text for step in rec.plan if not step.text.startswith(LEADERSHIP_STEP)), numbered=True),
        Section("Whom you will join", (team,)),
        Section("What you need to know", items=rec.screen_for),
        *_offer(details),
        Section("How we will interview", items=stages, numbered=True, internal=True),
        Section("Questions we will ask", items=rec.interview_questions, internal=True),
    ))


def _sector_words(outcome: Outcome, given: Sectors | None):  # type: ignore[no-untyped-def]
    from . import sectors

    return (given or sectors()).of(outcome.answers.get("sector"))


def _roles(given: Roles | None):  # type: ignore[no-untyped-def]
    from . import roles

    return (given or roles()).roles
