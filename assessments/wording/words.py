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
from collections.abc import Callable, Mapping
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

#: Ordinary words that an answer often starts with, capitalised only because it starts the answer ("Monthly
#: churn", "Orders and refunds"): lower-cased mid-sentence. Any other capitalised first word may be a name
#: ("Stripe", "Sage", "HubSpot", "SAP") and is never lower-cased.
_ORDINARY = _DETERMINERS | frozenset((  # noqa: SIM905
    "monthly weekly daily yearly annual quarterly hourly average mean median total gross net number numbers "
    "count share percentage proportion rate ratio time new active repeat returning recurring lost late open "
    "overdue how which what who when where whether why sales revenue income turnover profit margin orders order "
    "customers customer clients client users user members member visitors visits traffic bookings booking "
    "subscriptions subscription subscribers churn retention conversion conversions cost costs spend spending "
    "stock inventory payments payment invoices invoice records record data files file spreadsheets spreadsheet "
    "paper reports report tickets transactions events logs emails calls cases referrals applications "
    "claims patients students staff employees people products product prices price deliveries shipments "
    "jobs projects hours on in at per across most some many several everything everyone nearly almost "
    "whatever mostly mainly partly only just two three four five six seven eight nine ten one"
).split())

#: Beyond this many words, or in several parts, own words are set off in quotes rather than run into a sentence.
_LONG = 12


def _tidy(value: object) -> str | None:
    """A typed answer as a phrase: one line (separate lines become parts, "a; b"), no closing full stop;
    None when empty or not text."""
    if not isinstance(value, str):
        return None
    lines = [re.sub(r"\s+", " ", line).strip().rstrip(".;:,").strip() for line in value.splitlines()]
    text = "; ".join(line for line in lines if line)
    return text or None


def _ordinary_start(text: str) -> bool:
    """The first word is an ordinary word (or a determiner) capitalised only because it starts the answer,
    not the first of a title ("Monthly Recurring Revenue", whose capitals are meant)."""
    words = re.split(r"[\s,;:]+", text, maxsplit=2)
    head = words[0]
    if head[1:] != head[1:].lower() or head.lower() not in _ORDINARY:
        return False
    return head.lower() in _DETERMINERS or not (len(words) > 1 and words[1][:1].isupper())


def _noun(text: str) -> str:
    """A typed phrase put mid-sentence: kept as typed (it may start with a name, "Shopify"), except that an
    ordinary first word loses the capital it had at the start of the answer ("The till rolls", "Monthly churn")."""
    return text[:1].lower() + text[1:] if _ordinary_start(text) else text


def _set_off(text: str, *, names_first: bool = False) -> bool:
    """Own words that cannot run into a sentence as they are: several parts ("a; b"), long, or starting with a
    capitalised word that may be a name or not (which lower case would falsify one way or the other).
    `names_first`: a field whose answers usually start with a name (systems), where a capital reads well."""
    if ";" in text or " / " in text or len(text.split()) > _LONG:
        return True
    head = text.split(" ", 1)[0]
    acronym = len(head) > 1 and head.isupper()  # "SAP", "NPS": a name, which reads well as typed
    return not names_first and head[:1].isupper() and not acronym and not _ordinary_start(text)


def quote(text: str) -> str:
    return f"\u201c{text}\u201d"


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
        phrase that reads mid-sentence, from the organisation's words or neutral. Words that cannot run into
        a sentence as typed (several parts, long, or a capital that may or may not be a name) are quoted after
        a plain noun: "our records (“Subscriptions in Stripe; customers in HubSpot”)"."""
        decision = {"our": "a decision we make often", "your": "a decision you make often",
                    "the": "a decision made often"}[voice]
        return {
            "records": self._phrase(self.records, f"{voice} records", lambda t: _owned(t, voice),
                                    f"{voice} most important records"),
            "sources": self._phrase(self.systems, f"{voice} systems", _noun, f"{voice} main systems",
                                    names_first=True),
            "figure": self._phrase(self.figure, "the figure leadership watches", _noun,
                                   "the figure leadership watches most"),
            "models": f"{voice} models ({quote(self.models)})" if self.models else f"{voice} models",
            "decision": self._phrase(self.decision, "the decision", _noun, decision),
        }

    @staticmethod
    def _phrase(text: str | None, plain: str, inline: Callable[[str], str], neutral: str, *,
                names_first: bool = False) -> str:
        if not text:
            return neutral
        if _set_off(text, names_first=names_first):
            return f"{plain} ({quote(text)})"
        return inline(text)

    def fill(self, template: str, voice: Voice = "the") -> str:
        return template.format_map(self.phrases(voice))

    def uses(self, template: str) -> tuple[str, ...]:
        """Question ids of the own words a template would use: the answers its sentence rests on."""
        name_of = {"records": "records", "sources": "systems", "figure": "figure", "models": "models",
                   "decision": "decision"}
        return tuple(OWN_QUESTIONS[name_of[key]] for key in name_of
                     if "{" + key + "}" in template and getattr(self, name_of[key]))
