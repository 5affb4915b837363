"""A job advert for the recommended role, written from this organisation's answers.

Honest about where the data stands (a candidate finds out in week one anyway),
and only about what the answers say: what already works lists the levels known
answers put in place, whom the person joins is "to find out" when nobody knew,
and the organisation is described in its own words or not at all.
concrete about the first months (the plan of the recommendation), clear about
whom the person joins, and open about how they will be interviewed. The same
structure gives the web page and the Markdown that `groundwork advert` prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .judgement.conditions import chosen, headcounts, nobody_known_in_post
from .scoring import LevelState
from .wording import Words
from .wording.phrasebook import count, team

if TYPE_CHECKING:
    from . import Outcome
    from .schema import Roles


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


#: How the plan starts a step that is leadership's to take (wording/phrasebook.remove_blocker): the hiring
#: pack's business, not the hire's work.
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
#: A gap in the advert that nobody answering the assessment could fill: to settle before publishing.
FIND_OUT = "To find out before publishing:"
#: Both kinds of gap, which the advert page marks.
GAPS = (PLACEHOLDER, FIND_OUT)


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
    #: None when there is no role to advertise ("not yet", or the team in post is enough for now).
    title: str | None
    sections: tuple[Section, ...]
    #: The heading when there is no role to advertise.
    no_advert: str = "Not yet: no data hire to advertise"

    @property
    def heading(self) -> str:
        return self.title or self.no_advert

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
        lines = [f"# {markdown_text(self.heading)}", ""]
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


#: The size of the organisation as a candidate would say it (the bands are for the form, not for sentences).
HEADCOUNT = {
    "under_10": "a small team of fewer than ten people",
    "from_10_to_49": "a small organisation",
    "from_50_to_249": "a mid-sized organisation",
    "from_250_to_999": "a large organisation",
    "over_1000": "a large organisation of more than a thousand people",
}

#: The sector as prose: what a candidate would read, never the option label pasted.
SECTOR = {
    "software": "works in software and online services",
    "retail": "works in retail and consumer goods",
    "media": "works in media and publishing",
    "logistics": "works in logistics, transport and manufacturing",
    "finance": "works in banking, payments and lending",
    "insurance": "works in insurance",
    "health": "works in health and care services",
    "marketplace": "runs an online marketplace",
    "research": "works in research, biotech and pharmaceuticals",
    "regulator": "works in public inspection and regulation",
    "public": "works in the public or non-profit sector",
    "education": "works in education",
    "professional": "works in professional services",
}


def _answer(outcome: Outcome, question_id: str) -> str | None:
    """A known single-choice answer's option id (None for "don't know", "other" or no answer)."""
    value = outcome.answers.get(question_id)
    question = outcome.questionnaire.question(question_id)
    if question is None or not isinstance(value, str):
        return None
    option = question.option(value)
    return None if option is None or option.dont_know else value


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _about(outcome: Outcome, name: str, words: Words) -> tuple[str, ...]:
    """About us: the organisation's own line when it gave one, else its sector and size as prose (never the
    form's bands); nothing invented where it told us nothing."""
    who, third = name or "We", bool(name)
    size = HEADCOUNT.get(_answer(outcome, "headcount") or "")
    sector = SECTOR.get(_answer(outcome, "sector") or "")
    other = outcome.answers.get("sector_other")
    if _answer(outcome, "sector") == "other" and isinstance(other, str) and other.strip():
        sector = f"works in {other.strip().rstrip('.')}"
    if words.about:  # their own line says what they are; the size band would only interrupt it
        return (_sentence(words.about),)
    if sector and not third:  # "works in ..." -> "we work in ...", "runs ..." -> "we run ..."
        verb, _, rest = sector.partition(" ")
        sector = f"{verb.removesuffix('s')} {rest}"
    if sector and size:
        return (f"{who} {sector}, and {'is' if third else 'are'} {size}.",)
    if sector:
        return (f"{who} {sector}.",)
    if size:
        return (f"{who} {'is' if third else 'are'} {size}.",)
    return (f"{PLACEHOLDER} a line on what we do.",)


