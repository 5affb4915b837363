"""URL converters. Ids in URLs are database keys: anything a key column cannot hold is a 404, not a 500."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

#: The largest value of a 32-bit signed INTEGER column (PostgreSQL's `integer`).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive whole number that fits the database's id columns."""

    def __init__(self, map, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(map, *args, min=1, max=MAX_ID, **kwargs)


def id_arg(value: str) -> int:
    """For request.args.get(..., type=id_arg): a valid id or ValueError (which .get() turns into None)."""
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError(value)
    return number
