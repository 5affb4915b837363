"""Questionnaire forms, built from the questionnaire data.

One FlaskForm subclass per (questionnaire version, section), made once and
cached, with one WTForms field per question and validators derived from the
definition. Views never read request.form by hand: unknown fields are simply
not fields, and tampered choices fail WTForms' choice validation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from assessments.answers import is_visible
from assessments.schema import Question, Questionnaire, Section

REQUIRED_MESSAGE = "Please answer this question, or choose \u201cI don't know\u201d if you are unsure."


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RequiredWhenShown:
    """Required only when the question shows, and not when the person goes Back."""

    def __init__(self, question: Question) -> None:
        self.question = question
        self.message = REQUIRED_MESSAGE if question.dont_know_option else "Please answer this question."

    def __call__(self, form: SectionForm, field: Any) -> None:
        if not form.shows(self.question) or form.lenient:
            if not field.raw_data:
                field.errors[:] = []
                raise StopValidation()
            return
        if field.data in (None, "", []):
            field.errors[:] = []
            raise StopValidation(self.message)


class SectionForm(FlaskForm):
    """Base of every section form; subclasses add one field per question."""

    questionnaire: Questionnaire
    section: Section
    back = SubmitField("Back")
    proceed = SubmitField("Next")

    def __init__(self, *args: Any, saved: Callable[[], Mapping[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._load_saved = saved
        self._saved: dict[str, Any] | None = None
        #: Set when the person presses Back: save what is valid, require nothing.
        self.lenient = False

    @property
    def saved(self) -> dict[str, Any]:
        """Answers saved earlier, loaded only when a condition needs them (most pages never do)."""
        if self._saved is None:
            self._saved = dict(self._load_saved() if self._load_saved else {})
        return self._saved

    def answers(self) -> dict[str, Any]:
        """This page's answers, keyed by question id; empty fields are left out."""
        values: dict[str, Any] = {}
        for question in self.section.questions:
            data = self[question.id].data
            if isinstance(data, str):
                data = data.strip()
            if data not in (None, "", []):
                values[question.id] = data
        return values

    def shows(self, question: Question) -> bool:
        """Visible given saved answers, overlaid with what this page submitted."""
        if question.when is None:
            return True
        page = {q.id for q in self.section.questions}
        earlier = self.saved if self._needs_saved else {}
        merged = {k: v for k, v in earlier.items() if k not in page} | self.answers()
        return is_visible(self.questionnaire, question, merged)

    @property
    def _needs_saved(self) -> bool:
        """Whether any condition on this page depends on another page's answer."""
        page = {q.id for q in self.section.questions}
        pending = [q for q in self.section.questions if q.when]
        while pending:
            q = pending.pop()
            if q.when and q.when.question not in page:
                return True
            trigger = self.questionnaire.question(q.when.question) if q.when else None
            if trigger is not None and trigger.when:
                pending.append(trigger)
        return False

    def shown_before_page(self, question: Question) -> bool:
        """Whether the question can show at all given earlier pages (same-page triggers count as open)."""
        condition = question.when
        if condition is None:
            return True
        in_section = any(q.id == condition.question for q in self.section.questions)
        return in_section or is_visible(self.questionnaire, question, self.saved)


def _field(question: Question) -> Any:
    validators: list[Any] = [RequiredWhenShown(question)] if question.required else [Optional()]
    kwargs: dict[str, Any] = {"label": question.text, "description": question.help}
    choices = [SelectChoice(o.id, o.label) for o in question.options]
    if question.type == "single":
        return RadioField(choices=choices, validators=validators, **kwargs)
    if question.type == "multi":
        return MultiCheckboxField(choices=choices, validators=validators, **kwargs)
    if question.type == "number":
        validators.append(NumberRange(min=question.min, max=question.max))
        return IntegerField(validators=validators, **kwargs)
    validators.append(Length(max=question.max_length or 2000))
    if (question.max_length or 2000) <= 200:
        return StringField(validators=validators, **kwargs)
    return TextAreaField(validators=validators, **kwargs)


_FORM_CLASSES: dict[tuple[str, int, str], type[SectionForm]] = {}


def section_form_class(questionnaire: Questionnaire, section_id: str) -> type[SectionForm]:
    key = (questionnaire.id, questionnaire.version, section_id)
    if key not in _FORM_CLASSES:
        _FORM_CLASSES[key] = _build_form_class(questionnaire, section_id)
    return _FORM_CLASSES[key]


def _build_form_class(questionnaire: Questionnaire, section_id: str) -> type[SectionForm]:
    section = next(s for s in questionnaire.sections if s.id == section_id)
    attrs: dict[str, Any] = {q.id: _field(q) for q in section.questions}
    attrs.update(questionnaire=questionnaire, section=section)
    return type(f"{section_id.title().replace('_', '')}Form", (SectionForm,), attrs)


class StartForm(FlaskForm):
    #: Offered to signed-in members; removed from the form for everyone else.
    organisation = SelectField("Organisation", description="The assessment is saved to this organisation's history.")
    organisation_name = StringField(
        "Organisation name", validators=[Optional(), Length(max=200)],
        description="Optional. Shown on the result page and the report.")
    start_key = HiddenField(validators=[Length(min=16, max=64)])
    proceed = SubmitField("Start the assessment")


class ActionForm(FlaskForm):
    """A bare form for buttons that need nothing but CSRF protection (sign out, invite, share, revoke)."""

    submit = SubmitField()