def _team(outcome: Outcome, roles: Roles | None = None) -> str:
    """Whom the hire joins, from the answers about people in post, with the counts they give ("our two data
    analysts"); unknown is said as unknown."""
    rec, scored = outcome.recommendation, outcome.scored
    titles = {r.id: r.title for r in _roles(roles)}
    roles_chosen = chosen(scored, "roles_in_post")
    members = [(r, titles.get(r, r)) for r in rec.in_post
               if not (r == "data_analyst" and "data_analyst" not in roles_chosen)]
    if "statistician" in roles_chosen:
        members.append(("statistician", "statistician"))
    if "generalist" in roles_chosen:
        members.append(("generalist", "data generalist"))
    people = scored.answers.get("data_people")
    if members:
        counts, total = headcounts(scored, [role for role, _ in members])
        return "You will join " + team([(title, n) for (_, title), n in zip(members, counts, strict=True)],
                                       total, "our") + "."
    if nobody_known_in_post(scored):
        return ("You will be our first data hire, working directly with leadership: hands-on, and building the "
                "function as you go." if rec.generalist else
                "You will be our first data hire, working directly with leadership.")
    if isinstance(people, int | float) and people > 0:
        n = int(people)
        return ("You will join the person who works mainly on data here." if n == 1 else
                f"You will join the {count(n, 'person', 'people')} who work mainly on data here.")
    return (f"{FIND_OUT} who already works on data here. Nobody answering the assessment "
            "knew, and it decides whom the new hire joins.")


def advert(outcome: Outcome, organisation: str, details: Details | None = None, *,
           roles: Roles | None = None) -> Advert:
    """The advert; `details` are what the hiring manager wrote (about us, salary, location, how to apply);
    `roles` defaults to the file shipped now (the web app passes the rules the assessment was finished under)."""
    rec, scored = outcome.recommendation, outcome.scored
    details = details or Details()
    name = organisation.strip()
    if rec.first_hire is None:
        why = (rec.reasons[0].text if rec.strengthen else
               "Groundwork recommends not hiring a data person yet: " + rec.reasons[0].text)
        return Advert(None, (
            Section("Why there is no advert", (why,)),
            Section("What to do instead", items=tuple(step.text for step in rec.plan), numbered=True),
        ), no_advert="No new specialist needed yet: no advert" if rec.strengthen else Advert.no_advert)
    role = rec.first_hire
    words = Words.of(outcome.answers)
    said = words.phrases("our")
    unsettled = outcome.team.unsettled_levels if outcome.team else frozenset()
    held = [_plain(ls.level.id, ls.level.title) for ls in scored.levels[: scored.stage]
            if ls.state is LevelState.IN_PLACE  # in place on known answers, never only implied
            and ls.level.id not in unsettled]  # nor where a team disagrees on what decides the hire
    gap = scored.likely_gap
    standing = ("What already works: " + "; ".join(held) + "." if held
                else "Our data foundations are still to be built, and building them is the job."
                if scored.likely_stage == 0 else "")
    weak: tuple[str, ...] = ()  # the answers behind it belong in the hiring pack, not on a jobs board
    if gap is not None and gap.known:  # a level nobody knows about is said below as unknown, not as missing
        standing += f" The next step is making sure that {_plain(gap.level.id, gap.level.title)}."
    unknown_levels = [_plain(ls.level.id, ls.level.title) for ls in scored.levels
                      if ls.state in (LevelState.UNKNOWN, LevelState.IMPLIED) and ls.unknown > 0]
    paragraphs = [standing.strip()]
    if unknown_levels:
        paragraphs.append("We do not yet know whether " + "; or whether ".join(unknown_levels)
                          + ". Finding out is part of the work.")
    question = outcome.answers.get("main_question")
    if isinstance(question, str) and question.strip():
        paragraphs.append(f"The question leadership most wants answered: \u201c{question.strip()}\u201d")
    team = _team(outcome, roles)
    if rec.timing and not rec.timing.startswith("now") and rec.first_hire.needs:
        needed = rec.first_hire.needs
        team += f" We plan for you to start as soon as {LEVEL_PLAIN.get(needed, needed)}: that work is under way."
    practical = next((q for q in rec.interview_questions if not q.startswith("Leadership's main question")),
                     None)
    stages = (
        f"A conversation about your experience and what you would want to know about {said['records']}",
        "A practical exercise on a problem like ours: " + (practical or role.summary),
        "A conversation with leadership about the first months, and how we will judge success"
        + (f": starting with \u201c{question.strip()}\u201d" if isinstance(question, str) and question.strip()
           else f", for example on {said['figure']}"),
    )
    return Advert(f"{role.title} at {name}" if name else role.title, (
        Section("About us", (details.about.strip(),) if details.about.strip() else _about(outcome, name, words)),
        Section("Where our data stands", tuple(p for p in paragraphs if p), items=weak),
        Section("What you will do in your first months", items=tuple(
            step.text for step in rec.plan if not step.text.startswith(LEADERSHIP_STEP)), numbered=True),
        Section("Whom you will join", (team,)),
        Section("What you need to know", items=rec.screen_for),
        *_offer(details),
        Section("How we will interview", items=stages, numbered=True, internal=True),
        Section("Questions we will ask", items=rec.interview_questions, internal=True),
    ))


def _roles(given: Roles | None):  # type: ignore[no-untyped-def]
    from . import roles

    return (given or roles()).roles
