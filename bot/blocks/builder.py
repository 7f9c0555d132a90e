"""The plan builder modal, and reading what was typed into it.

Block ids are the domain's field names (bot/domain/fields.py) for a plan's own
fields, and "commitment_{index}_{name}" for a drafted commitment's."""

from __future__ import annotations

import json
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
from bot.blocks.primitives import (
    Blocks,
    button,
    context,
    date_picker,
    plain,
    select,
    text_input,
)
from bot.domain import fields
from bot.domain.commitments import CommitmentKind, Direction, Rollup, typed_number
from bot.domain.content import MAX_COMMITMENTS, CommitmentInput, PlanContent, PlanInput
from bot.domain.errors import ValidationError
from bot.domain.keys import read_id
from bot.domain.plans import PlanState, Visibility
from bot.domain.text import NUMBER_MAX, TITLE_MAX, UNIT_MAX
from bot.ids import Action, Callback
from bot.services.read_model import PlanView

KIND_OPTIONS = [(kind.value, kind.label) for kind in CommitmentKind]
DIRECTION_OPTIONS = [
    (Direction.UP.value, "Higher is better"),
    (Direction.DOWN.value, "Lower is better"),
]
ROLLUP_OPTIONS = [
    (Rollup.AVERAGE.value, "Average of the weeks"),
    (Rollup.SUM.value, "Sum of the weeks"),
    (Rollup.LATEST.value, "Latest value"),
]
VISIBILITY_OPTIONS = [(v.value, v.label) for v in Visibility]


def block_of(field: str) -> str:
    """The builder's block for a domain field name."""
    commitment = fields.parse_drafted(field)
    if commitment is not None:
        return commitment_block(*commitment)
    return field


def commitment_block(index: int, name: str) -> str:
    return f"commitment_{index}_{name}"


# -- showing -------------------------------------------------------------------


def plan_input_of(content: PlanContent, *, locale: str | None = None) -> PlanInput:
    """Stored content, as the builder shows it for editing (numbers in ``locale``)."""
    return PlanInput(
        aspiration=content.aspiration,
        strengths=content.strengths,
        growth_areas=content.growth_areas,
        feedback_acted_on=content.feedback_acted_on,
        visibility=content.visibility.value,
        commitments=[
            CommitmentInput(
                title=c.title,
                kind=c.kind.value,
                unit="" if c.kind is CommitmentKind.MILESTONE else c.unit,
                baseline=None if c.is_milestone else typed_number(c.baseline, locale=locale),
                target=None if c.is_milestone else typed_number(c.target, locale=locale),
                direction=c.direction.value,
                rollup=c.rollup.value,
                due_date=c.due_date,
                id=c.id,
            )
            for c in content.commitments
        ],
        one_on_one_cadence=str(content.manager.one_on_one_cadence_weeks or "") or None,
        coaching_focus=content.manager.coaching_focus,
        other_support=content.manager.other_support,
    )


def builder_slots(commitment_count: int) -> int:
    """Commitment slots to show: the plan's, plus one empty to add another."""
    return min(MAX_COMMITMENTS, commitment_count + 1)


def builder_for(plan: PlanView) -> dict[str, Any]:
    """The builder on a stored plan, one slot per commitment and one spare."""
    return plan_builder_modal(
        plan_id=plan.id,
        quarter_label=plan.quarter.label,
        plan=plan_input_of(plan.content, locale=plan.owner_locale),
        slots=builder_slots(len(plan.commitments)),
        manager_side=plan.state is PlanState.DRAFT,
    )


