"""What an assessment said stays what it said when the rules change afterwards: the result page,
the PDF, the advert, the history and the exports show the recorded outcome; a new assessment
shows the new rules; a comparison across the change says so."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

import assessments
from app.extensions import db
from app.models import RecordedOutcome, RuleFile
from app.services import rules
from tests import personas
from tests.web.helpers import complete, create_org, csrf, make_assessment, sign_up, start

pytestmark = pytest.mark.db


def squash(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    return squash("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def rules_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Today's roles.yaml and sectors.yaml, read from a copy the test may edit."""
    folder = tmp_path / "rules"
    folder.mkdir()
    for name in (rules.ROLES, rules.SECTORS):
        shutil.copy(assessments.DATA_DIR / name, folder / name)
    monkeypatch.setattr(rules, "RULES_DIR", folder)
    return folder


def change_the_rules(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A role's wording (the data scientist becomes a research scientist) and a threshold (a level
    holds from 90 instead of 60)."""
    roles_file = folder / rules.ROLES
    text = roles_file.read_text(encoding="utf-8")
    assert "title: Data scientist" in text
    roles_file.write_text(text.replace("title: Data scientist", "title: Research scientist"), encoding="utf-8")
    current = assessments.current()
    monkeypatch.setitem(assessments.published(), current.key, current.model_copy(update={"threshold": 90}))


@pytest.mark.usefixtures("pdf_worker")
def test_a_finished_assessment_says_what_it_said_after_the_rules_change(client, app, rules_copy,
                                                                       monkeypatch) -> None:
    token = start(client, organisation="Rule Changers")
    complete(client, token, personas.answers("p3_retailer"))  # finished through the questionnaire
    assert "rules have changed" not in client.get(f"/assessments/{token}").get_data(as_text=True)
    sign_up(client, "rules@example.org")
    org = create_org(client, "Rule Changers")
    before = client.get(f"/assessments/{token}").get_data(as_text=True)
    assert "Hire a data scientist" in before
    assert client.post(f"/assessments/{token}/claim", data={
        "csrf_token": csrf(before), "organisation": str(org)}).status_code == 302

    change_the_rules(rules_copy, monkeypatch)

    # The result page: what it said, a notice, and today's rules one click away.
    page = squash(client.get(f"/assessments/{token}").get_data(as_text=True))
    said, today_says = page.lower().split("today's rules would say")
    assert "hire a data scientist" in said and "research scientist" not in said
    assert "first hire: research scientist" in today_says
    assert "Groundwork's rules have changed since this assessment was finished" in page
    assert "Today's rules would say: stage 0" in page
    assert f'href="/assessments/{token}?rules=today"' in page
    today = squash(client.get(f"/assessments/{token}?rules=today").get_data(as_text=True))
    assert "You are seeing this assessment with today's rules" in today
    assert "research scientist" in today.lower() and "no level counts as in place yet" in today
    assert "When it was finished, Groundwork said: stage 5 (Label), first hire: Data scientist" in today

    # The PDF and the advert: as it was.
    response = client.get(f"/assessments/{token}/report.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Hire a data scientist" in text and "The pyramid is in place up to Label" in text
    assert "Research scientist" not in text
    advert = client.get(f"/assessments/{token}/advert").get_data(as_text=True)
    assert "Data scientist at Rule Changers" in advert and "Research scientist" not in advert

    # A new assessment is worked out under the new rules, and says so without a notice.
    _, new_token = make_assessment(app, org, personas.answers("p3_retailer"), label="After the change")
    fresh = squash(client.get(f"/assessments/{new_token}").get_data(as_text=True))
    assert "research scientist" in fresh.lower() and "rules have changed" not in fresh
    assert "no level counts as in place yet" in fresh

    # The history and the exports list what each said when it was finished.
    history = client.get(f"/orgs/{org}").get_data(as_text=True)
    rows = history.split('<table class="history stack-on-phone">')[1].split("</table>")[0].split("<tr>")[2:]
    assert "5 · Label" in rows[0] and "Data scientist" in rows[0]
    assert "0 · none" in rows[1] and "Research scientist" in rows[1]
    exported = json.loads(client.get(f"/orgs/{org}/export.json").get_data(as_text=True))["assessments"]
    assert [(a["stage"], a["first_hire"]) for a in exported] == [(5, "data_scientist"), (0, "data_scientist")]
    csv_text = client.get(f"/orgs/{org}/export.csv").get_data(as_text=True)
    assert csv_text.splitlines()[1].count(",5,Label,") == 1

    # A comparison across the change compares both on today's rules, and says so.
    ids = [a["assessment_id"] for a in exported]
    compared = client.get(f"/orgs/{org}/compare?before={ids[0]}&after={ids[1]}").get_data(as_text=True)
    assert "finished under different versions of Groundwork's rules" in compared
    assert "both are compared here on today's rules" in compared
    assert "0 → 0" in squash(compared)


def test_the_rules_are_kept_once_by_checksum(client, app, rules_copy, monkeypatch) -> None:
    sign_up(client, "kept@example.org")
    org = create_org(client, "Kept")
    for name in personas.NAMES[:3]:
        make_assessment(app, org, personas.answers(name))
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(RuleFile)).scalar_one() == 3
    change_the_rules(rules_copy, monkeypatch)
    make_assessment(app, org, personas.answers(personas.NAMES[0]))
    with app.app_context():
        names = sorted(db.session.execute(db.select(RuleFile.name)).scalars())
        assert names == ["groundwork-v3.json", "groundwork-v3.json", "roles.yaml", "roles.yaml", "sectors.yaml"]
        fingerprints = set(db.session.execute(db.select(RecordedOutcome.rules)).scalars())
        assert len(fingerprints) == 2


def test_an_assessment_finished_before_records_existed_gets_one_when_first_listed_or_shown(client, app) -> None:
    sign_up(client, "old@example.org")
    org = create_org(client, "Older")
    first, token = make_assessment(app, org, personas.answers("p1_online_shop"), record=False)
    make_assessment(app, org, personas.answers("p2_media_company"), record=False)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(RecordedOutcome)).scalar_one() == 0
    page = client.get(f"/orgs/{org}").get_data(as_text=True)
    assert "Data engineer" in page and "Data analyst" in page
    with app.app_context():
        recorded = db.session.get(RecordedOutcome, first)
        expected = assessments.evaluate(assessments.current(), personas.answers("p1_online_shop")).to_dict()
        assert recorded.outcome["stage"] == expected["stage"]
        assert recorded.outcome["recommendation"]["first_hire"] == expected["recommendation"]["first_hire"]
        assert db.session.execute(db.select(db.func.count()).select_from(RecordedOutcome)).scalar_one() == 2
    assert client.get(f"/assessments/{token}").status_code == 200


def test_editing_a_finished_assessment_records_it_again(client, app) -> None:
    from tests.web.helpers import post_section

    token = start(client, organisation="Editors")
    complete(client, token, personas.answers("p3_retailer"))
    with app.app_context():
        first = db.session.execute(db.select(RecordedOutcome)).scalar_one()
        assert first.outcome["recommendation"]["first_hire"] == "data_scientist"
    post_section(client, token, "learn", {"learn_models": "several", "learn_validation": "held_out_baseline",
                                          "learn_runs": "pipeline", "learn_repeatable": "yes",
                                          "learn_baseline": "tracked"})
    assert "Hire a machine learning engineer" in client.get(f"/assessments/{token}").get_data(as_text=True)
    with app.app_context():
        again = db.session.execute(db.select(RecordedOutcome)).scalar_one()
        assert again.outcome["recommendation"]["first_hire"] == "ml_engineer"
        assert again.revision > first.revision


def test_history_pages_list_the_latest_first_and_page_back(client, app) -> None:
    from app.services.history import PAGE_SIZE

    sign_up(client, "pages@example.org")
    org = create_org(client, "Paged")
    for i in range(PAGE_SIZE + 3):
        make_assessment(app, org, personas.answers(personas.NAMES[i % len(personas.NAMES)]), label=f"Number {i + 1}")
    first = client.get(f"/orgs/{org}").get_data(as_text=True)
    assert "Number 4<" in first and f"Number {PAGE_SIZE + 3}<" in first and "Number 3<" not in first
    assert f"Assessments 4 to {PAGE_SIZE + 3} of {PAGE_SIZE + 3}" in first and "Earlier assessments" in first
    second = client.get(f"/orgs/{org}?page=2").get_data(as_text=True)
    assert "Number 1<" in second and "Number 3<" in second and "Number 4<" not in second
    assert "Later assessments" in second
    assert client.get(f"/orgs/{org}?page=99").status_code == 200
    assert client.get(f"/orgs/{org}?page=x").status_code == 200


def test_exports_read_the_history_a_batch_at_a_time(client, app) -> None:
    from app.services import history

    sign_up(client, "batches@example.org")
    org = create_org(client, "Batched")
    made = [make_assessment(app, org, personas.answers(personas.NAMES[i % len(personas.NAMES)]))[0]
            for i in range(5)]
    with app.app_context():
        pages = list(history.batches(org, size=2))
        assert [len(p) for p in pages] == [2, 2, 1]
        assert [e.assessment.id for p in pages for e in p] == made
    exported = json.loads(client.get(f"/orgs/{org}/export.json").get_data(as_text=True))["assessments"]
    assert [a["assessment_id"] for a in exported] == made
