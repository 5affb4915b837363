"""Decided data to sentences: the organisation's own words (`words`) and the phrasebook (`phrasebook`).

The judgement (assessments.judgement) decides which role, why, and which
answers each conclusion rests on; this package only says it. A wording change
here never moves a decision.
"""

from .words import OWN_QUESTIONS, Words

__all__ = ["OWN_QUESTIONS", "Words"]
