"""Every sentence the recommendation says, composed from decided data.

The judgement passes facts (levels, roles, counts, the questions still open);
the functions here only word them. Nothing in this module decides anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..schema import Role
from ..scoring import LevelScore


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def article(title: str) -> str:
    return "an" if title[:1].lower() in "aeiou" else "a"


def a(title: str) -> str:
    """'a data engineer', 'an analyst'."""
    return f"{article(title)} {title.lower()}"


def and_(items: Sequence[str]) -> str:
    items = list(items)
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def quoted(items: Sequence[str]) -> str:
    return and_([f"\u201c{item}\u201d" for item in items])


#: Small counts are written in words ("two pairs"), larger ones in figures ("12 answers").
NUMBERS = dict(enumerate("zero one two three four five six seven eight nine ten".split()))  # noqa: SIM905


def number(n: int) -> str:
    return NUMBERS.get(n, f"{n:,}")


def plural(noun: str) -> str:
    """'data analyst' -> 'data analysts', 'blocker' -> 'blockers', 'pair of answers' -> 'pairs of answers'."""
    head, of, rest = noun.partition(" of ")
    head = re.sub(r"(s|sh|ch|x)$", r"\1e", head) + "s"
    return head + of + rest


def count(n: int, noun: str, many: str | None = None) -> str:
    """'one blocker', 'two blockers', '12 answers': the number and its noun, agreeing."""
    return f"{number(n)} {noun if n == 1 else (many or plural(noun))}"


def people(title: str, n: int | None, owner: str = "a") -> str:
    """People in post under one title: 'a data analyst' / 'our data analyst' where there is one, or where the
    answers give no count; 'two data analysts' / 'our two data analysts' where they count more."""
    title = title.lower()
    if n is not None and n > 1:
        return f"{'' if owner == 'a' else owner + ' '}{number(n)} {plural(title)}"
    return a(title) if owner == "a" else f"{owner} {title}"


def team(members: Sequence[tuple[str, int | None]], total: int | None, owner: str = "a") -> str:
    """Everyone in post, with counts that agree: 'a data engineer and two data analysts'. Where a role's count
    is unknown but more people work on data than roles are named, the total leads: 'the 60 people who work
    mainly on data here, among them a data analyst and a data engineer' (each named role has one at least)."""
    if any(n is None for _, n in members) and total is not None and total > len(members):
        named = and_([people(title, n) for title, n in members])
        if owner == "a":
            return f"{number(total)} people working mainly on data, among them {named}"
        return f"the {number(total)} people who work mainly on data here, among them {named}"
    return and_([people(title, n, owner) for title, n in members])


# --- the headline -------------------------------------------------------------------------------------

def headline(*, first: Role | None, not_yet: bool, strengthen: bool, timing: str, in_post: bool,
             generalist: bool, provisional: bool, another: Role | None = None) -> str:
    if strengthen and another is not None:
        text = f"No new specialist needed yet: add another {another.title.lower()} to the team you have."
    elif strengthen:
        text = "No new specialist needed yet: strengthen the team you have."
    elif not_yet or first is None:
        text = "Not yet: there is not enough for a data hire to work on."
    elif timing and not timing.startswith("now"):
        text = f"Your next hire: {a(first.title)}, {timing.split(';')[0]}."
    elif in_post:
        text = f"Hire {a(first.title)} next."
    else:
        suffix = ", as a hands-on first data person" if generalist else ""
        text = f"Hire {a(first.title)} first{suffix}."
    return f"Provisional: {lower_first(text)}" if provisional else text


# --- why this role -------------------------------------------------------------------------------------

def describe(level: LevelScore) -> str:
    """The level's state in a clause, from the one story of the stage."""
    if level.score is None:
        return f"nothing about {level.level.title} is known yet"
    if level.high is not None and level.high != level.low:
        return (f"{level.level.title} is {level.state.label} at {level.score}/100, between {level.low} and "
                f"{level.high} depending on the unknown answers")
    return f"{level.level.title} is {level.state.label} at {level.score}/100"


BEFORE_LAUNCH = ("Nobody uses your product or service yet, so there is little activity to record and analyse. "
                 "A data hire now would have nothing to work on. Build what you offer, record what its users "
                 "do from the first day, and run this assessment again after launch.")


