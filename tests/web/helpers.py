"""Helpers for driving the questionnaire through the test client, CSRF tokens included."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

import assessments
from app.web.forms import field_name

TOKEN_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
START_KEY_RE = re.compile(r'name="start_key" type="hidden" value="([^"]+)"')


def csrf(html: str) -> str:
    match = TOKEN_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def start(client: FlaskClient, organisation: str = "Acme Ltd", **request: Any) -> str:
    """Start an assessment; return its token. `request` goes to the client (base_url, ...)."""
    page = client.get("/assessments/new", **request).get_data(as_text=True)
    response = client.post("/assessments/new", data={
        "csrf_token": csrf(page), "start_key": START_KEY_RE.search(page).group(1),
        "organisation_name": organisation}, **request)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].split("/assessments/")[1].split("/")[0]


def post_section(client: FlaskClient, token: str, section_id: str, answers: dict[str, Any],
                 back: bool = False, extra: dict[str, Any] | None = None):
    url = f"/assessments/{token}/sections/{section_id}"
    page = client.get(url).get_data(as_text=True)
    data: dict[str, Any] = {"csrf_token": csrf(page), **(extra or {})}
    data.update({field_name(k): v for k, v in answers.items()})
    data["back" if back else "proceed"] = "Back" if back else "Next"
    return client.post(url, data=data)


def complete(client: FlaskClient, token: str, answers: dict[str, Any]):
    """Answer every section in order, as the Next button leads; return the last response."""
    section_id = assessments.current().sections[0].id
    response = None
    for _ in assessments.current().sections:
        section = next(s for s in assessments.current().sections if s.id == section_id)
        page_answers = {q.id: answers[q.id] for q in section.questions if q.id in answers}
        response = post_section(client, token, section.id, page_answers)
        assert response.status_code == 302, (section.id, response.get_data(as_text=True)[:2000])
        location = response.headers["Location"]
        if "/sections/" not in location:
            break
        section_id = location.rsplit("/", 1)[1].split("?")[0]
    return response


def checked(html: str, name: str, value: str) -> bool:
    """Whether the radio or checkbox of question `name` with value is rendered checked."""
    name = field_name(name)
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return " checked" in tag
    return False


def form_token(client: FlaskClient, url: str) -> str:
    return csrf(client.get(url).get_data(as_text=True))


def request_sign_up(client: FlaskClient, email: str, password: str = "correct horse battery", next: str = ""):
    """Only the sign-up form: the account waits for its address to be confirmed."""
    url = "/signup" + (f"?next={next}" if next else "")
    return client.post(url, data={"csrf_token": form_token(client, "/signup"), "email": email,
                                  "password": password, "confirm": password})


def confirm_email(client: FlaskClient, email: str, password: str = "correct horse battery"):
    """Follow the link in the last e-mail to `email` (the test SMTP server's) and enter the password."""
    mailbox = client.application.extensions["test_mailbox"]
    link = mailbox.link(email, "/signup/confirm/")
    return client.post(link, data={"csrf_token": form_token(client, link), "password": password})


def sign_up(client: FlaskClient, email: str, password: str = "correct horse battery"):
    """Sign up as a person does: the form, then the link in the e-mail. Returns the response that signs in."""
    response = request_sign_up(client, email, password)
    if response.status_code != 302:
        return response  # refused (a short password, a limit): the test looks at why
    from app.services.accounts import normalise_email

    return confirm_email(client, normalise_email(email), password)


def log_in(client: FlaskClient, email: str, password: str = "correct horse battery"):
    return client.post("/login", data={"csrf_token": form_token(client, "/login"), "email": email,
                                       "password": password})


def create_org(client: FlaskClient, name: str) -> int:
    response = client.post("/orgs", data={"csrf_token": form_token(client, "/orgs"), "name": name})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def make_assessment(app, organisation_id: int | None, answers: dict[str, Any], *, label: str = "",
                    complete: bool = True, version: int | None = None):
    """Insert a finished assessment directly (fast), returning (id, token). Latest version unless given."""
    import secrets

    from app.extensions import db
    from app.models import AnswerRow, Assessment, utcnow
    from assessments.answers import clean_answers

    q = assessments.current() if version is None else assessments.get("groundwork", version)
    with app.app_context():
        a = Assessment(token=secrets.token_urlsafe(24), start_key=secrets.token_urlsafe(24), label=label,
                       organisation_id=organisation_id, questionnaire_id=q.id, questionnaire_version=q.version,
                       completed_at=utcnow() if complete else None)
        db.session.add(a)
        db.session.flush()
        for qid, value in clean_answers(q, answers).items():
            db.session.add(AnswerRow(assessment_id=a.id, question_id=qid, value=value))
        db.session.commit()
        return a.id, a.token
