"""The auditor: reads every sentence Groundwork writes about an organisation and checks it against the
answers (issue 19, item 6). Used by tests/web/test_auditor.py over the example organisations and a few
hundred generated answer sets, on the result page, the PDF's HTML and the advert.

It reads the rendered HTML, leaving out what quotes the respondent (answers, the questions asked, the
appendix, anything between curly quotes): those are the organisation's words or ours, not claims.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import assessments
from assessments.answers import is_visible, selected
from assessments.judgement.conditions import nobody_known_in_post
from assessments.schema import Questionnaire
from assessments.wording.phrasebook import count

#: Nouns that belong to one sector's data. Generated text may use one only when the organisation's own
#: words contain it: otherwise it is the sector's template speaking, not the organisation.
SECTOR_NOUNS = (
    "patient", "appointment", "treatment", "clinic", "till", "shop", "payment provider", "stock",
    "billing", "crm", "subscription", "subscriber", "loan", "fraud", "claim", "premium", "polic",
    "shipment", "deliveries", "delivery", "telematics", "warehouse system", "billed hours", "billable", "enrol",
    "student", "case file", "sales", "churn", "customer", "order", "reader", "viewing", "citizen",
    "microscope", "listing", "clause",
)

#: Elements whose text quotes the respondent or the questionnaire, or repeats the page as data.
QUOTING = {"answer", "evidence", "because", "evidence-line", "appendix", "ranges"}
SKIPPED_TAGS = {"svg", "textarea", "script", "style", "title", "head"}
BLOCKS = {"p", "li", "h1", "h2", "h3", "td", "th", "dd", "dt", "div", "label", "a", "button"}

QUOTED = re.compile(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"")
#: A quotation that quotes an answer as the answer to a question ("you answered “X” to “Q”", "were “X”"):
#: an option label may be quoted there, and nowhere else (elsewhere it reads as the organisation's words).
CURLY = re.compile(r"\u201c([^\u201d]*)\u201d")
ANSWER_FORM = re.compile(r"(answered|were|answer|said:?)\s*$", re.IGNORECASE)
#: A small count written in figures right before what it counts ("1 more", "3 blockers"), and counts that
#: disagree with their noun ("one blockers", "two blocker").
SMALL_FIGURE = re.compile(r"(?<![\d/.,])\b([0-9]|10) (more|answers?|blockers?|questions?|steps?|levels?|pairs?|people|"
                          r"persons?|data \w+s?)\b")
DISAGREES = re.compile(r"\b(?:one|1) (answers|blockers|questions|steps|levels|pairs|people)\b|"
                       r"\b(?:two|three|four|five|six|seven|eight|nine|ten) (answer|blocker|question|step|level|pair|"
                       r"person)\b(?! of)", re.IGNORECASE)
DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
FIRST_HIRE = re.compile(r"first data (hire|person)", re.IGNORECASE)


@dataclass
class Block:
    text: str
    section: int
    classes: frozenset[str] = frozenset()


class _Reader(HTMLParser):
    """Text blocks of a page, each with the section it sits in; quoting elements left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._stack: list[tuple[str, bool, frozenset[str]]] = []
        self._text: list[str] = []
        self._section = 0

    def _skipping(self) -> bool:
        return any(skip for _, skip, _ in self._stack)

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            classes = frozenset(c for _, _, cs in self._stack for c in cs)
            self.blocks.append(Block(text, self._section, classes))
        self._text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        classes = frozenset((dict(attrs).get("class") or "").split())
        skip = tag in SKIPPED_TAGS or bool(classes & QUOTING)
        if tag in BLOCKS or tag in ("section", "article", "ul", "ol", "table"):
            self._flush()
        if tag in ("section", "article", "tr") or (tag == "div" and classes & {"callout", "card", "summary-box"}):
            self._section += 1
        self._stack.append((tag, skip, classes))

    def handle_endtag(self, tag: str) -> None:
        if not any(t == tag for t, _, _ in self._stack):
            return
        if tag in BLOCKS or tag in ("section", "article", "ul", "ol", "table"):
            self._flush()
        while self._stack:
            t, _, _ = self._stack.pop()
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self._text.append(data)


def blocks(html: str) -> list[Block]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader._flush()
    return reader.blocks


