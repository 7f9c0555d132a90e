"""Reading what a person submitted in a modal, field by field."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.domain.content import MAX_COMMITMENTS, CommitmentInput, PlanInput, commitment_field
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
    if "selected_options" in element:
        return [option["value"] for option in element["selected_options"] or []]
    return element.get("value")


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def plan_input(values: dict[str, Any], slots: int) -> PlanInput:
    """The builder's fields as typed. Slots left entirely blank are ignored."""
    commitments = []
    for index in range(max(0, min(slots, MAX_COMMITMENTS))):

        def get(name: str, index: int = index) -> Any:
            return values.get(commitment_field(index, name))

        typed = [get(name) for name in ("title", "unit", "baseline", "target", "due_date")]
        if not any(typed) and not get("kind"):
            continue
        due = get("due_date")
        commitments.append(
            CommitmentInput(
                title=get("title"),
                kind=get("kind"),
                unit=get("unit"),
                baseline=get("baseline"),
                target=get("target"),
                direction=get("direction") or "up",
                rollup=get("rollup"),
                due_date=dt.date.fromisoformat(due) if due else None,
            )
        )
    return PlanInput(
        aspiration=values.get("aspiration") or "",
        strengths=values.get("strengths") or "",
        growth_areas=values.get("growth_areas") or "",
        feedback_acted_on=values.get("feedback_acted_on") or "",
        visibility=values.get("visibility") or "private",
        commitments=commitments,
        one_on_one_cadence=values.get("one_on_one_cadence"),
        coaching_focus=values.get("coaching_focus") or "",
        other_support=values.get("other_support") or "",
    )
