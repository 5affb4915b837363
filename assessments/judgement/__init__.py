"""Scored result to a decision: which role, the runner-up, premature roles and the first months.

`decide` runs small, ordered steps over a draft (steps.py); each step reads
the scored answers and records what it decided as data, citing the known
answers it rests on. The sentences come from assessments.wording; nothing here
composes prose of its own.
"""

from .steps import STEPS as STEPS
from .steps import Draft as Draft
from .steps import decide as decide
