"""Text a person typed, as myplan keeps it: one limit per field, nothing it cannot store.

Every free text has the same limit in the modal (``max_length``), here, and
in its column (bot/db/models.py: the String lengths, or Text for these
3,000-character answers). A NUL byte (which PostgreSQL refuses) or a lone
surrogate (which no encoding can write) is refused on its field, never
stored, cut or silently dropped.
"""

from __future__ import annotations

from bot.domain.errors import ValidationError

TEXT_MAX = 3000  # Slack's plain_text_input maximum: plans, wins, comments, check-ins
TITLE_MAX = 150  # a commitment's title: String(150)
UNIT_MAX = 40  # a commitment's unit: String(40)
REASON_MAX = 500  # why a week was skipped
NUMBER_MAX = 40  # a number as typed: 15 significant digits, its point, sign and zeros
NAME_MAX = 200  # a person's or team's name from Slack: String(200)

UNKEEPABLE = "This has a character myplan can't keep (a NUL or a broken emoji): retype it."


def unkeepable(text: str) -> bool:
    """A NUL byte or a lone surrogate half: nothing myplan can store or post."""
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def clean_text(
    value: str | None,
    *,
    field: str,
    errors: dict[str, str],
    limit: int = TEXT_MAX,
    what: str = "this",
) -> str:
    """``value`` stripped; a problem with it goes in ``errors`` under ``field``."""
    clean = (value or "").strip()
    if unkeepable(clean):
        errors[field] = UNKEEPABLE
    elif len(clean) > limit:
        errors[field] = f"Keep {what} under {limit:,} characters (it has {len(clean):,})."
    return clean


def required_text(value: str | None, *, field: str, what: str, missing: str) -> str:
    """``value`` stripped, or ValidationError on ``field``: ``missing`` when
    there is nothing, or what is wrong with it."""
    errors: dict[str, str] = {}
    clean = clean_text(value, field=field, errors=errors, what=what)
    if not clean and not errors:
        errors[field] = missing
    if errors:  # refused whole, never cut: the limit is the modal's too
        raise ValidationError(errors)
    return clean


def keepable(text: str, *, limit: int) -> str:
    """Text from Slack itself (a name), made storable: unkeepable characters
    dropped and cut to its column; never for what a person typed here."""
    kept = "".join(ch for ch in text if ch != "\x00" and not "\ud800" <= ch <= "\udfff")
    return kept[:limit]
