"""The organisation's own words for its data, or neutral phrasing where it gave none.

Everything concrete that Groundwork says about an organisation (its systems,
its records, the figure leadership watches, what its models predict, the
decision a prediction would support, what it does) comes from the short
"in your own words" answers. Where an answer is absent (older questionnaires
never ask; every field is optional), the phrase is neutral: "your main
systems", never what is typical of the sector.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

#: Question ids of the "in your own words" answers (questionnaire version 3), by what they name.
OWN_QUESTIONS = {
    "about": "own_about",
    "systems": "own_systems",
    "records": "own_records",
    "figure": "own_figure",
    "models": "own_models",
    "decision": "own_decision",
}

#: Whose data a sentence speaks of: "our" (the organisation speaking: the advert, interview questions),
#: "your" (Groundwork speaking to it), or "the" (a step of the plan, read on the result page and in the advert).
Voice = Literal["our", "your", "the"]

#: Words that already settle whose a noun phrase is: "our" or "your" is not put in front of them.
_DETERMINERS = frozenset("the a an our your their my its these those this that all each every some any both "  # noqa: SIM905
                         "his her".split())


def _tidy(value: object) -> str | None:
    """A typed answer as a phrase: one line, no closing full stop; None when empty or not text."""
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", " ", value).strip().rstrip(".;:,").strip()
    return text or None


def _noun(text: str) -> str:
    """A typed phrase put mid-sentence: kept as typed (it may start with a name, "Shopify"), except that a
    leading determiner loses the capital it had at the start of the answer ("The till rolls")."""
    head = text.split(" ", 1)[0]
    if head.lower() in _DETERMINERS and head[1:] == head[1:].lower():
        return text[:1].lower() + text[1:]
    return text


def _owned(text: str, voice: Voice) -> str:
    """'orders and stock' -> 'our orders and stock'; 'our orders' -> 'your orders' in the other voice."""
    head, _, rest = text.partition(" ")
    if head.lower() in ("our", "your") and rest:
        return f"{voice} {rest}"
    if head.lower() in _DETERMINERS:
        return _noun(text)
    return f"{voice} {_noun(text)}"


@dataclass(frozen=True, slots=True)
class Words:
    """What the organisation told us in its own words (None where it told us nothing)."""

    about: str | None = None
    systems: str | None = None
    records: str | None = None
    figure: str | None = None
    models: str | None = None
    decision: str | None = None

    @classmethod
    def of(cls, answers: Mapping[str, object]) -> Words:
        return cls(**{name: _tidy(answers.get(question_id)) for name, question_id in OWN_QUESTIONS.items()})

    def given(self) -> dict[str, str]:
        """Question id -> text, for the answers that were given: what a sentence using them rests on."""
        return {OWN_QUESTIONS[name]: text for name in OWN_QUESTIONS if (text := getattr(self, name))}

    def phrases(self, voice: Voice = "your") -> dict[str, str]:
        """Placeholders for role texts ({records}, {sources}, {figure}, {models}, {decision}): each a noun
        phrase that reads mid-sentence, from the organisation's words or neutral."""
        decision = {"our": "a decision we make often", "your": "a decision you make often",
                    "the": "a decision made often"}[voice]
        return {
            "records": _owned(self.records, voice) if self.records else f"{voice} most important records",
            "sources": _noun(self.systems) if self.systems else f"{voice} main systems",
            "figure": _noun(self.figure) if self.figure else "the figure leadership watches most",
            "models": f"{voice} models (\u201c{self.models}\u201d)" if self.models else f"{voice} models",
            "decision": _noun(self.decision) if self.decision else decision,
        }

    def fill(self, template: str, voice: Voice = "the") -> str:
        return template.format_map(self.phrases(voice))

    def uses(self, template: str) -> tuple[str, ...]:
        """Question ids of the own words a template would use: the answers its sentence rests on."""
        name_of = {"records": "records", "sources": "systems", "figure": "figure", "models": "models",
                   "decision": "decision"}
        return tuple(OWN_QUESTIONS[name_of[key]] for key in name_of
                     if "{" + key + "}" in template and getattr(self, name_of[key]))
