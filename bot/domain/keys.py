"""Database ids as a payload names them: typed and bounded before any query.

A button's value or a modal's metadata names a plan, a team or a commitment
by id, and a client can forge it: a string, null, a negative number, or one
too large for an integer column (OverflowError on SQLite, out of range on
PostgreSQL). ``read_id`` turns any of those into ``NO_ID``, which names
nothing, so a forged id is refused exactly as a plan one may not see is.
"""

from __future__ import annotations

ID_MAX = 2**31 - 1  # PostgreSQL's integer, the type of every id column
NO_ID = 0  # no row has it: looking it up finds nothing


def is_id(value: object) -> bool:
    """An int (not a bool) that an id column can hold."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= ID_MAX


def read_id(raw: object) -> int:
    """An id from a payload (an int, or a string of digits), else ``NO_ID``."""
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 10:
        raw = int(raw)
    return raw if isinstance(raw, int) and is_id(raw) else NO_ID
