"""Weeks as the check-in names them: by their dates, in its buttons and its
week picker (any week of the quarter so far, filled in late or corrected)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from bot.blocks.primitives import plain
from bot.ids import Action, Block
from bot.services.checkins import WeekChoice


def week_dates(monday: dt.date) -> str:
    """A week by its dates: "Dec 7-13", or "Dec 28-Jan 3" across months (an en dash)."""
    sunday = monday + dt.timedelta(days=6)
    last = f"{sunday:%-d}" if sunday.month == monday.month else f"{sunday:%b %-d}"
    return f"{monday:%b %-d}\u2013{last}"


def clicked_week(body: dict[str, Any]) -> dt.date | None:
    """The Monday a Check in button names (a thread's, a reminder's); None
    when it names none, or not as a date (a button is forgeable)."""
    actions = body.get("actions")
    action = actions[0] if isinstance(actions, list) and actions else None
    value = action.get("value") if isinstance(action, dict) else None
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def week_picker(monday: dt.date, weeks: Sequence[WeekChoice]) -> dict[str, Any]:
    """Which week this check-in reports: any week of the quarter so far, to
    fill in a missed one or correct one. Choosing one reopens the modal on it,
    with what that week has (dispatch_action)."""
    choices = [(f"{week_dates(w.monday)} · {w.state.value}", w.monday.isoformat()) for w in weeks]
    if monday.isoformat() not in {value for _, value in choices}:
        choices.insert(0, (week_dates(monday), monday.isoformat()))
    options = [{"text": plain(text), "value": value} for text, value in choices[:100]]
    return {
        "type": "input",
        "block_id": Block.WEEK.value,
        "dispatch_action": True,
        "label": plain("Week"),
        "element": {
            "type": "static_select",
            "action_id": Action.CHECKIN_WEEK.value,
            "options": options,
            "initial_option": next(o for o in options if o["value"] == monday.isoformat()),
        },
        "hint": plain("Any week of this quarter so far: fill in a missed one, or correct one."),
    }


def chosen_week(body: dict[str, Any]) -> dt.date | None:
    """The Monday the week picker was set to; None when it names none (forgeable)."""
    actions = body.get("actions")
    action = actions[0] if isinstance(actions, list) and actions else None
    option = action.get("selected_option") if isinstance(action, dict) else None
    value = option.get("value") if isinstance(option, dict) else None
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None
