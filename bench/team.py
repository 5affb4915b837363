"""Median time to work out a team's outcome, against one respondent's, measured in the same run.

A team's result combines the answers, re-scores each disagreement with every answer given in its
place (assessments/team.py) and then runs the same evaluation as for one respondent. The baseline is
`evaluate` on the combined answers alone; the ratio is what the team adds. Measured on P14 (three
respondents) in its three readings, and on teams of three drawn from the generated organisations.

    .venv/bin/python bench/team.py [--rounds N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import assessments
from assessments.team import Response, combine, evaluate_team
from bench.scoring import median_seconds
from tests import generated
from tests.personas import p14


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    q = assessments.current()
    teams = [p14.responses(how) for how in p14.READINGS]
    rng = random.Random(21)
    for _ in range(6):
        teams.append([Response(seat, generated.organisation(rng)) for seat in ("leadership", "technical", "business")])
    combined = [combine(q, team) for team in teams]
    evaluate_team(q, teams[0])  # warm caches

    def teams_all() -> None:
        for team in teams:
            evaluate_team(q, team)

    def singles_all() -> None:
        for answers in combined:
            assessments.evaluate(q, answers)

    team = median_seconds(teams_all, args.rounds) / len(teams)
    single = median_seconds(singles_all, args.rounds) / len(teams)
    disagreements = statistics.median(len(evaluate_team(q, t).team.disagreements) for t in teams)
    print(f"{len(teams)} teams of three; median {disagreements:.0f} disagreements each")
    print(f"evaluate (combined answers, one respondent's cost): {single * 1000:.2f} ms")
    print(f"evaluate_team:                                      {team * 1000:.2f} ms ({team / single:.1f}x)")


if __name__ == "__main__":
    main()