def sector_nouns(text: str, own: str) -> list[str]:
    """The sector nouns a (lower-case) text uses that the organisation's own words do not contain."""
    return [noun for noun in SECTOR_NOUNS if re.search(r"\b" + re.escape(noun), text) and noun not in own]


def unquoted(text: str) -> str:
    return QUOTED.sub("\u2026", text)


def labels(questionnaire: Questionnaire) -> list[str]:
    """Option labels distinctive enough that finding one in our prose means it was pasted there: four
    words or more, or any with a figure ("10 to 49"). Role titles and blocker titles are our own words."""
    ours = {r.title.lower() for r in assessments.roles().roles} | {b.title.lower() for b in questionnaire.blockers}
    found = []
    for question in questionnaire.questions:
        for option in question.options:
            label = option.label.lower()
            distinctive = len(label.split()) >= 4 or any(c.isdigit() for c in label)
            if distinctive and not option.dont_know and not option.in_post and label not in ours:
                found.append(label)
    return found


def all_labels(questionnaire: Questionnaire) -> set[str]:
    """Every option label but "don't know": none may be quoted as if the organisation had said it."""
    return {o.label.lower() for q in questionnaire.questions for o in q.options if not o.dont_know}


def tool_names(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, str]:
    """Each product the tools question names (its labels split at commas and "or"), with its option id, for the
    tools not ticked as in use: naming one of these in our prose claims a tool the answers do not give."""
    question = questionnaire.question("tools")
    if question is None:
        return {}
    ticked = set(selected(answers.get("tools")))
    names = {}
    for option in question.options:
        if option.id in ticked or option.dont_know:
            continue
        for name in re.split(r",\s*|\s+or\s+", option.label):
            if len(name) > 1:
                names[name.strip()] = option.id
    return names


def own_text(answers: Mapping[str, Any], questionnaire: Questionnaire) -> str:
    """Everything the organisation typed: the only source of its specific nouns."""
    return " ".join(str(v) for k, v in answers.items()
                    if (q := questionnaire.question(k)) is not None and q.type == "text").lower()


@dataclass
class Finding:
    where: str
    problem: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}: {self.text[:300]}"


@dataclass
class Audit:
    outcome: assessments.Outcome
    findings: list[Finding] = field(default_factory=list)

    def page(self, where: str, html: str) -> None:
        q, answers, scored = self.outcome.questionnaire, self.outcome.answers, self.outcome.scored
        own = own_text(answers, q)
        pasted = labels(q)
        nobody = nobody_known_in_post(scored)
        seen: dict[tuple[int, str], int] = {}
        #: The questionnaire's own texts (each level's explanation, its contradictions) and the sector's legal
        #: note: not claims drawn from this organisation's answers.
        quoted = ([lv.summary for lv in q.levels] + [c.text for c in q.contradictions]
                  + [self.outcome.recommendation.sector_legal])
        every_label = all_labels(q)
        tools = tool_names(q, answers)
        for block in blocks(html):
            for match in CURLY.finditer(block.text):
                before, after = block.text[: match.start()], block.text[match.end():]
                if (match.group(1).lower().rstrip(".") in every_label and not ANSWER_FORM.search(before)
                        and not after.startswith(" to \u201c")):
                    self.findings.append(Finding(where, f"option label quoted as their words {match.group(1)!r}",
                                                 block.text))
            text = unquoted(block.text)
            for name, option_id in tools.items():
                if re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text) and name.lower() not in own:
                    self.findings.append(Finding(where, f"tool {name!r} named, but {option_id!r} is not ticked",
                                                 block.text))
            small = SMALL_FIGURE.search(text)
            if small:
                self.findings.append(Finding(where, f"small count in figures {small.group(0)!r}", block.text))
            wrong = DISAGREES.search(text)
            if wrong:
                self.findings.append(Finding(where, f"count and noun disagree {wrong.group(0)!r}", block.text))
            for known in filter(None, quoted):
                text = text.replace(known, "\u2026")
            lower = text.lower()
            doubled = [m.group(0) for m in DOUBLED.finditer(text) if not m.group(1).isdigit()]
            if doubled:
                self.findings.append(Finding(where, f"doubled word {doubled[0]!r}", block.text))
            for label in pasted:
                if label in lower:
                    self.findings.append(Finding(where, f"option label pasted as prose {label!r}", block.text))
            if FIRST_HIRE.search(text) and not nobody:
                self.findings.append(Finding(where, "first data hire, but nobody-in-post is not known",
                                             block.text))
            for noun in sector_nouns(lower, own):
                self.findings.append(Finding(where, f"sector noun {noun!r} not in the answers", block.text))
            if len(block.text) >= 30 and not block.classes & {"headline"}:
                key = (block.section, block.text)
                seen[key] = seen.get(key, 0) + 1
                if seen[key] == 2:
                    self.findings.append(Finding(where, "line repeated", block.text))
        self._borderline(where, html)

    def _borderline(self, where: str, html: str) -> None:
        rec = self.outcome.recommendation
        match = re.search(r'<div class="callout borderline">(.*?)</div>', html, re.S)
        if not rec.borderline:
            if match:
                self.findings.append(Finding(where, "borderline box without a borderline result", match.group(1)))
            return
        if match is None:
            return  # the advert does not show it
        body = match.group(1)
        items = body.count("<li>")
        if items != len(rec.would_change):
            self.findings.append(Finding(where, f"borderline list has {items} items, not {len(rec.would_change)}",
                                         body))
        says = "One answer" if items == 1 else f"Each of these {count(items, 'answer')}"
        if says not in body:
            self.findings.append(Finding(where, f"borderline count does not say {items}", body))

    def sentences(self) -> None:
        """Every sentence of the recommendation, as data: none may rest only on "don't know" answers, and
        none may argue against the role it recommends."""
        rec, scored = self.outcome.recommendation, self.outcome.scored
        q = self.outcome.questionnaire
        hire = rec.first_hire.id if rec.first_hire else None
        for sentence in rec.sentences():
            if sentence.evidence and all(_unknown(q, scored.answers, e.question_id) for e in sentence.evidence):
                self.findings.append(Finding("recommendation", "rests only on unknown answers", sentence.text))
            if hire and hire in sentence.against:
                self.findings.append(Finding("recommendation", f"argues against the hire {hire}", sentence.text))


