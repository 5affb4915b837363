"""Every form of the web app, in one place, by blueprint.

Questionnaire forms (the assess blueprint) are built from the questionnaire data.

One FlaskForm subclass per (questionnaire version, section), made once and
cached, with one WTForms field per question and validators derived from the
definition. Views never read request.form by hand: unknown fields are simply
not fields, and tampered choices fail WTForms' choice validation.

A question's field is named ``q_<question id>`` (field_name): question ids are
the questionnaire's business, and a prefix keeps them from ever colliding with
the attributes and methods of a WTForms form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
)
from wtforms.widgets import CheckboxInput, ListWidget

from assessments.answers import is_visible
from assessments.schema import Question, Questionnaire, Section

from ..services import accounts


class Form(FlaskForm):
    """Base of every form here. Fields read the urlencoded or multipart text fields only.

    Flask-WTF would also hand a field an uploaded file, or the values of a
    JSON body, when a request carries them; no Groundwork form takes either,
    and a file where text is expected must be a validation error, not a crash.
    A NUL byte, which PostgreSQL cannot store or compare, becomes U+FFFD in
    every field (as clean_text does), so no form value can fail a query.
    """

    class Meta:
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if formdata is not _Auto:
                return formdata
            if request.method not in SUBMIT_METHODS:
                return None
            return MultiDict([(k, v.replace("\x00", "\ufffd")) for k, v in request.form.items(multi=True)])


SUBMIT_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

REQUIRED_MESSAGE = "Please answer this question, or choose \u201cI don't know\u201d if you are unsure."


FIELD_PREFIX = "q_"


def field_name(question_id: str) -> str:
    """The form field (and HTML name) of a question."""
    return FIELD_PREFIX + question_id


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


class SectionForm(Form):
    """Base of every section form; subclasses add one field per question."""

    questionnaire: Questionnaire
    section: Section
    back = SubmitField("Back")
    proceed = SubmitField("Next")

    def __init__(self, *args: Any, saved: Mapping[str, Any], fill: bool = False, **kwargs: Any) -> None:
        """`saved` are the assessment's stored answers. `fill` shows them in the fields (a page
        being viewed); a submitted page counts only what was submitted, so it is left False."""
        if fill:
            kwargs["data"] = {field_name(k): v for k, v in saved.items()}
        super().__init__(*args, **kwargs)
        self.saved = dict(saved)
        #: Set when the person presses Back: save what is valid, require nothing.
        self.lenient = False

    #: For templates: the HTML name of any question's field, on this page or not.
    name_of = staticmethod(field_name)

    def field_for(self, question: Question) -> Any:
        return self[field_name(question.id)]

    def answers(self) -> dict[str, Any]:
        """This page's answers, keyed by question id; empty fields are left out."""
        values: dict[str, Any] = {}
        for question in self.section.questions:
            data = self.field_for(question).data
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
        merged = {k: v for k, v in self.saved.items() if k not in page} | self.answers()
        return is_visible(self.questionnaire, question, merged)

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
    attrs: dict[str, Any] = {field_name(q.id): _field(q) for q in section.questions}
    attrs.update(questionnaire=questionnaire, section=section)
    return type(f"{section_id.title().replace('_', '')}Form", (SectionForm,), attrs)


# -- assess ------------------------------------------------------------------


#: Start keys are made by the page (secrets.token_urlsafe); anything else is a stale or forged form.
START_KEY = [Length(min=16, max=64), Regexp(r"^[A-Za-z0-9_-]+$")]


class StartForm(Form):
    #: Offered to signed-in members; removed from the form for everyone else.
    organisation = SelectField("Organisation", description="The assessment is saved to this organisation's history.")
    organisation_name = StringField(
        "Organisation name", validators=[Optional(), Length(max=200)],
        description="Optional. Shown on the result page and the report.")
    start_key = HiddenField(validators=START_KEY)
    proceed = SubmitField("Start the assessment")


class ActionForm(Form):
    """A bare form for buttons that need nothing but CSRF protection (sign out, invite, share, revoke)."""

    submit = SubmitField()


# -- results -----------------------------------------------------------------


class LabelForm(Form):
    label = StringField("Label", validators=[Length(max=120)])
    submit = SubmitField("Save label")


class AdvertForm(Form):
    """What the hiring manager writes into the job advert; every field may stay empty (a placeholder)."""

    about = TextAreaField("About us", validators=[Length(max=1000)],
                          description="A few lines on what your organisation does and why it is a good place to "
                                      "work. Left empty, the advert describes you from your answers.")
    salary = StringField("Salary", validators=[Length(max=200)], description="For example “£48,000 to £56,000”.")
    location = StringField("Location", validators=[Length(max=200)],
                           description="For example “Bristol, two days a week in the office”.")
    how_to_apply = TextAreaField("How to apply", validators=[Length(max=1000)],
                                 description="Where to send what, and by when.")
    submit = SubmitField("Save the advert")


