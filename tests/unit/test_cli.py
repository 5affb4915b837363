"""The command line's stable contract: `questionnaire show/validate` and `score`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import app_cli, domain
from tests import personas


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(domain, list(args))
    return result.exit_code, result.output


def test_score_json_has_the_documented_keys() -> None:
    code, out = run("score", str(personas.V1_DIR / "p3_retailer.yaml"), "--json")
    assert code == 0, out
    data = json.loads(out)
    assert set(data) == {"questionnaire", "stage", "levels", "confidence", "recommendation", "blockers",
                         "inconsistencies", "expectations", "contradictions"}
    assert data["questionnaire"] == {"id": "groundwork", "version": 1}
    assert set(data["stage"]) == {"index", "id", "title", "possible_index", "next"}
    assert data["levels"][0]["id"] == "collect"
    assert set(data["levels"][0]) == {"id", "title", "score", "reached", "low", "high", "state", "implied_by"}
    assert set(data["confidence"]) == {"value", "label"}
    assert {"first_hire", "not_yet", "generalist", "runner_up", "premature", "reasons", "first_90_days",
            "screen_for"} <= set(data["recommendation"])
    assert data["recommendation"]["first_hire"] == "data_scientist"


def test_score_reads_json_too_and_prints_a_summary(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"questionnaire": "groundwork", "version": 1,
                                "answers": personas.answers_v1("p2_media_company")}))
    code, out = run("score", str(path))
    assert code == 0, out
    assert out.startswith("Hire a data analyst first.")
    assert "Stage: 3 of 7. The pyramid is in place up to Move" in out


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ('{"questionnaire": "groundwork", "version": 1, "answers": {"headcount": "lots"}}', ".json",
         "question 'headcount': 'lots' is not an option; allowed: under_10"),
        ('{"questionnaire": "groundwork", "version": 1, "answers": {"colour": "red"}}', ".json",
         "question 'colour': no such question"),
        ('{"questionnaire": "groundwork", "version": 9, "answers": {}}', ".json",
         "no questionnaire 'groundwork' version 9"),
        ('{"answers": ', ".json", "not valid JSON"),
        ("answers: [1, 2]", ".yaml", "expected an object"),
        ("- just\n- a list", ".yaml", "expected an object"),
    ],
)
def test_bad_answer_files_exit_non_zero_with_a_precise_message(
    tmp_path: Path, content: str, suffix: str, message: str
) -> None:
    path = tmp_path / f"answers{suffix}"
    path.write_text(content)
    code, out = run("score", str(path))
    assert code != 0
    assert message in out


def test_questionnaire_show_json_lists_every_question_of_the_latest_or_a_chosen_version() -> None:
    code, out = run("questionnaire", "show", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["id"], data["version"]) == ("groundwork", 3)
    by_id = {q["id"]: q for q in data["questions"]}
    assert by_id["collect_activity"]["dont_know"] == "dk"
    assert by_id["collect_activity"]["level"] == "collect"
    assert {"id", "label", "points"} == set(by_id["collect_activity"]["options"][0])
    assert by_id["deploy_ci"]["condition"] == {"question": "learn_models", "any_of": ["one_in_use", "several"]}
    assert {"roles_in_post", "tools", "ml_teams", "ml_design_owner"} <= set(by_id)
    assert any(o.get("not_applicable") for o in by_id["collect_transactions"]["options"])
    assert data["contradictions"] and all(c["question_ids"] for c in data["contradictions"])
    assert {"own_about", "own_models", "ds_time", "people_data_analyst"} <= set(by_id)
    assert by_id["ml_expectation"]["type"] == "multi"
    code, out = run("questionnaire", "show", "--version", "3")
    assert code == 0 and "In your own words" in out and "people_statistician" in out
    code, out = run("questionnaire", "show", "--json", "--version", "2")
    assert json.loads(out)["version"] == 2
    code, out = run("questionnaire", "show", "--json", "--version", "1")
    old = json.loads(out)
    assert old["version"] == 1 and "collect_events" in {q["id"] for q in old["questions"]}
    code, out = run("questionnaire", "show", "--version", "7")
    assert code != 0 and "no questionnaire 'groundwork' version 7" in out


def test_score_accepts_version_2_files_with_the_new_keys(tmp_path: Path) -> None:
    path = tmp_path / "p10.json"
    path.write_text(json.dumps({"questionnaire": "groundwork", "version": 2,
                                "answers": personas.reading("p10", "cautious", version=2)}))
    code, out = run("score", str(path), "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data["questionnaire"] == {"id": "groundwork", "version": 2}
    assert data["stage"]["possible_index"] >= data["stage"]["index"]
    assert all({"low", "high"} <= set(level) for level in data["levels"])
    rec = data["recommendation"]
    assert rec["borderline"] is True and rec["would_change"]
    assert set(rec["would_change"][0]) == {"question_id", "answer", "first_hire"}
    assert isinstance(rec["in_post"], list) and isinstance(data["contradictions"], list)


def test_questionnaire_validate(tmp_path: Path) -> None:
    import assessments

    code, out = run("questionnaire", "validate", str(assessments.QUESTIONNAIRE_DIR / "groundwork-v1.yaml"))
    assert code == 0 and "valid" in out
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nversion: 1\n")
    code, out = run("questionnaire", "validate", str(broken))
    assert code != 0 and "broken.yaml" in out and "title: Field required" in out


def test_report_command_writes_a_pdf(tmp_path: Path) -> None:
    import io

    from pypdf import PdfReader

    out = tmp_path / "report.pdf"
    code, output = run("report", str(personas.V1_DIR / "p5_search.yaml"), "-o", str(out), "--organisation", "Seek Co")
    assert code == 0, output
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages).split())
    assert "Hire a machine learning researcher first." in text
    assert "Seek Co" in text


def test_domain_commands_start_without_the_web_stack() -> None:
    """`groundwork score` and `groundwork questionnaire` import no Flask, SQLAlchemy or WeasyPrint."""
    import subprocess
    import sys

    code = ("import sys; sys.argv = ['groundwork', 'score', sys.argv[1]]\n"
            "from app.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('flask', 'sqlalchemy', 'weasyprint', 'werkzeug', 'flask_login', 'flask_limiter'))\n"
            "print('HEAVY', heavy)\n")
    out = subprocess.run([sys.executable, "-c", code, str(personas.V1_DIR / "p3_retailer.yaml")],
                         capture_output=True, text=True, check=True).stdout
    assert "Hire a data scientist first." in out
    assert "HEAVY []" in out


def test_help_lists_the_domain_and_the_app_commands() -> None:
    result = CliRunner().invoke(app_cli(), ["--help"], env={"SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    assert result.exit_code == 0
    for command in ("score", "questionnaire", "report", "db", "users", "demo"):
        assert command in result.output


@pytest.mark.parametrize("key", sorted(personas.FACTS))
def test_advert_for_each_example_organisation_is_complete_and_in_its_own_words(tmp_path: Path, key: str) -> None:
    import assessments

    answers = personas.reading(key, "cautious")
    path = tmp_path / f"{key}.json"
    path.write_text(json.dumps({"questionnaire": "groundwork", "version": 3, "organisation": f"Org {key}",
                                "answers": answers}))
    code, out = run("advert", str(path))
    assert code == 0, out
    rec = assessments.evaluate(assessments.current(), answers).recommendation
    assert out.startswith(f"# {rec.first_hire.title} at Org {key}")
    for heading in ("## About us", "## Where our data stands", "## What you will do in your first months",
                    "## Whom you will join", "## What you need to know", "## What we offer", "## How to apply"):
        assert heading in out
    # How we interview and what we ask stay in the hiring pack, for the organisation only.
    assert "## How we will interview" not in out and "## Questions we will ask" not in out
    from tests.audit import sector_nouns, unquoted

    legal = assessments.sectors().of(answers.get("sector")).legal
    said = unquoted(out.replace(legal, "")).lower()
    # Nothing typical of a sector, unless the organisation said it.
    assert not sector_nouns(said, str(answers.get("main_question", "")).lower()), key


def test_not_yet_gets_what_to_do_instead_and_no_advert(tmp_path: Path) -> None:
    path = tmp_path / "prelaunch.json"
    path.write_text(json.dumps({"questionnaire": "groundwork", "version": 2,
                                "answers": {"service_users": "pre_launch", "collect_activity": "not_yet"}}))
    code, out = run("advert", str(path))
    assert code == 0 and out.startswith("# Not yet: no data hire to advertise")
    assert "## What to do instead" in out and "## How we will interview" not in out
