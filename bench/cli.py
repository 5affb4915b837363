"""Start-up of the command line, against a bare interpreter started in the same run.

Times, as a person feels them, whole processes in this environment: `python -c pass` (the baseline:
what any Python command costs on this machine), `python -c "import assessments"` (the domain alone),
`groundwork score FILE --json` on an example organisation's answers, and the same command with every
module's bytecode but the project's (a PYTHONPYCACHEPREFIX holding all the others, and
PYTHONDONTWRITEBYTECODE: what every start cost here before `make install` compiled app/ and
assessments/), interleaved, --runs times each; each median with its ratio to the baseline. Then
whether `score` imported the web stack or the PDF renderer, and with --imports the modules that cost
most to import, from `python -X importtime`.
Goals: `score --json` costs little beyond importing the domain it needs (under 1.5x
`import assessments`: pydantic, PyYAML and click are most of that), and imports none of Flask,
SQLAlchemy, Jinja or WeasyPrint.

    .venv/bin/python bench/cli.py [--runs 15] [--imports]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import personas

#: Packages the domain commands must not import (the web stack and the PDF renderer).
HEAVY = ("flask", "sqlalchemy", "weasyprint", "jinja2", "werkzeug")


def run(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def import_costs(command: list[str], env: dict[str, str], top: int) -> tuple[list[tuple[int, str]], set[str]]:
    """(self microseconds, module) of the `top` costliest imports, and every top-level package imported."""
    done = subprocess.run([sys.executable, "-X", "importtime", *command[1:]], env=env, cwd=ROOT, check=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, name = line.removeprefix("import time:").split("|")
        rows.append((int(own), name.strip()))
    return sorted(rows, reverse=True)[:top], {name.split(".")[0] for _, name in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--imports", action="store_true", help="list the costliest imports of `score`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        answers = Path(tmp) / "answers.json"
        answers.write_text(json.dumps({"questionnaire": "groundwork", "version": 3,
                                       "answers": personas.reading("p3", "cautious")}), encoding="utf-8")
        env = dict(os.environ)
        groundwork = str(Path(sys.executable).with_name("groundwork"))
        score = [groundwork, "score", str(answers), "--json"]
        prefix = Path(tmp) / "bytecode"
        writing = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
        run(score, {**writing, "PYTHONPYCACHEPREFIX": str(prefix)})  # every module's bytecode...
        shutil.rmtree(prefix / ROOT.relative_to(ROOT.anchor))  # ...but the project's
        uncompiled = {**env, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": str(prefix)}
        commands = {
            "baseline (python -c pass)": ([sys.executable, "-c", "pass"], env),
            "python -c 'import assessments'": ([sys.executable, "-c", "import assessments"], env),
            "groundwork score FILE --json": (score, env),
            "the same, project not compiled": (score, uncompiled),
        }
        for command, command_env in commands.values():  # warm the file cache
            run(command, command_env)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (command, command_env) in commands.items():
                samples[name].append(run(command, command_env))
        baseline = statistics.median(samples["baseline (python -c pass)"])
        print(f"{args.runs} runs each, interleaved; medians")
        for name, times in samples.items():
            median = statistics.median(times)
            print(f"  {name + ':':36} {median * 1e3:8.1f} ms median ({median / baseline:.1f}x baseline)")
        median = statistics.median(samples["groundwork score FILE --json"])
        domain = statistics.median(samples["python -c 'import assessments'"])
        print(f"  score --json / import assessments: {median / domain:.2f} "
              f"(goal < 1.5 -> {'met' if median < 1.5 * domain else 'NOT met'})")
        script = [sys.executable, "-c", "import sys; from app.cli import main; "
                  f"sys.argv = ['groundwork', 'score', {str(answers)!r}, '--json']; main()"]
        costly, packages = import_costs(script, env, 15)
        heavy = sorted(set(HEAVY) & packages)
        print(f"  web stack or renderer imported by score: {', '.join(heavy) if heavy else 'none'}")
        if args.imports:
            print("costliest imports of `score` (self time, one run):")
            for own, name in costly:
                print(f"  {own / 1e3:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