class ClaimForm(Form):
    organisation = SelectField("Organisation")
    submit = SubmitField("Add to organisation")


# -- orgs --------------------------------------------------------------------


class OrganisationForm(Form):
    name = StringField("Organisation name", validators=[InputRequired(), Length(max=200)])
    submit = SubmitField("Create organisation")


class NewAssessmentForm(Form):
    start_key = HiddenField(validators=START_KEY)
    label = StringField("Label", validators=[Optional(), Length(max=120)],
                        description="For example \u201cQ3 review\u201d or \u201cafter our data engineer joined\u201d.")
    copy_latest = BooleanField("Start from a copy of the latest answers")
    submit = SubmitField("Start a new assessment")


# -- rounds ------------------------------------------------------------------

#: The seats a respondent answers from (assessments.team.SEATS), with who sits there.
SEAT_HINTS = {
    "leadership": "founders, directors, heads of a department",
    "technical": "engineering, data, IT",
    "business": "sales, finance, operations, product, customer teams",
    "other": "anyone else",
}


def seat_choices() -> list[tuple[str, str]]:
    from assessments.team import SEATS

    return [(key, f"{title} ({SEAT_HINTS[key]})" if key in SEAT_HINTS else title) for key, title in SEATS.items()]


class _SeatForm(Form):
    seat = RadioField("Which seat do you answer from?", validators=[InputRequired("Please choose a seat.")],
                      description="The combined result shows where the seats see things differently.")
    name = StringField("Your name", validators=[Optional(), Length(max=120)],
                       description="Optional. Only the organisation's members see it; anyone else sees "
                                   "seats, never names.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seat.choices = seat_choices()


class RoundStartForm(_SeatForm):
    start_key = HiddenField(validators=START_KEY)
    label = StringField("Label of the round", validators=[Optional(), Length(max=120)],
                        description="For example \u201cQ3 review, whole team\u201d.")
    seat = RadioField("Your seat", validators=[InputRequired("Please choose the seat you answer from.")],
                      description="You answer first; then invite colleagues from the round's page.")
    submit = SubmitField("Start a team round")


class JoinRoundForm(_SeatForm):
    #: Names the response this form creates: the same form sent twice (a double-click) finds it again.
    join_key = HiddenField(validators=START_KEY)
    submit = SubmitField("Start answering")


class RoundInviteForm(Form):
    name = StringField("Their name", validators=[Optional(), Length(max=120)],
                       description="Optional: to tell the invitations apart on this page.")
    email = EmailField("Their e-mail address", validators=[Optional(), Email(check_deliverability=False),
                                                            Length(max=254)],
                       description="Optional: we e-mail them the link. Either way, the next page shows the link "
                                   "once, to copy.")
    submit = SubmitField("Create the invitation")


# -- auth --------------------------------------------------------------------

MIN_PASSWORD = accounts.MIN_PASSWORD


class SignupForm(Form):
    email = EmailField("Email", validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField("Password", validators=[
        InputRequired(), Length(min=MIN_PASSWORD, max=200,
                                message=f"Use at least {MIN_PASSWORD} characters for the password.")],
                             description=f"At least {MIN_PASSWORD} characters.")
    confirm = PasswordField("Repeat the password",
                            validators=[InputRequired(), EqualTo("password", "The passwords differ.")])
    submit = SubmitField("Create account")


class LoginForm(Form):
    email = EmailField("Email", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=200)])
    submit = SubmitField("Sign in")


class ConfirmEmailForm(Form):
    password = PasswordField("Your password", validators=[InputRequired(), Length(max=200)],
                             description="The one you chose when you created the account.")
    submit = SubmitField("Confirm and sign in")


class EmailForm(Form):
    """One e-mail address: forgotten password, e-mailed invitation, resume link."""

    email = EmailField("Email", validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    submit = SubmitField("Send")


class NewPasswordForm(Form):
    password = PasswordField("New password", validators=[
        InputRequired(), Length(min=MIN_PASSWORD, max=200,
                                message=f"Use at least {MIN_PASSWORD} characters for the password.")],
                             description=f"At least {MIN_PASSWORD} characters.")
    confirm = PasswordField("Repeat the new password",
                            validators=[InputRequired(), EqualTo("password", "The passwords differ.")])
    submit = SubmitField("Set the new password")


class DeleteAccountForm(Form):
    password = PasswordField("Your password", validators=[InputRequired(), Length(max=200)],
                             description="To be sure it is you.")
    submit = SubmitField("Delete my account")
