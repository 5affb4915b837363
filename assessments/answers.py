"""Answers: checking raw values against a questionnaire, and which questions show.

Every way answers enter Groundwork (the CLI's answer files, the web forms, the
database) passes through `clean_answers`, so that scoring only ever sees
answers that name real questions and real options.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .schema import Question, Questionnaire, Section

#: An answer as stored: an option id, a list of option ids, a number or text.
Answer = str | list[str] | int | float
Answers = dict[str, Answer]


class AnswerError(ValueError):
    """An answer does not fit its question; the message names both and what is allowed."""

    def __init__(self, question_id: str, message: str) -> None:
        super().__init__(f"question {question_id!r}: {message}")
        self.question_id = question_id
        self.detail = message


def _allowed(question: Question) -> str:
    return ", ".join(o.id for o in question.options)


def clean_text(value: str, *, max_length: int | None = None) -> str:
    """The one clean-up for text that people type: answers, names, labels, emails.

    NUL cannot be stored by PostgreSQL, so it becomes U+FFFD; surrounding
    whitespace goes; `max_length` cuts what a column cannot hold. Everything
    else (emoji, right-to-left text, markup, which is escaped on output) is kept.
    """
    text = value.replace("\x00", "\ufffd").strip()
    return text[:max_length] if max_length is not None else text


def clean_answer(question: Question, value: Any) -> Answer:
    """Return the value in its stored form, or raise AnswerError saying what is allowed."""
    if question.type == "single":
        if not isinstance(value, str) or question.option(value) is None:
            raise AnswerError(question.id, f"{value!r} is not an option; allowed: {_allowed(question)}")
        return value
    if question.type == "multi":
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values:
            raise AnswerError(question.id, f"expected a list of options from: {_allowed(question)}")
        for item in values:
            if not isinstance(item, str) or question.option(item) is None:
                raise AnswerError(question.id, f"{item!r} is not an option; allowed: {_allowed(question)}")
        if len(set(values)) != len(values):
            raise AnswerError(question.id, "an option is given more than once")
        dont_know = question.dont_know_option
        if dont_know and dont_know.id in values and len(values) > 1:
            raise AnswerError(question.id, f"{dont_know.id!r} cannot be combined with other options")
        return values
    if question.type == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise AnswerError(question.id, f"{value!r} is not a number")
        if question.min is not None and value < question.min:
            raise AnswerError(question.id, f"must be at least {question.min}")
        if question.max is not None and value > question.max:
            raise AnswerError(question.id, f"must be at most {question.max}")
        return int(value) if float(value).is_integer() else float(value)
    if not isinstance(value, str):
        raise AnswerError(question.id, "expected text")
    text = clean_text(value)
    if question.max_length is not None and len(text) > question.max_length:
        raise AnswerError(question.id, f"must be at most {question.max_length} characters")
    return text


def clean_answers(questionnaire: Questionnaire, raw: Mapping[str, Any]) -> Answers:
    """Check a whole mapping of answers; unknown question ids are an error."""
    answers: Answers = {}
    for question_id, value in raw.items():
        question = questionnaire.question(str(question_id))
        if question is None:
            raise AnswerError(str(question_id), "no such question in "
                              f"{questionnaire.id} version {questionnaire.version}")
        if value is None or value == "":
            continue
        answers[question.id] = clean_answer(question, value)
    return answers


def selected(answer: Answer | None) -> list[str]:
    """The option ids an answer selects (none for numbers and text)."""
    if isinstance(answer, str):
        return [answer]
    if isinstance(answer, list):
        return answer
    return []


def _any_of(answer: Answer | None, options: tuple[str, ...]) -> bool:
    """Whether the answer selects one of the options (selected(answer) meets options), without a list."""
    if isinstance(answer, str):
        return answer in options
    if isinstance(answer, list):
        return any(option in options for option in answer)
    return False


def is_visible(questionnaire: Questionnaire, question: Question, answers: Mapping[str, Answer]) -> bool:
    """A conditional question shows when its (itself visible) trigger has one of the named answers."""
    condition = question.when
    if condition is None:
        return True
    trigger = questionnaire.question(condition.question)
    if trigger is None or not is_visible(questionnaire, trigger, answers):
        return False
    return any(option in condition.any_of for option in selected(answers.get(trigger.id)))


def visible_questions(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> list[Question]:
    """The questions that show, in order: is_visible for each, in one pass (a trigger is always an earlier
    question, so whether it shows is known by the time a question it conditions is reached)."""
    shown: set[str] = set()
    found: list[Question] = []
    for question in questionnaire.questions:
        condition = question.when
        if condition is None or (condition.question in shown and _any_of(answers.get(condition.question),
                                                                         condition.any_of)):
            shown.add(question.id)
            found.append(question)
    return found


def is_settled(questionnaire: Questionnaire, question: Question, answers: Mapping[str, Answer]) -> bool:
    """Whether the answers given so far decide if the question shows: no condition on its way waits
    for a question that is still unanswered."""
    condition = question.when
    if condition is None:
        return True
    trigger = questionnaire.question(condition.question)
    if trigger is None:
        return True
    if not is_settled(questionnaire, trigger, answers):
        return False
    return trigger.id in answers or not is_visible(questionnaire, trigger, answers)


def is_skipped(questionnaire: Questionnaire, section: Section, answers: Mapping[str, Answer]) -> bool:
    """A section none of whose questions shows, decided by answers already given (a section whose
    questions wait on an unanswered question may still apply, so it is not skipped yet)."""
    return not any(is_visible(questionnaire, q, answers) or not is_settled(questionnaire, q, answers)
                   for q in section.questions)


def answer_label(question: Question, answer: Answer | None) -> str:
    """The answer as a person reads it: option labels, the number or the text."""
    if answer is None:
        return "Not answered"
    if question.type in ("single", "multi"):
        if isinstance(answer, str):  # one option: its label (ids are unique), without a scan
            option = question.option(answer)
            return option.label if option is not None else "Not answered"
        chosen = set(selected(answer))
        labels = [o.label for o in question.options if o.id in chosen]
        return "; ".join(labels) if labels else "Not answered"
    return str(answer)
