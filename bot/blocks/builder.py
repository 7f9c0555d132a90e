"""The plan builder modal, and reading what was typed into it.

Block ids are the domain's field names (bot/domain/fields.py) for a plan's own
fields, and "commitment_{index}_{name}" for a drafted commitment's."""

from __future__ import annotations

import json
from typing import Any

# Reading the submitted builder, and the block ids both share: builder_form.py.
from bot.blocks.builder_form import BuilderSubmission as BuilderSubmission
from bot.blocks.builder_form import block_of as block_of
from bot.blocks.builder_form import commitment_block as commitment_block
from bot.blocks.builder_form import errors_for as errors_for
from bot.blocks.builder_form import read_plan_input as read_plan_input
from bot.blocks.builder_form import read_submission as read_submission
from bot.blocks.builder_form import refusal as refusal
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
            hint=None
            if commitment.title is None
            else "To remove this commitment, clear its title, unit, numbers and date.",
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
