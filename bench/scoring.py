"""Median time to score one assessment, against a baseline measured in the same run.

The baseline is validating the same answers without scoring them (a dict walk
the size of the questionnaire), so the ratio says what scoring itself costs on
whatever machine runs this. Goal: well under a millisecond per assessment.

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
from tests import personas


def median_seconds(fn, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    q = assessments.current()
    answer_sets = [personas.answers(name) for name in personas.NAMES]
    assessments.evaluate(q, answer_sets[0])  # warm caches

    def evaluate_all() -> None:
        for answers in answer_sets:
            assessments.evaluate(q, answers)

    def validate_all() -> None:
        for answers in answer_sets:
            clean_answers(q, answers)

    per_assessment = median_seconds(evaluate_all, args.rounds) / len(answer_sets)
    baseline = median_seconds(validate_all, args.rounds) / len(answer_sets)
    print(f"questions: {len(q.questions)}, answer sets: {len(answer_sets)}, rounds: {args.rounds}")
    print(f"baseline (validate answers only): {baseline * 1e6:8.1f} µs median")
    print(f"evaluate (validate + score + recommend): {per_assessment * 1e6:8.1f} µs median")
    print(f"ratio evaluate / baseline: {per_assessment / baseline:.1f}x")
    print(f"goal: < 1000 µs per assessment -> {'met' if per_assessment < 1e-3 else 'NOT met'}")


if __name__ == "__main__":
    main()
