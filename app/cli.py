"""The `groundwork` command line.

Domain commands (questionnaire, score, report) run without the web app or a
database, and start without importing Flask: `main` sends them to a plain
click group. Everything else (db, run, users, demo, and `--help`, which lists
all) goes to Flask's CLI, which loads the app. The JSON printed by
`score --json` and `questionnaire show --json` is a stable contract: scripts
depend on it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
import yaml

import assessments
from assessments.answers import AnswerError
from assessments.schema import QuestionnaireError, load_questionnaire, parse_yaml

from .paths import project_dir

HELP = "Groundwork: which data role to hire first, from a data-maturity assessment."


@click.group(help=HELP)
def domain() -> None:
    """The commands that need only assessments/: no app, no database, no Flask."""


def _create_app() -> Any:
    from . import create_app

    return create_app()


def app_cli() -> click.Group:
    """Flask's CLI for the app commands, with the domain commands added so that --help lists everything."""
    from flask.cli import FlaskGroup

    group = FlaskGroup(help=HELP, create_app=_create_app, add_version_option=False)
    for name, command in domain.commands.items():
        group.add_command(command, name)
    return group


def main() -> Any:
    """The `groundwork` entry point."""
    if len(sys.argv) > 1 and sys.argv[1] in domain.commands:
        return domain.main()
    return app_cli().main()


@domain.group(cls=click.Group)
def questionnaire() -> None:
    """Inspect and check questionnaire files."""


@questionnaire.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print the questionnaire as JSON.")
@click.option("--version", "version", type=int, default=None,
              help="A published version (default: the latest, which new assessments use).")
def questionnaire_show(as_json: bool, version: int | None) -> None:
    """Print a published questionnaire: the latest, or --version N."""
    try:
        q = assessments.current() if version is None else assessments.get("groundwork", version)
    except assessments.UnknownQuestionnaire as error:
        raise click.ClickException(str(error)) from None
    if not as_json:
        click.echo(f"{q.title} ({q.id} version {q.version}): {len(q.questions)} questions")
        for section in q.sections:
            click.echo(f"\n{section.title}")
            for question in section.questions:
                click.echo(f"  {question.id}: {question.text}")
        return
    click.echo(json.dumps(questionnaire_dict(q), indent=2, ensure_ascii=False))


def questionnaire_dict(q: assessments.Questionnaire) -> dict[str, Any]:
    return {
        "id": q.id,
        "version": q.version,
        "title": q.title,
        "threshold": q.threshold,
        "levels": [{"id": lv.id, "title": lv.title, "summary": lv.summary} for lv in q.levels],
        "sections": [{"id": s.id, "title": s.title} for s in q.sections],
        "questions": [
            {
                "id": question.id,
                "section": section.id,
                "text": question.text,
                "help": question.help,
                "type": question.type,
                "level": question.level,
                "required": question.required,
                "options": [{"id": o.id, "label": o.label, "points": o.points,
                             **({"not_applicable": True} if o.not_applicable else {})} for o in question.options],
                "dont_know": question.dont_know_option.id if question.dont_know_option else None,
                "condition": (
                    {"question": question.when.question, "any_of": list(question.when.any_of)}
                    if question.when else None
                ),
            }
            for section in q.sections
            for question in section.questions
        ],
        "contradictions": [{"id": c.id, "text": c.text, "question_ids": [f.question for f in c.all_of]}
                           for c in q.contradictions],
    }