def plan_builder_modal(
    *, plan_id: int, quarter_label: str, plan: PlanInput, slots: int, manager_side: bool = True
) -> dict[str, Any]:
    """The plan builder. A refused field gets its message in place: see errors_for().
    ``manager_side``: a draft's owner writes what they ask of their manager;
    once proposed, that side is the manager's to write, and shown here only."""
    blocks: Blocks = [
        context(
            f"*{quarter_label}* · Every commitment needs a measure: a number with a baseline "
            "and a target, or a milestone with a due date."
        ),
        *_intentions(plan),
    ]
    commitments = list(plan.commitments)[:slots] + [CommitmentInput()] * max(
        0, slots - len(plan.commitments)
    )
    for index, commitment in enumerate(commitments):
        blocks += _commitment_inputs(index, commitment)
    if slots < MAX_COMMITMENTS:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    button("Add a commitment", action=Action.ADD_COMMITMENT, value=str(plan_id))
                ],
            }
        )
    blocks += _manager_side(plan) if manager_side else _manager_side_shown(plan)
    return {
        "type": "modal",
        "callback_id": Callback.PLAN_BUILDER.value,
        "private_metadata": json.dumps(
            {  # ids: the stored commitment each slot edits, so a rename keeps its history
                "plan_id": plan_id,
                "slots": slots,
                "quarter": quarter_label,
                "side": manager_side,
                "ids": [commitment.id for commitment in commitments],
            }
        ),
        "title": plain("Your plan"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": blocks,
    }


def _intentions(plan: PlanInput) -> Blocks:
    return [
        text_input(
            block_of(fields.ASPIRATION),
            "Aspiration: what are you aiming for?",
            initial=plan.aspiration,
            multiline=True,
            placeholder="Become the team's go-to closer for mid-market deals",
        ),
        text_input(
            block_of(fields.STRENGTHS),
            "Strengths to stretch",
            initial=plan.strengths,
            multiline=True,
            optional=True,
        ),
        text_input(
            block_of(fields.GROWTH_AREAS),
            "Growth areas (blind spots)",
            initial=plan.growth_areas,
            multiline=True,
            optional=True,
        ),
        text_input(
            block_of(fields.FEEDBACK_ACTED_ON),
            "Feedback you are acting on",
            initial=plan.feedback_acted_on,
            multiline=True,
            optional=True,
        ),
        select(
            block_of(fields.VISIBILITY),
            "Who can see it",
            options=VISIBILITY_OPTIONS,
            initial=plan.visibility,
        ),
    ]


def _commitment_inputs(index: int, commitment: CommitmentInput) -> Blocks:
    """The eight inputs of one commitment slot: what it is, then how it is measured."""
    return [*_naming_inputs(index, commitment), *_measure_inputs(index, commitment)]


def _naming_inputs(index: int, commitment: CommitmentInput) -> Blocks:
    number = index + 1

    def block(name: str) -> str:
        return commitment_block(index, name)

    return [
        text_input(
            block(fields.TITLE),
            f"Commitment {number}: title",
            initial=commitment.title,
            optional=True,
            max_length=TITLE_MAX,
            placeholder="Discovery calls" if index == 0 else None,
        ),
        select(
            block(fields.KIND),
            f"Commitment {number}: kind",
            options=KIND_OPTIONS,
            initial=commitment.kind,
            optional=True,
        ),
        text_input(
            block(fields.UNIT),
            f"Commitment {number}: unit",
            initial=commitment.unit,
            optional=True,
            max_length=UNIT_MAX,
            placeholder="calls, k$, % win rate",
        ),
    ]


def _measure_inputs(index: int, commitment: CommitmentInput) -> Blocks:
    number = index + 1

    def block(name: str) -> str:
        return commitment_block(index, name)

    return [
        text_input(
            block(fields.BASELINE),
            f"Commitment {number}: baseline (now)",
            initial=commitment.baseline,
            optional=True,
            max_length=NUMBER_MAX,
        ),
        text_input(
            block(fields.TARGET),
            f"Commitment {number}: target",
            initial=commitment.target,
            optional=True,
            max_length=NUMBER_MAX,
            hint="Activities: per week. Results: for the quarter.",
        ),
        select(
            block(fields.DIRECTION),
            f"Commitment {number}: better is",
            options=DIRECTION_OPTIONS,
            initial=commitment.direction or Direction.UP.value,
            optional=True,
        ),
        select(
            block(fields.ROLLUP),
            f"Commitment {number}: weeks add up as",
            options=ROLLUP_OPTIONS,
            initial=commitment.rollup,
            optional=True,
        ),
        date_picker(
            block(fields.DUE_DATE),
            f"Commitment {number}: due (milestones)",
            initial=commitment.due_date,
        ),
    ]


def _manager_side(plan: PlanInput) -> Blocks:
    return [
        text_input(
            block_of(fields.ONE_ON_ONE_CADENCE),
            "Your manager's side: a 1:1 every N weeks",
            initial=plan.one_on_one_cadence,
            optional=True,
            max_length=2,
            placeholder="1",
        ),
        text_input(
            block_of(fields.COACHING_FOCUS),
            "Your manager's side: coaching focus",
            initial=plan.coaching_focus,
            optional=True,
            multiline=True,
        ),
        text_input(
            block_of(fields.OTHER_SUPPORT),
            "Your manager's side: other support",
            initial=plan.other_support,
            optional=True,
            multiline=True,
        ),
    ]


def _manager_side_shown(plan: PlanInput) -> Blocks:
    """Once proposed, the manager's side is theirs: they change it with *Edit my side*."""
    return [context("*Your manager's side* is theirs to write now: *Edit my side* on the plan.")]


# -- reading -------------------------------------------------------------------


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
    if not any(typed) and not get(fields.KIND):
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