def every_level_holds(top: LevelScore, first: Role) -> str:
    return (f"Every level of the pyramid is in place, up to {top.level.title}. The next gains come from deepening "
            f"what exists, which is the work of {a(first.title)}.")


RESEARCH_GROUND = ("Leadership wants results beyond what standard methods give, and your models already run in "
                   "production with monitoring and retraining: the ground a researcher needs.")
ARCHITECT_DECIDES = ("Nobody has yet shown that machine learning beats a simpler approach for what leadership "
                     "wants; an architect decides where it is worth it before more is built.")


def gap(level: LevelScore, first: Role, threshold: int) -> str:
    return (f"{level.level.title} is the next level to build ({describe(level)}; a level is in place from "
            f"{threshold}). Building it is the work of {a(first.title)}, who {lower_first(first.summary)}")


def below_holds(top: LevelScore) -> str:
    return (f"The levels below it are in place, up to {top.level.title}, so the hire can build on them rather "
            "than start from nothing.")


def strong_but_unknown(names: Sequence[str]) -> str:
    return (f"{and_(names)} {'is' if len(names) == 1 else 'are'} counted as in place on the answers known, "
            "though some answers about it are unknown. Check them before the hire starts: if they turn out weak, "
            "the foundations come first.")


def implied(level: LevelScore) -> str:
    assert level.implied_by is not None
    return (f"Nothing about {level.level.title} was known; it is counted as in place because "
            f"{level.implied_by.title} above it is, on your answers. Confirm it before the hire starts.")


HIDDEN_ABOVE = ("Some higher levels are in place, but they rest on a level that is not; the foundation comes "
                "first (see the inconsistencies).")


def every_role_in_post(holder: Role, building: str | None) -> str:
    where = f" ({building})" if building else ""
    return (f"Every data role is already in post, including {a(holder.title)}. The lowest missing "
            f"level{where} is theirs to build; a second {holder.title.lower()} is worth it only if their "
            "backlog, not the missing skills, is what holds the level back.")


def holder_next(holder: Role, building: str | None, candidate: Role, timing: str) -> str:
    who = f", who is the right person to build {building}" if building else ""
    return f"You already have {a(holder.title)} in post{who}. The next hire is {a(candidate.title)}, {timing}."


TIMING_NOW = "now: what this role needs is already in place"


def timing_once(needed: LevelScore) -> str:
    state = ("nothing about it is known yet" if needed.score is None
             else f"it is {needed.state.label} at {needed.score}/100 today")
    return f"once {needed.level.title} is in place ({state}); plan the search so that they join as it does"


def joins(held: str, first: Role, *, kept: Sequence[str], waiting: Sequence[str],
          taken: Sequence[str], adds: Sequence[str]) -> str:
    """Whom the hire joins (`held`: the people in post, worded by `team`): levels the people in post look
    after are named only when they are in place."""
    text = f"You already have {held}."
    if kept:
        text += f" They look after {and_(kept)}, which {'is' if len(kept) == 1 else 'are'} in place."
    if waiting:
        text += f" {and_(waiting)}, which they would build, {'is' if len(waiting) == 1 else 'are'} not in place yet."
    if taken:
        text += f" The new {first.title.lower()} takes on {and_(taken)}, which nobody in post builds today."
    elif adds:
        text += (f" The new {first.title.lower()} adds hands to {and_(adds)}, so that the people in post can "
                 "get back to their own work.")
    else:
        text += f" The new {first.title.lower()} brings what none of them does: {lower_first(first.summary)}"
    return text


DATA_SCIENTIST_ON_PLUMBING = (
    "Your data scientists spend most of their time on plumbing, as you told us: getting data out of systems, "
    "mending pipelines and cleaning data. That is a data engineer's work. A data engineer takes it over and "
    "frees them for the analyses and models they were hired to make.")

DATA_SCIENTIST_WAITS = (
    "Your data scientist's own work, learning from recorded outcomes, needs the foundations first. Until they "
    "are in place, they can own the first analyses, while the new hire builds what their models will need.")


def strengthen(members: Sequence[tuple[str, int | None]], total: int | None, wants: str, level: str | None) -> str:
    where = f", and {level} is in place" if level else ""
    several = len(members) > 1 or any(n is not None and n > 1 for _, n in members) or (total or 0) > 1
    who = team(members, total, "your")
    who += "," if "among them" in who else ""  # the aside closes before the verb
    return (f"No new specialist is needed yet. Leadership wants {wants}; {who} already "
            f"{'do' if several else 'does'} that work{where}. Strengthen what you have: give "
            "them time, clear priorities and the data they ask for, before adding another role.")


