"""What the hiring manager writes into the job advert (about us, salary, location, how to apply).

Saved with the assessment, one row per assessment, replaced on every save. Functions take plain ids;
app/web/access.py has decided who may read or write.
"""

from __future__ import annotations

from assessments.advert import Details
from assessments.answers import clean_text

from ..extensions import db
from ..models import AdvertDetails, utcnow
from . import commit

#: The longest text each field keeps (the columns' sizes).
LIMITS = {"about": 1000, "salary": 200, "location": 200, "how_to_apply": 1000}


def details_of(assessment_id: int) -> Details:
    """The saved fields, or empty ones (each shows as a placeholder) before the first save."""
    row = db.session.get(AdvertDetails, assessment_id)
    if row is None:
        return Details()
    return Details(about=row.about, salary=row.salary, location=row.location, how_to_apply=row.how_to_apply)


def save_details(assessment_id: int, details: Details) -> Details:
    """Replace the fields, cleaned (control characters out, length bounded), in one transaction."""
    clean = Details(**{name: clean_text(getattr(details, name) or "", max_length=limit)
                       for name, limit in LIMITS.items()})
    row = db.session.get(AdvertDetails, assessment_id)
    if row is None:
        row = AdvertDetails(assessment_id=assessment_id)
        db.session.add(row)
    for name in LIMITS:
        setattr(row, name, getattr(clean, name))
    row.updated_at = utcnow()
    commit()
    return clean
