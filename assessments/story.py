"""The stage in words: one story that every page reads.

The result page's headline and level list, the pyramid chart's caption, the
confidence line, the PDF summary, the advert's "where our data stands", the
comparison and the JSON all describe the same `Scored` structure; this module
is where that structure becomes sentences, so no two places can tell it
differently. It says only what the answers say: a level nothing is known of is
"not known yet", never 0 and never missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .scoring import CONTRADICTION_PENALTY, LevelScore, LevelState, Scored, answer_points
from .wording.phrasebook import count, number, upper_first

if TYPE_CHECKING:
    from .team import Team

#: What each level of the pyramid means, in a few plain words, for where its name first appears.
GLOSSES = {
    "collect": "what happens is recorded as data",
    "store": "that data sits in one place people can query",
    "move": "data flows into that store on its own, checked",
    "report": "agreed figures and dashboards people act on",
    "label": "past cases are kept with their known outcome",
    "learn": "models are trained and checked against a simple baseline",
    "deploy": "models run in daily use, watched and kept up to date",
}


def gloss(level: LevelScore) -> str:
    return GLOSSES.get(level.level.id, level.level.summary)


def named(level: LevelScore) -> str:
    """The level's name with its meaning: "Move (data flows into that store on its own, checked)"."""
    return f"{level.level.title} ({gloss(level)})"


@dataclass(frozen=True, slots=True)
class LevelLine:
    """One level as every page lists it."""

    title: str
    gloss: str
    state: LevelState
    #: "in place", "partly in place", ...
    label: str
    #: "72/100", or "" when nothing about the level was known.
    score: str
    #: Why the level stands where it does, in a sentence (range, implication, or nothing known).
    detail: str
    counted: bool


@dataclass(frozen=True, slots=True)
class Story:
    #: The headline about the stage, naming the next level to build.
    lead: str
    levels: tuple[LevelLine, ...]
    #: The next level to build (None when every level is in place).
    next_title: str | None
    #: "Confidence: moderate." and what it rests on, in words that follow the figure.
    confidence: str
    #: What the unknown answers leave open (empty when nothing is unknown).
    open_range: str
    #: Whether the answers agree with one another, for summaries.
    consistency: str
    #: Titles of the levels in place on known answers (never implied): what already works.
    working: tuple[str, ...]
    #: The unknown answers that bear on the stage (levels up to the next one to build): (level, question).
    to_find_out: tuple[tuple[str, str], ...] = ()

    @property
    def confidence_detail(self) -> str:
        """The confidence sentence without its "Confidence: x." label, for a row already headed so."""
        label, _, rest = self.confidence.partition(". ")
        return rest or label


def _count(n: int, one: str, many: str | None = None) -> str:
    """'one pair', 'two pairs', '12 answers' (wording.phrasebook.count)."""
    return count(n, one, many)