def when_data_scientist_pays(role: Role) -> str:
    return (f"{upper_first(a(role.title))} would pay once leadership wants predictions made case by case and "
            "acted on often, with the outcome recorded for past cases so that a model can learn from it; or "
            "machine learning in what you offer. Until then, forecasts of your own figures are work for the "
            "people you have.")


REPORTING_BOTTLENECK = ("Reporting is the bottleneck, as you told us: answers to new questions are slow to "
                        "come. Another analyst, or an analytics engineer who builds the tables the analysts "
                        "report from, helps most; a new specialism does not.")

DATA_SCIENTIST_ON_PLUMBING_WITH_ENGINEER = (
    "Your data scientists spend most of their time on plumbing, as you told us, although a data engineer is in "
    "post. Check whether the engineer's backlog is the reason: if it is, a second data engineer frees the data "
    "scientists sooner than any other hire.")

SECOND_ANALYST = ("If reporting is the bottleneck (answers to new questions take weeks), the hire that helps is "
                  "another analyst or an analytics engineer, not a new specialism.")


def unknown_above(names: Sequence[str]) -> str:
    return (f"Nothing is known yet about {and_(names)}. Before acting on those levels, ask whoever would know "
            "about models and recorded outcomes in your organisation: their answers could move this "
            "recommendation further up.")


def provisional(unknown: int, total: int, questions: Sequence[str]) -> str:
    first = f" Find out first: {quoted(questions)}." if questions else ""
    return (f"This is provisional: {unknown} of {total} answers that count were unknown, so the "
            f"recommendation rests on little evidence.{first} The answers may change it, towards the "
            "foundations or beyond them.")


GENERALIST = ("At your size, and with nobody working on data yet, the first data person will do everything: "
              "plumbing, reporting and the first analyses. Look for a hands-on generalist who starts with the "
              "foundations and grows the function from there.")


def runner_up(first: Role | None, runner: Role, *, strengthen: bool, once: str = "") -> str:
    """`once`: the level the runner-up needs, when it is not in place yet (its summary may speak of work,
    such as models, that does not exist here yet)."""
    if strengthen:
        text = f"When the team you have is no longer enough, {a(runner.title)} is the hire to consider"
    elif first is not None:
        text = f"After the {first.title.lower()}, {a(runner.title)} is the usual next step"
    else:
        text = f"When people use what you offer, {a(runner.title)} is the first hire to consider"
    when = f", once {once} is in place" if once else ""
    return text + f"{when}: someone who {lower_first(runner.summary)}"


def premature(needs: LevelScore, stage_text: str, because: str | None) -> str:
    state = (f"is {needs.state.label}" if needs.score is None and needs.state.value != "unknown"
             else "is not known yet" if needs.score is None else f"is {needs.state.label} at {needs.score}/100")
    return (f"Needs {needs.level.title} in place ({needs.level.title} {state}; {stage_text}). "
            f"{because or ''}").strip()


# --- the first months ----------------------------------------------------------------------------------

NOT_YET_PLAN = (
    "Record what people do from the first release: a short plan of the key events to record",
    "Keep the records of what you sell or provide in systems that can be exported or queried",
    "Run this assessment again a few months after launch",
)


def strengthen_figures(figure: str) -> str:
    return f"Agree with leadership which figures matter most, starting with {figure}, and how fast each is needed"


#: The team's time, worded by what the answers say holds reporting back (and neutral where they say nothing).
STRENGTHEN_BY_HAND = ("Give the people in post the time and access to automate the figures that are put together "
                      "by hand in spreadsheets today")
STRENGTHEN_SLOW = ("Give the people in post the time and access to answer new questions sooner: you told us the "
                   "answers are slow to come")
STRENGTHEN_TIME = "Give the people in post the time, access and clear priorities for the work leadership asked for"


def strengthen_baseline(figure: str) -> str:
    return (f"Leadership wants forecasts: measure how accurate a simple forecast of {figure} is (last year's value, "
            "or a moving average), so that you know when a model would beat it")


STRENGTHEN_AGAIN = "Run this assessment again when leadership asks for predictions made case by case"