@questionnaire.command("validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def questionnaire_validate(file: Path) -> None:
    """Check a questionnaire FILE, and every id that roles.yaml, sectors.yaml, the code and the templates
    name against it and the published versions; exit 1 with every problem found."""
    try:
        q = load_questionnaire(file)
        assessments.roles().check_levels(q)
        published = {k: v for k, v in assessments.published_files().items() if k != q.key}
        assessments.check_references([*published.values(), q], code_dir=assessments.DATA_DIR,
                                     templates_dir=project_dir("templates"))
    except QuestionnaireError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{file.name}: valid ({q.id} version {q.version}, {len(q.questions)} questions)")


def _read_data(file: Path) -> dict[str, Any]:
    """An answer file's object, checked for shape; ClickException when malformed."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{file}: cannot read: {error}") from None
    try:
        data = json.loads(text) if file.suffix == ".json" else parse_yaml(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        kind = "JSON" if file.suffix == ".json" else "YAML"
        raise click.ClickException(f"{file}: not valid {kind}: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise click.ClickException(
            f'{file}: expected an object {{"questionnaire": ID, "version": N, "answers": {{...}}}}')
    unknown_keys = set(data) - {"questionnaire", "version", "answers", "organisation", "seat", "name"}
    if unknown_keys:
        raise click.ClickException(f"{file}: unknown keys {sorted(unknown_keys)}")
    return data


def _questionnaire_of(file: Path, data: dict[str, Any]) -> assessments.Questionnaire:
    try:
        return (assessments.get(str(data["questionnaire"]), int(data["version"]))
                if "questionnaire" in data or "version" in data else assessments.current())
    except (KeyError, ValueError, TypeError):
        raise click.ClickException(f"{file}: give both \"questionnaire\" and an integer \"version\"") from None
    except assessments.UnknownQuestionnaire as error:
        raise click.ClickException(f"{file}: {error}") from None


def read_answer_file(file: Path) -> tuple[assessments.Questionnaire, dict[str, Any]]:
    """Read {"questionnaire", "version", "answers"} from YAML or JSON; ClickException when malformed."""
    data = _read_data(file)
    return _questionnaire_of(file, data), data["answers"]


def read_response(file: Path) -> tuple[assessments.Questionnaire, assessments.Response]:
    """One respondent's answer file: the answers, and the optional "seat" (leadership, technical, business,
    other) and "name" they answered as."""
    from assessments.team import SEATS

    data = _read_data(file)
    q, answers = _questionnaire_of(file, data), data["answers"]
    seat, name = data.get("seat", "other"), data.get("name", "")
    if seat not in SEATS:
        raise click.ClickException(f"{file}: \"seat\" must be one of {', '.join(SEATS)}")
    if not isinstance(name, str):
        raise click.ClickException(f"{file}: \"name\" must be text")
    return q, assessments.Response(seat, answers, name)


@domain.command("score")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
def score_command(files: tuple[Path, ...], as_json: bool) -> None:
    """Score an answers FILE (YAML or JSON) and print the recommendation.

    With several FILEs, one per respondent of a team, their answers are combined (see assessments/team.py)
    and the JSON adds "respondents" and "disagreements"."""
    if len(files) == 1:
        q, answers = read_answer_file(files[0])
        try:
            outcome = assessments.evaluate(q, answers)
        except AnswerError as error:
            raise click.ClickException(f"{files[0]}: {error}") from None
    else:
        from assessments.team import evaluate_team

        read = [read_response(file) for file in files]
        q = read[0][0]
        for file, (other, _) in zip(files, read, strict=True):
            if other.key != q.key:
                raise click.ClickException(f"{file}: answered on {other.id} version {other.version}, but "
                                           f"{files[0]} on version {q.version}: a team answers one version")
        for file, (_, response) in zip(files, read, strict=True):
            try:
                assessments.evaluate(q, response.answers, borderline=False)
            except AnswerError as error:
                raise click.ClickException(f"{file}: {error}") from None
        outcome = evaluate_team(q, [response for _, response in read])
    if as_json:
        click.echo(json.dumps(outcome.to_dict(), indent=2, ensure_ascii=False))
        return
    _print_summary(outcome)


@domain.command("report")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True,
              help="Where to write the PDF.")
@click.option("--organisation", default=None, help="Name on the cover (default: the file's \"organisation\").")
def report_command(file: Path, output: Path, organisation: str | None) -> None:
    """Render the PDF report for an answers FILE (the format of `score`)."""
    from datetime import date

    from .reports import pdf

    q, answers = read_answer_file(file)
    try:
        outcome = assessments.evaluate(q, answers)
    except AnswerError as error:
        raise click.ClickException(f"{file}: {error}") from None
    name = organisation if organisation is not None else str(_answer_file_organisation(file) or "")
    data = pdf.render_pdf(pdf.report_html(outcome, organisation=name, when=date.today()))
    output.write_bytes(data)
    click.echo(f"{output}: {len(data) // 1024} KB, {outcome.recommendation.headline}")


@domain.command("advert")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--organisation", default=None, help="Organisation name (default: the file's \"organisation\").")
def advert_command(file: Path, organisation: str | None) -> None:
    """Print, in Markdown, a job advert for the role recommended for an answers FILE."""
    from assessments.advert import advert

    q, answers = read_answer_file(file)
    try:
        outcome = assessments.evaluate(q, answers, borderline=False)
    except AnswerError as error:
        raise click.ClickException(f"{file}: {error}") from None
    name = organisation if organisation is not None else str(_answer_file_organisation(file) or "")
    click.echo(advert(outcome, name).markdown(), nl=False)


def _answer_file_organisation(file: Path) -> str | None:
    text = file.read_text(encoding="utf-8")
    data = json.loads(text) if file.suffix == ".json" else parse_yaml(text)
    value = data.get("organisation") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _print_summary(outcome: assessments.Outcome) -> None:
    s, r = outcome.scored, outcome.recommendation
    story = outcome.story
    click.echo(click.style(r.headline, bold=True))
    click.echo(f"Stage: {s.stage} of {len(s.levels)}. {story.lead}")
    click.echo(story.confidence)
    click.echo("\nLevels:")
    for line in story.levels:
        click.echo(f"  {line.title:<20} {line.score or '':>7}  {line.label}")
    if r.runner_up:
        click.echo(f"\nRunner-up: {r.runner_up.title}")
    for p in r.premature:
        click.echo(f"Premature: {p.role.title}: {p.reason.text}")
    click.echo("\nWhy:")
    for reason in r.reasons:
        click.echo(f"  - {reason.text}")
        for e in reason.evidence:
            click.echo(f"      {e.question} -> {e.answer}")
    if outcome.team is not None:
        _print_team(outcome.team)
    for title, items in (("Blockers", [f"{b.title}: {b.fix}" for b in s.blockers if not b.unsure]),
                         ("To find out first", [f"{b.title}? {b.evidence.question}" for b in s.blockers if b.unsure]
                          + [item.text for item in r.find_out]),
                         ("Inconsistencies", s.inconsistencies), ("Expectations", r.expectations)):
        if items:
            click.echo(f"\n{title}:")
            for item in items:
                click.echo(f"  - {item}")


def _print_team(team: assessments.Team) -> None:
    seats = ", ".join(f"{r.name} ({r.seat_title})" if r.name else r.seat_title for r in team.respondents)
    click.echo(f"\nAnswered by {len(team.respondents)}: {seats}")
    if not team.disagreements:
        click.echo("They agree wherever more than one of them knew.")
        return
    click.echo("Settle these together:")
    for d in team.disagreements:
        what = ("changes the hire" if d.changes_hire else "changes the stage" if d.changes_stage
                else "changes neither the stage nor the hire")
        click.echo(f"  - {d.question.text} ({what})")
        for p in d.positions:
            who = ", ".join(team.respondents[i].name or team.respondents[i].seat_title for i in p.respondents)
            click.echo(f"      {who}: {p.label} -> {p.first_hire_title}, stage {p.stage}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