def _unknown(questionnaire: Questionnaire, answers: Mapping[str, Any], question_id: str) -> bool:
    question = questionnaire.question(question_id)
    if question is None or question_id not in answers:
        return True
    return any((o := question.option(i)) is not None and o.dont_know for i in selected(answers[question_id]))


# --- generated organisations ----------------------------------------------------------------------------

OWN_WORDS = {
    "own_about": ["We bake bread and cakes in six shops", "A two-sided marketplace for used furniture",
                  "Regional body inspecting care homes"],
    "own_systems": ["Shopify, Xero and a stock spreadsheet", "SAP and Salesforce", "the LIMS and a shared drive"],
    "own_records": ["orders and stock counts", "inspection reports and ratings", "labelled microscope images"],
    "own_figure": ["weekly sales by shop", "listings that sell within a month", "inspections completed on time"],
    "own_models": ["churn for retention offers; pricing", "which listings convert"],
    "own_decision": ["how much stock to order each week", "which inspections come first"],
    "main_question": ["Which products should we stock more of?", "Why do some listings never sell?"],
}


def generated(questionnaire: Questionnaire, count: int, seed: int = 19) -> Iterator[dict[str, Any]]:
    """Answer sets walked through the questionnaire as a respondent would (only visible questions), with
    "don't know" mixed in at several rates, some questions skipped, and own words sometimes given."""
    rng = random.Random(seed)
    for n in range(count):
        unsure = (0.0, 0.15, 0.4, 0.8)[n % 4]
        answers: dict[str, Any] = {}
        for question in questionnaire.questions:
            if not is_visible(questionnaire, question, answers) or rng.random() < 0.05:
                continue
            if question.type == "text":
                pool = OWN_WORDS.get(question.id)
                if pool and rng.random() < 0.5:
                    answers[question.id] = rng.choice(pool)
                continue
            if question.type == "number":
                low, high = question.min if question.min is not None else 0, question.max or 10_000
                if rng.random() < 0.7:
                    answers[question.id] = min(max(rng.choice([0, 1, 2, 5, 40]), low), high)
                continue
            dont_know = question.dont_know_option
            real = [o.id for o in question.options if not o.dont_know]
            if dont_know is not None and rng.random() < unsure:
                answers[question.id] = dont_know.id if question.type == "single" else [dont_know.id]
            elif question.type == "single":
                answers[question.id] = rng.choice(real)
            else:
                answers[question.id] = rng.sample(real, k=min(len(real), rng.choice([1, 1, 2, 3])))
        yield answers