SETTLE_OPEN_QUESTIONS = ("In the first weeks, settle with leadership the open questions this plan depends on: "
                         "they decide which of the usual first steps apply")


def remove_blocker(fix: str) -> str:
    return f"With leadership, remove a blocker: {lower_first(fix).rstrip('.')}"


def find_out(questions: Sequence[str], step: str) -> str:
    answers = "the answer decides" if len(questions) == 1 else "the answers decide"
    return f"Find out {quoted(questions)}: {answers} whether to {lower_first(step)}."


def find_out_people() -> str:
    return ("Find out who already works on data (\u201cWhich data roles do you already have in post?\u201d): "
            "it decides whom the hire joins, and whether to look for a generalist or a specialist.")


def find_out_expectations() -> str:
    return ("Find out what leadership wants from data in the next year: it decides between the next steps "
            "the foundations allow.")


# --- expectations -------------------------------------------------------------------------------------

def ml_deadline(when: str, stage_text: str, missing: int, levels: Sequence[str]) -> str:
    return (f"Leadership expects predictions or machine learning in use {when}, but {stage_text}. "
            f"{upper_first(count(missing, 'level'))} ({and_(levels)}) must be in place before a model can be "
            "trained on trustworthy data. Each usually takes a quarter or more; reset the timeline, or the "
            "first hire will be judged on a goal nobody could reach.")


def ml_hope(stage_text: str, missing: int, levels: Sequence[str]) -> str:
    return (f"Leadership hopes for predictions or machine learning, while {stage_text}. {and_(levels)} "
            f"{'comes' if missing == 1 else 'come'} first; set milestones for {'it' if missing == 1 else 'them'} "
            "so that progress towards machine learning is visible.")


ML_UNSURE = ("Nobody has yet checked that machine learning beats a simpler approach for what leadership wants. "
             "Measure a simple baseline first: it is cheap, and it is the yardstick any model must beat.")
EXPECTATIONS_FIT = ("Nothing leadership expects, as described, calls for predictions or machine learning before "
                    "the foundations for them are in place.")
EXPECTATIONS_UNKNOWN = ("What leadership expects from data is not known yet: ask before the hire starts, so that "
                        "the first months are judged on goals everyone shares.")


# --- screening -----------------------------------------------------------------------------------------

def data_like_ours(records: str | None, systems: str | None) -> str | None:
    """The organisation's own words, quoted as typed: a screening note keeps them whole."""
    parts = []
    if records:
        parts.append(f"records like ours (\u201c{records}\u201d)")
    if systems:
        parts.append(f"systems like ours (\u201c{systems}\u201d)")
    return "Has worked with " + " and with ".join(parts) if parts else None


#: What ticking a tool means, said as prose: its name where the option names one tool, what the options have
#: in common where it names alternatives (the organisation uses one of them, and did not say which). The kind
#: is what a role's technologies call it ("a central warehouse or database"), so that neither is said twice.
TOOLS: dict[str, tuple[str, str]] = {
    "excel": ("spreadsheets", "spreadsheet"),
    "postgres_mysql": ("a relational database", "database"),
    "bigquery": ("BigQuery", "warehouse"),
    "snowflake": ("Snowflake", "warehouse"),
    "redshift": ("Redshift", "warehouse"),
    "databricks": ("Spark", "distributed processing"),
    "dbt_airflow": ("a pipeline or orchestration tool", "orchestration"),
    "power_bi": ("Power BI", "business-intelligence"),
    "tableau": ("Tableau", "business-intelligence"),
    "looker": ("Looker", "business-intelligence"),
    "metabase": ("Metabase", "business-intelligence"),
    "python": ("Python", "programming language"),
    "r": ("R", "programming language"),
    "sas_spss": ("a statistics package", "statistics"),
}


def tool(option_id: str, label: str) -> str:
    """A ticked tool as prose (TOOLS), or its label where the option names a single tool."""
    return TOOLS[option_id][0] if option_id in TOOLS else label


def tools_in_use(names: Sequence[str]) -> str:
    return "Hands-on experience with the tools in use here: " + and_(names)


def technology(name: str) -> str:
    return f"Hands-on experience with {name}"


def main_question_interview(question: str) -> str:
    return (f"Leadership's main question is \u201c{question}\u201d. How would you go about answering it, and "
            "what would you need from us?")