def _and(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def level_line(scored: Scored, ls: LevelScore, team: Team | None = None) -> LevelLine:
    threshold = scored.questionnaire.threshold
    score = "" if ls.score is None else f"{ls.score}/100"
    if ls.state is LevelState.IMPLIED:
        assert ls.implied_by is not None
        detail = (f"Nothing about it was known, but {ls.implied_by.title} above it is in place on your answers, "
                  "which it could not be without this level.")
    elif ls.ruled_out_by is not None:
        e = ls.ruled_out_by
        detail = (f"None of its questions applies yet: {'the combined answer was' if team else 'you answered'} "
                  f"\u201c{e.answer}\u201d to \u201c{e.question}\u201d.")
    elif ls.state is LevelState.UNKNOWN:
        detail = "Nothing about it was known."
    elif ls.unknown and ls.low is not None and ls.high is not None and ls.low != ls.high:
        detail = (f"Between {ls.low} and {ls.high} depending on {_count(ls.unknown, 'unknown answer')}; "
                  f"in place from {threshold}.")
    else:
        detail = f"{upper_first(_count(ls.known, 'answer'))}, all known; in place from {threshold}."
    if ls.state in (LevelState.PARTLY, LevelState.MISSING) and ls.weak:
        weakest = ls.weak[0]
        detail += f" Weakest: \u201c{weakest.answer}\u201d to \u201c{weakest.question}\u201d."
    if ls.state.counts and not ls.reached:
        detail += " It does not count yet: a level below it is not in place."
    return LevelLine(ls.level.title, gloss(ls), ls.state, ls.state.label, score, detail, ls.reached)


def _lead(scored: Scored) -> str:
    total = len(scored.levels)
    nxt = scored.next_level
    if nxt is None:
        return f"Every level of the pyramid is in place, up to {scored.levels[-1].level.title}."
    where = _where(nxt, scored.questionnaire.threshold)
    if scored.stage == 0:
        first = named(nxt)
        if nxt.state is LevelState.UNKNOWN:
            return (f"Nothing is known yet about the first level of the pyramid, {first}, so no level can be "
                    "counted as in place until it is.")
        return f"The first level of the pyramid, {first}, is {where}, so no level counts as in place yet."
    top = scored.levels[scored.stage - 1].level.title
    return (f"The pyramid is in place up to {top} (stage {scored.stage} of {total}). "
            f"The next level to build is {named(nxt)}, which is {where}.")


def _where(ls: LevelScore, threshold: int) -> str:
    if ls.state is LevelState.UNKNOWN:
        return "not known yet: nothing about it was known"
    return f"{ls.state.label} ({ls.score}/100; in place from {threshold})"


def _confidence(scored: Scored, team: Team | None = None) -> str:
    label = scored.confidence_label
    total = scored.known + scored.unknown
    parts = [f"Confidence: {label}."]
    if not total:
        parts.append("No answer that counts towards the result was given.")
    else:
        parts.append(f"{scored.known} of {total} answers that count were known.")
    if team is not None:
        parts.append(_team_agreement(team))
    if scored.contradictions:
        n = len(scored.contradictions)
        parts.append(f"{upper_first(_count(n, 'pair'))} of answers cannot both be true, which lowers it.")
    if scored.next_unknown and scored.next_level is not None and label == "moderate" and _uncapped(scored) >= 0.85:
        parts.append(f"Nothing is known yet of {scored.next_level.level.title}, the level the hire is about, "
                     "so it is at most moderate.")
    if label in ("low", "moderate"):
        parts.append(_what_firms_it_up(scored, team, low=label == "low"))
    return " ".join(p for p in parts if p)


def _what_firms_it_up(scored: Scored, team: Team | None, *, low: bool) -> str:
    """What would raise a low or moderate confidence, from what lowered it: open answers, the team's
    disagreements, or answers that cannot both be true."""
    settle = team is not None and bool(team.disagreements)
    if scored.unknown:
        if low:
            return ("Treat this result as a first estimate, and fill the open answers with colleagues who know"
                    + (", then settle the disagreements together." if settle else "."))
        return ("The result could shift once the open answers are filled in"
                + (" and the disagreements settled." if settle else "."))
    if settle:
        return ("Treat this result as a first estimate until the team settles where it disagrees." if low
                else "It firms up once the team settles where it disagrees.")
    if scored.contradictions:
        return "Check the answers that cannot both be true before acting on it."
    return ""


def team_stakes(team: Team) -> str:
    """The disagreements that matter, counted one way on every page: "four questions that could change the
    hire and one more that could change only the stage"."""
    hire, stage = team.stakes
    parts = [f"{count(hire, 'question')} that could change the hire"] if hire else []
    if stage:
        parts.append(f"{'one more' if stage == 1 else number(stage) + ' more'} that could change only the stage"
                     if hire else f"{count(stage, 'question')} that could change the stage")
    return _and(parts)


def _team_agreement(team: Team) -> str:
    """How far the respondents agree, and what that does to the confidence."""
    people = count(len(team.respondents), "respondent")
    n = len(team.disagreements)
    if not n:
        return f"The {people} gave the same answer wherever more than one of them knew."
    said = f"The {people} gave different answers to {count(n, 'question')}"
    if not any(team.stakes):
        return f"{said}, none of which would change the stage or the hire; that lowers it a little."
    return f"{said}, among them {team_stakes(team)}, which puts it below any one respondent's own."


def _uncapped(scored: Scored) -> float:
    """The confidence before the cap for an unknown next level: what the answers alone support."""
    return scored.known_share - CONTRADICTION_PENALTY * len(scored.contradictions)


def _open_range(scored: Scored) -> str:
    if not scored.unknown:
        return ""
    if scored.possible_stage > scored.stage:
        reach = scored.levels[scored.possible_stage - 1].level.title
        return (f"{upper_first(_count(scored.unknown, 'answer'))} {'was' if scored.unknown == 1 else 'were'} not "
                "known. A \u201cdon't know\u201d counts as a middling answer: it neither sinks a level nor lifts it. "
                f"Were every unknown answer favourable, the pyramid could be in place up to {reach}; "
                "each level's range shows how far it could move.")
    return (f"{upper_first(_count(scored.unknown, 'answer'))} {'was' if scored.unknown == 1 else 'were'} not "
            "known. A \u201cdon't know\u201d counts as a middling answer; whichever way the unknown answers turn out, "
            "the stage would stay where it is.")


def _consistency(scored: Scored) -> str:
    parts = []
    if scored.contradictions:
        parts.append(f"{_count(len(scored.contradictions), 'pair')} of answers cannot both be true")
    if scored.inconsistencies:
        parts.append(f"{_count(len(scored.inconsistencies), 'level')} in place above a level that is not")
    if not parts:
        return "No answers contradict one another, and no level is in place above one that is not."
    sentence = _and(parts)
    return sentence[0].upper() + sentence[1:] + "; see below."


def tell(scored: Scored, *, team: Team | None = None) -> Story:
    """The stage in words; for a team's combined answers, the confidence also says where they part."""
    lead = _lead(scored)
    nxt = scored.next_level
    unsettled = team.unsettled_levels if team is not None else frozenset()
    working = tuple(ls.level.title for ls in scored.levels[: scored.stage]
                    if ls.state is LevelState.IN_PLACE and ls.level.id not in unsettled)
    return Story(
        lead=lead,
        levels=tuple(level_line(scored, ls, team) for ls in scored.levels),
        next_title=nxt.level.title if nxt else None,
        confidence=_confidence(scored, team),
        open_range=_open_range(scored),
        consistency=_consistency(scored),
        working=working,
        to_find_out=_to_find_out(scored),
    )


def _to_find_out(scored: Scored) -> tuple[tuple[str, str], ...]:
    """The questions whose answer was not known, in the levels the stage rests on and the next one: the
    things to ask colleagues before acting."""
    last = min(scored.stage + 1, len(scored.levels))
    found = []
    for ls in scored.levels[:last]:
        for question in scored.questionnaire.level_questions[ls.level.id]:
            if question.id not in scored.visible:
                continue
            if answer_points(question, scored.answers.get(question.id)) is None:
                found.append((ls.level.title, question.text))
    return tuple(found)


def stage_phrase(scored: Scored) -> str:
    """How far the pyramid stands, for a clause: "the pyramid is in place only up to Store"."""
    if scored.stage == 0:
        first = scored.levels[0]
        if first.state is LevelState.UNKNOWN:
            return f"nothing is known yet of the first level, {first.level.title}"
        return f"not even the first level, {first.level.title}, is in place"
    if scored.stage == len(scored.levels):
        return "every level of the pyramid is in place"
    return f"the pyramid is in place only up to {scored.levels[scored.stage - 1].level.title}"
