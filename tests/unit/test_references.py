"""Every id named outside the questionnaires (roles.yaml, sectors.yaml, code, templates) exists in one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import assessments
from app.cli import domain
from app.paths import project_dir
from assessments import references
from assessments.schema import QuestionnaireError, Roles, Sectors, read_yaml

VOCABULARY = references.Vocabulary.of(assessments.published().values(), assessments.roles())


def roles_with(old: str, new: str) -> Roles:
    """roles.yaml with one piece of text changed, as someone editing it might."""
    text = (assessments.DATA_DIR / "roles.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    from assessments.schema import parse_yaml

    return Roles.model_validate(parse_yaml(text.replace(old, new)))


def test_the_shipped_files_code_and_templates_name_only_ids_that_exist() -> None:
    assessments.check_references(assessments.published().values(), code_dir=assessments.DATA_DIR,
                                 templates_dir=project_dir("templates"))
    assert {"report_metrics", "learn_reproducible", "own_about"} <= set(VOCABULARY.options)  # v1, v2 and v3
    assert "documented" in VOCABULARY.options["report_metrics"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("unless: {answered: {report_metrics: [documented]}}", "unless: {answered: {report_metrics: [documentd]}}",
     "role 'data_analyst', first_90_days step 1, unless: answered names options ['documentd'] that "
     "'report_metrics' has in no published questionnaire"),
    ("when: {answered: {move_method: [by_hand]}}", "when: {answered: {move_methods: [by_hand]}}",
     "role 'data_engineer', first_90_days step 11, when: answered names question 'move_methods'"),
    ("cite: [report_dashboards]", "cite: [report_dashboard]",
     "role 'data_analyst', first_90_days step 2: cite names questions ['report_dashboard']"),
    ("      signals_all: [several_ml_teams]\n    skills", "      signals_all: [several_ml_team]\n    skills",
     "role 'ml_architect', available_when: signals_all names unknown signals ['several_ml_team']"),
    ("cite: [label_kept, label_datasets]", "cite: [label_kept, label_dataset]",
     "judgement 'labels_held_back': cite names questions ['label_dataset']"),
    ("fails_any: [store, move]", "fails_any: [store, moves]",
     "judgement 'labels_held_back', when: fails_any names unknown levels ['moves']"),
])
def test_a_typo_in_roles_yaml_is_named_with_its_place(old: str, new: str, expected: str) -> None:
    problems = references.check(VOCABULARY, roles_with(old, new), assessments.sectors())
    assert problems == [f"roles.yaml: {expected}" + problems[0].split(expected, 1)[1]], problems


@pytest.fixture
def typo_in_roles(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The shipped roles.yaml with `report_metrics: [documentd]`; the caches see it, then forget it."""
    bad = roles_with("report_metrics: [documented]", "report_metrics: [documentd]")
    monkeypatch.setattr(assessments, "roles", lambda: bad)
    assessments.published.cache_clear()
    yield
    monkeypatch.undo()
    assessments.published.cache_clear()
    assessments.published()


def test_a_typo_in_roles_yaml_stops_loading_and_fails_validate(typo_in_roles: None) -> None:
    with pytest.raises(QuestionnaireError, match=r"'documentd'"):
        assessments.published()
    result = CliRunner().invoke(domain, ["questionnaire", "validate",
                                         str(assessments.QUESTIONNAIRE_DIR / "groundwork-v3.yaml")])
    assert result.exit_code != 0 and "roles.yaml: role 'data_analyst'" in result.output
    assert "'documentd'" in result.output


def test_sectors_must_be_options_of_the_sector_question() -> None:
    words = read_yaml(assessments.DATA_DIR / "sectors.yaml")
    words["sectors"]["bakery"] = words["sectors"]["retail"]
    problems = references.check(VOCABULARY, assessments.roles(), Sectors.model_validate(words))
    assert problems == ["sectors.yaml: sector 'bakery' is not an option of 'sector' in any published questionnaire"]


def test_a_typo_in_code_is_found_by_the_scan(tmp_path: Path) -> None:
    code = tmp_path / "assessments"
    code.mkdir()
    (code / "wording.py").write_text('''"""A docstring may say anything_at_all."""
def words(answers, scored):
    """and_so_may_this."""
    roles = answers.get("roles_in_post")
    if "ds_on_plumbing" in scored.signals and answers.get("own_sytems"):
        return f"{'it' if roles else 'them'} now"
    return {"text": "low", "evidence": "deploy"}
''')
    (code / "schema.py").write_text('KINDS = ("not_an_id_but_generic",)\n')  # modules that handle ids as data
    problems = references.check(VOCABULARY, assessments.roles(), assessments.sectors(), code_dir=code)
    assert problems == ["assessments/wording.py, line 5: 'own_sytems' names no question, option, level, role, "
                        "blocker or signal of any published questionnaire (if it is not an id, add it to "
                        "references.WORDS)"]


def test_a_typo_in_a_template_is_found_but_its_html_text_is_not_read(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "results").mkdir(parents=True)
    (templates / "results" / "page.html").write_text(
        "<p>plain_words in HTML are text</p>\n"
        "{% for b in scored.blockers %}\n"
        "{% if b.id == 'legal_unclaer' %}{{ rec.sector_legal }}{% endif %}\n"
        "{% if b.id == 'legal_unclear' %}ok{% endif %}\n"
        "{% endfor %}\n")
    (templates / "auth").mkdir()
    (templates / "auth" / "login.html").write_text("{{ field(form.email, autocomplete='username') }}\n")
    problems = references.check(VOCABULARY, assessments.roles(), assessments.sectors(), templates_dir=templates)
    assert len(problems) == 1 and problems[0].startswith("templates/results/page.html, line 3: 'legal_unclaer'")


def test_the_domain_s_own_modules_are_scanned() -> None:
    scanned = {p.name for p in assessments.DATA_DIR.glob("*.py")} - references.GENERIC_MODULES
    assert {"recommend.py", "advert.py", "borderline.py"} <= scanned


def test_conditional_skills_and_questions_and_who_is_in_post_are_checked_too() -> None:
    raw = read_yaml(assessments.DATA_DIR / "roles.yaml")
    engineer = next(r for r in raw["roles"] if r["id"] == "data_engineer")
    engineer["skills"].append({"text": "Scale", "when": {"answered": {"store_scal": ["at_limit"]}}})
    plumbing = next(j for j in raw["judgements"] if j["id"] == "data_scientist_on_plumbing")
    plumbing["when"]["nobody_in_post_as"] = ["data_enginer"]
    problems = references.check(VOCABULARY, Roles.model_validate(raw), assessments.sectors())
    assert any("role 'data_engineer', skills item" in p and "'store_scal'" in p for p in problems)
    assert any("nobody_in_post_as names unknown roles ['data_enginer']" in p for p in problems)
