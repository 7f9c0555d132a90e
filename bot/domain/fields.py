"""The domain's names for the fields a person fills in.

A ValidationError maps these names to messages; only bot/blocks knows which
Slack block shows each field. Three shapes:

- a plain name for a plan's, a check-in's or a setting's own field
  ("aspiration", "confidence", "timezone");
- ``drafted(index, name)`` for the n-th commitment of a plan being drafted:
  "commitments[0].title";
- ``measured(commitment_id, name)`` for a stored commitment's weekly value or
  next quarter's bar: "commitment#12.value", "commitment#12.baseline".
"""

from __future__ import annotations

import re

# A plan's own fields
ASPIRATION = "aspiration"
STRENGTHS = "strengths"
GROWTH_AREAS = "growth_areas"
FEEDBACK_ACTED_ON = "feedback_acted_on"
VISIBILITY = "visibility"
COMMITMENTS = "commitments"  # the list as a whole (too many)
ONE_ON_ONE_CADENCE = "one_on_one_cadence"
COACHING_FOCUS = "coaching_focus"
OTHER_SUPPORT = "other_support"

# A commitment's fields, by drafted() or measured()
TITLE = "title"
KIND = "kind"
UNIT = "unit"
BASELINE = "baseline"
TARGET = "target"
DIRECTION = "direction"
ROLLUP = "rollup"
DUE_DATE = "due_date"
VALUE = "value"

# A check-in, a review
WEEK = "week"  # the week a check-in reports
CONFIDENCE = "confidence"
WIN = "win"
BLOCKER = "blocker"
ONE_ON_ONE = "one_on_one"
REFLECTION = "reflection"
REASON = "reason"

# Membership and settings
MANAGER = "manager"
TEAM = "team"
TEAM_CHANNEL = "team_channel"
FISCAL_START_MONTH = "fiscal_start_month"
LEADERS_CHANNEL = "leaders_channel"
CHECKIN_WEEKDAY = "checkin_weekday"
CHECKIN_TIME = "checkin_time"
TIMEZONE = "timezone"
STRETCH = "stretch"
SETTINGS_ADMINS = "settings_admins"
REVIEW_WINDOW_DAYS = "review_window_days"
GRACE_DAYS = "grace_days"
WORKING_DAYS = "working_days"
HOLIDAYS = "holidays"  # the workspace's
TEAM_HOLIDAYS = "team_holidays"

# Comments and saved messages
COMMENT = "comment"
TEXT = "text"
SAVE_AS = "save_as"

_DRAFTED = re.compile(r"commitments\[(\d+)\]\.(\w+)")
_MEASURED = re.compile(r"commitment#(\d+)\.(\w+)")


def drafted(index: int, name: str) -> str:
    """The field ``name`` of the plan's ``index``-th commitment (from 0) as drafted."""
    return f"commitments[{index}].{name}"


def parse_drafted(field: str) -> tuple[int, str] | None:
    """(index, name) of a drafted() field, or None for any other field."""
    match = _DRAFTED.fullmatch(field)
    return (int(match[1]), match[2]) if match else None


def measured(commitment_id: int, name: str) -> str:
    """The field ``name`` ("value", "baseline", "target") of a stored commitment."""
    return f"commitment#{commitment_id}.{name}"


def parse_measured(field: str) -> tuple[int, str] | None:
    """(commitment id, name) of a measured() field, or None for any other field."""
    match = _MEASURED.fullmatch(field)
    return (int(match[1]), match[2]) if match else None
