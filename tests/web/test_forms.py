"""Section forms built from questionnaire data: any valid question id works as a question."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from flask import Flask

from app.web.forms import field_name, section_form_class
from assessments.schema import load_questionnaire

#: Ids that are also names on a WTForms form or on our SectionForm.
CLASHING = ["section", "questionnaire", "data", "meta", "errors", "csrf_token", "validate", "back", "proceed",
            "saved", "answers", "process"]


def _questionnaire(tmp_path: Path):
    questions = "\n".join(textwrap.dedent(f"""\
          - id: {qid}
            type: single
            level: base
            text: Question {qid}?
            help: Why {qid}.
            options:
              - {{id: "no", label: "No", points: 0}}
              - {{id: "yes", label: "Yes", points: 2}}
              - {{id: dk, label: "I don't know", dont_know: true}}""") for qid in CLASHING)
    text = textwrap.dedent("""\
        id: clash
        version: 1
        title: Clash
        threshold: 60
        levels:
          - {id: base, title: Base, summary: The base.}
        sections:
          - id: only
            title: Only
            intro: The only one.
            questions:
        """) + textwrap.indent(questions, "      ") + "\n"
    path = tmp_path / "clash.yaml"
    path.write_text(text)
    return load_questionnaire(path)


def test_question_ids_that_name_form_attributes_load_and_validate(tmp_path: Path) -> None:
    questionnaire = _questionnaire(tmp_path)
    form_class = section_form_class(questionnaire, "only")
    app = Flask(__name__)
    app.config.update(SECRET_KEY="x", WTF_CSRF_ENABLED=False)
    submitted = {field_name(qid): "yes" for qid in CLASHING} | {"proceed": "Next"}
    with app.test_request_context("/", method="POST", data=submitted):
        form = form_class(saved={})
        assert form.validate(), form.errors
        assert form.answers() == dict.fromkeys(CLASHING, "yes")
        # The form's own machinery is intact.
        assert form.section.id == "only" and form.questionnaire.id == "clash"
        assert form.proceed.data is True and form.back.data is False


@pytest.mark.parametrize("missing", ["section", "data", "csrf_token"])
def test_a_missing_answer_is_reported_on_its_own_field(tmp_path: Path, missing: str) -> None:
    questionnaire = _questionnaire(tmp_path)
    form_class = section_form_class(questionnaire, "only")
    app = Flask(__name__)
    app.config.update(SECRET_KEY="x", WTF_CSRF_ENABLED=False)
    submitted = {field_name(qid): "yes" for qid in CLASHING if qid != missing} | {"proceed": "Next"}
    with app.test_request_context("/", method="POST", data=submitted):
        form = form_class(saved={})
        assert not form.validate()
        assert list(form.errors) == [field_name(missing)]
