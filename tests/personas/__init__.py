"""The six example organisations of the product brief, as answer files.

Each file's header says what the organisation is and the outcome a good
assessment reaches; tests/unit/test_personas.py checks it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

DIR = Path(__file__).parent


NAMES = sorted(p.stem for p in DIR.glob("*.yaml"))


def answers(name: str) -> dict[str, Any]:
    from assessments.schema import read_yaml

    return read_yaml(DIR / f"{name}.yaml")["answers"]
