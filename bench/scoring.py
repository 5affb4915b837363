"""Median time to score one assessment, against a baseline measured in the same run.

The baseline is validating the same answers without scoring them (a dict walk
the size of the questionnaire), so the ratio says what scoring itself costs on
whatever machine runs this. Measured on the eleven example organisations in
both readings. Goals: a whole evaluation, the borderline search included
(re-scoring with one answer changed at a time), under 20 ms; without the
search, well under a millisecond.

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
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    q = assessments.current()
    answer_sets = [personas.reading(key, how) for key in personas.FACTS for how in personas.READINGS]
    assessments.evaluate(q, answer_sets[0])  # warm caches

    def evaluate_all() -> None:
        for answers in answer_sets:
            assessments.evaluate(q, answers)

    def evaluate_without_search() -> None:
        for answers in answer_sets:
            assessments.evaluate(q, answers, borderline=False)

    def validate_all() -> None:
        for answers in answer_sets:
            clean_answers(q, answers)

    per_assessment = median_seconds(evaluate_all, args.rounds) / len(answer_sets)
    without = median_seconds(evaluate_without_search, args.rounds) / len(answer_sets)
    baseline = median_seconds(validate_all, args.rounds) / len(answer_sets)
    print(f"questionnaire version {q.version}: {len(q.questions)} questions; {len(answer_sets)} answer sets; "
          f"{args.rounds} rounds")
    print(f"baseline (validate answers only):           {baseline * 1e6:9.1f} µs median")
    print(f"evaluate without the borderline search:     {without * 1e6:9.1f} µs median "
          f"({without / baseline:.0f}x baseline; goal < 1000 µs -> {'met' if without < 1e-3 else 'NOT met'})")
    verdict = "met" if per_assessment < 0.02 else "NOT met"
    print(f"evaluate, borderline search included:       {per_assessment * 1e6:9.1f} µs median "
          f"({per_assessment / baseline:.0f}x baseline; goal < 20 ms -> {verdict})")


if __name__ == "__main__":
    main()
