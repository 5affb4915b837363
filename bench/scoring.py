"""Median time to score one assessment, against a baseline measured in the same run.

The baseline is validating the same answers without scoring them (a dict walk
the size of the questionnaire), so the ratio says what scoring itself costs on
whatever machine runs this. Measured on the eleven example organisations in
both readings, and on generated organisations (tests/generated.py). Goals: a
whole evaluation, the borderline search included (re-scoring with one answer
changed at a time), under 8 ms; without the search, well under a millisecond.
Also shown: one score() + recommend(explore=False), what the team view and
the search pay per re-scored answer set.

    .venv/bin/python bench/scoring.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import assessments
from assessments.answers import clean_answers
from assessments.recommend import recommend
from assessments.scoring import score
from tests import generated, personas


def median_seconds(fn, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def measure(q, answer_sets, rounds: int) -> dict[str, float]:
    """Median seconds per answer set of each way of scoring, the baseline first."""
    roles = assessments.roles()
    clean = [clean_answers(q, answers) for answers in answer_sets]
    ways = {
        "baseline": lambda: [clean_answers(q, answers) for answers in answer_sets],
        "without": lambda: [assessments.evaluate(q, answers, borderline=False) for answers in answer_sets],
        "with": lambda: [assessments.evaluate(q, answers) for answers in answer_sets],
        "rescore": lambda: [recommend(score(q, answers), roles, explore=False) for answers in clean],
    }
    return {name: median_seconds(fn, rounds) / len(answer_sets) for name, fn in ways.items()}


def report(title: str, figures: dict[str, float]) -> None:
    baseline = figures["baseline"]

    def line(label: str, seconds: float, goal: float | None = None) -> str:
        verdict = "" if goal is None else f"; goal < {goal * 1e6:.0f} µs -> {'met' if seconds < goal else 'NOT met'}"
        return f"  {label:42} {seconds * 1e6:9.1f} µs median ({seconds / baseline:.0f}x baseline{verdict})"

    print(title)
    print(f"  {'baseline (validate answers only):':42} {baseline * 1e6:9.1f} µs median")
    print(line("evaluate without the borderline search:", figures["without"], 1e-3))
    print(line("evaluate, borderline search included:", figures["with"], 8e-3))
    print(line("score + recommend(explore=False):", figures["rescore"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    q = assessments.current()
    examples = [personas.reading(key, how) for key in personas.FACTS for how in personas.READINGS]
    organisations = generated.organisations(40)
    assessments.evaluate(q, examples[0])  # warm caches
    print(f"questionnaire version {q.version}: {len(q.questions)} questions; {args.rounds} rounds")
    report(f"example organisations ({len(examples)} answer sets):", measure(q, examples, args.rounds))
    report(f"generated organisations ({len(organisations)} answer sets):",
           measure(q, organisations, max(args.rounds // 4, 3)))


if __name__ == "__main__":
    main()
