"""Reading a submitted plan builder back into a PlanInput, and placing its errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.blocks.forms import (
    Unreadable,
    field_values,
    iso_date,
    metadata,
    metadata_id,
    one,
    place_errors,
    submitted_blocks,
)
from bot.domain import fields
from bot.domain.content import MAX_COMMITMENTS, CommitmentInput, PlanInput
from bot.domain.errors import ValidationError
from bot.domain.keys import read_id


def block_of(field: str) -> str:
    """The builder's block for a domain field name."""
    commitment = fields.parse_drafted(field)
    if commitment is not None:
        return commitment_block(*commitment)
    return field


def commitment_block(index: int, name: str) -> str:
    return f"commitment_{index}_{name}"


@dataclass(frozen=True, kw_only=True)
class BuilderSubmission:
    plan_id: int
    slots: int  # commitment slots the modal showed
    quarter_label: str
    plan: PlanInput
    manager_side: bool = True  # the modal asked for the manager's side (a draft's)


def read_submission(view: dict[str, Any]) -> BuilderSubmission:
    """The builder as typed. Raises Unreadable on forged metadata or dates."""
    meta = metadata(view)
    slots = meta.get("slots", 1)
    quarter = meta.get("quarter", "")
    side = meta.get("side", True)
    ids = meta.get("ids", [])
    if not (type(slots) is int and 1 <= slots <= MAX_COMMITMENTS and isinstance(quarter, str)):
        raise Unreadable()
    if not isinstance(ids, list) or len(ids) > slots:  # a stored commitment per slot, at most
        raise Unreadable()
    return BuilderSubmission(
        plan_id=metadata_id(meta, "plan_id"),
        slots=slots,
        quarter_label=quarter[:40],
        manager_side=side is True,
        plan=read_plan_input(field_values(view), slots=slots, ids=ids),
    )


def read_plan_input(values: dict[str, Any], *, slots: int, ids: Sequence[Any] = ()) -> PlanInput:
    """The builder's fields as typed (blank slots left out), each slot with what it edits."""

    def get(field: str) -> str | None:
        return one(values, block_of(field))

    stored = [None if i is None else read_id(i) for i in [*ids, *[None] * slots][:slots]]
    commitments = [c for i, of in enumerate(stored) if (c := _read_commitment(values, i, of=of))]
    return PlanInput(
        aspiration=get(fields.ASPIRATION) or "",
        strengths=get(fields.STRENGTHS) or "",
        growth_areas=get(fields.GROWTH_AREAS) or "",
        feedback_acted_on=get(fields.FEEDBACK_ACTED_ON) or "",
        visibility=get(fields.VISIBILITY) or "private",
        commitments=commitments,
        one_on_one_cadence=get(fields.ONE_ON_ONE_CADENCE),
        coaching_focus=get(fields.COACHING_FOCUS) or "",
        other_support=get(fields.OTHER_SUPPORT) or "",
    )


def _read_commitment(
    state: dict[str, Any], index: int, *, of: int | None
) -> CommitmentInput | None:
    def get(name: str) -> str | None:
        return one(state, commitment_block(index, name))

    typed = [
        get(name)
        for name in (fields.TITLE, fields.UNIT, fields.BASELINE, fields.TARGET, fields.DUE_DATE)
    ]
    if not any(typed):  # the selects stay chosen: Slack cannot unselect them
        return None
    due = get(fields.DUE_DATE)
    return CommitmentInput(
        title=get(fields.TITLE),
        kind=get(fields.KIND),
        unit=get(fields.UNIT),
        baseline=get(fields.BASELINE),
        target=get(fields.TARGET),
        direction=get(fields.DIRECTION) or "up",
        rollup=get(fields.ROLLUP),
        due_date=iso_date(due) if due else None,
        id=of,
    )


# -- refusing ------------------------------------------------------------------


def errors_for(error: ValidationError, *, view: dict[str, Any]) -> dict[str, str]:
    """A refused plan's messages by block id; one whose field has no block in
    the submitted view goes on the first commitment's title."""
    return place_errors(
        error.errors,
        block_of=block_of,
        present=submitted_blocks(view),
        fallback=commitment_block(0, fields.TITLE),
    )


def refusal(message: str) -> dict[str, str]:
    """A refusal of the whole plan (not one field), on the aspiration."""
    return {block_of(fields.ASPIRATION): message}
