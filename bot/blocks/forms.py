"""Reading what a person submitted in a modal, and putting refusals back on it.

Generic over surfaces: each surface module (builder, checkin, review, ...)
reads its own fields by domain name and maps a ValidationError's domain names
to its block ids with these."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from bot.ids import INPUT


def field_values(view: dict[str, Any]) -> dict[str, Any]:
    """block id -> the submitted value of its input (str, list or None)."""
    values: dict[str, Any] = {}
    for block_id, actions in view.get("state", {}).get("values", {}).items():
        element: dict[str, Any] = actions.get(INPUT) or next(iter(actions.values()), {})
        values[block_id] = _value(element)
    return values


def _value(element: dict[str, Any]) -> Any:
    for key in (
        "selected_user",
        "selected_conversation",
        "selected_channel",
        "selected_date",
        "selected_time",
    ):
        if key in element:
            return element[key]
    if "selected_option" in element:
        option = element["selected_option"]
        return option["value"] if option else None
    if "selected_users" in element:
        return list(element["selected_users"] or [])
    if "selected_options" in element:
        return [option["value"] for option in element["selected_options"] or []]
    return element.get("value")


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def submitted_blocks(view: dict[str, Any]) -> set[str]:
    """The block ids the submission carries a state for."""
    return set(view.get("state", {}).get("values", {}))


def place_errors(
    errors: Mapping[str, str],
    *,
    block_of: Callable[[str], str | None],
    present: set[str],
    fallback: str,
) -> dict[str, str]:
    """Each message on the block of its field when that block was submitted,
    else on ``fallback``; two messages on one block are joined."""
    placed: dict[str, str] = {}
    for field, message in errors.items():
        block = block_of(field)
        target = block if block is not None and block in present else fallback
        placed[target] = f"{placed[target]} {message}" if target in placed else message
    return placed
