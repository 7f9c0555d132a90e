"""Block Kit for the weekly check-in: the thread's parent, the modal, the reply."""

from __future__ import annotations

import datetime as dt
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
    submitted_blocks,
)
from bot.blocks.primitives import Blocks, button, context, mrkdwn_section, plain, text_input
from bot.blocks.text import escape_mrkdwn, truncate
from bot.blocks.weeks import week_dates, week_picker
from bot.domain import fields
from bot.domain.commitments import CommitmentKind, typed_number
from bot.domain.errors import DomainError, ValidationError
from bot.domain.keys import NO_ID, read_id
from bot.domain.text import NUMBER_MAX
from bot.ids import INPUT, Action, Block, Callback
from bot.services.checkins import CheckinAnswers, WeekCheckin, WeekChoice
from bot.services.read_model import CommitmentView, PlanView


def reminder_text(*, channel_id: str, monday: dt.date, this_week: bool) -> str:
    """The check-in reminder, naming its week: on the member's next working day
    after the prompt, which for a late-week prompt is in the week after."""
    if this_week:
        return (
            f"A reminder: this week's check-in is waiting in <#{channel_id}> "
            f"(the week of {week_dates(monday)}). Use the button or `/myplan checkin`, "
            "or `/myplan skip <reason>` if you are away."
        )
    return (
        f"A reminder: last week's check-in is waiting in <#{channel_id}> "
        f"(the week of {week_dates(monday)}). Check in with the button: it is for that week."
    )


def reminder_blocks(*, channel_id: str, monday: dt.date, this_week: bool) -> Blocks:
    return [
        mrkdwn_section(reminder_text(channel_id=channel_id, monday=monday, this_week=this_week)),
        {
            "type": "actions",
            "elements": [
                button("Check in", action=Action.CHECKIN, value=monday.isoformat(), style="primary")
            ],
        },
    ]


def prompt_text(*, week: int, quarter_label: str, monday: dt.date, leaders: bool = False) -> str:
    """A weekly thread's title: the week it collects, by its dates, then its
    place in the quarter."""
    whose = "Leaders' check-ins" if leaders else "Check-ins"
    return f"{whose} for the week of {week_dates(monday)} · week {week} of {quarter_label}"


def prompt_ask(*, monday: dt.date, leaders: bool = False) -> str:
    """What the prompt asks: a check-in is for the week of the thread it was
    asked in (the Monday its button and modal carry), whichever day the team
    is asked, so a Monday prompt asks about the week it starts, not the last."""
    dates = week_dates(monday)
    if leaders:
        return (
            f"Leaders check in here too, in the open: how is the week of {dates} going "
            "against your plan?"
        )
    return (
        f"How is this week going against your plan? This check-in is for {dates}: check "
        "in any day until Sunday, and again to update it. Check-ins appear in this thread."
    )


def prompt_blocks(
    *,
    week: int,
    quarter_label: str,
    monday: dt.date,
    checked_in: Sequence[str],
    expected: int,
    leaders: bool = False,
) -> Blocks:
    """The parent message of a weekly thread (a team's, or the leaders');
    updated as people check in."""
    names = ", ".join(escape_mrkdwn(name) for name in checked_in[:40])
    status = f"{len(checked_in)} of {expected} checked in" + (f": {names}" if names else "")
    if not expected and not checked_in:  # a new quarter whose plans are all drafts yet
        status = "This quarter's plans are still drafts: propose yours to check in."
    title = prompt_text(week=week, quarter_label=quarter_label, monday=monday, leaders=leaders)
    return [
        mrkdwn_section(f"*{title}*\n{prompt_ask(monday=monday, leaders=leaders)}"),
        context(truncate(status, 1900)),
        {
            "type": "actions",
            "elements": [
                button("Check in", action=Action.CHECKIN, value=monday.isoformat(), style="primary")
            ],
        },
    ]


CONFIDENCES = ("1", "2", "3", "4", "5")
_VALUE = "value_"  # + commitment id: the block of a commitment's value for the week
_BLOCKS = {
    fields.WEEK: Block.WEEK.value,
    fields.CONFIDENCE: Block.CONFIDENCE.value,
    fields.WIN: Block.WIN.value,
    fields.BLOCKER: Block.BLOCKER.value,
    fields.ONE_ON_ONE: Block.ONE_ON_ONE.value,
}


def value_block(commitment_id: int) -> str:
    """The block of a commitment's value for the week."""
    return f"{_VALUE}{commitment_id}"


def _commitment_of_block(block_id: str) -> int | None:
    if not block_id.startswith(_VALUE):
        return None
    commitment = read_id(block_id.removeprefix(_VALUE))
    if commitment == NO_ID:
        raise Unreadable()
    return commitment


def block_of(field: str) -> str | None:
    """The check-in's block for a domain field name; None if it has none."""
    measured = fields.parse_measured(field)
    if measured is not None:
        return value_block(measured[0]) if measured[1] == fields.VALUE else None
    return _BLOCKS.get(field)


def checkin_modal(
    plan: PlanView,
    *,
    monday: dt.date,
    previous: WeekCheckin | None = None,
    weeks: Sequence[WeekChoice] = (),
) -> dict[str, Any]:
    """The week's check-in; editing it, every earlier answer is there as stored,
    so submitting it untouched changes nothing. ``weeks``: the quarter's weeks
    so far, for the week picker (choosing one reopens the modal on it)."""
    values = previous.values if previous else {}
    blocks: Blocks = [
        context(
            f"*The week of {week_dates(monday)}* (Monday to Sunday) · {plan.quarter.label}: "
            "what this check-in reports."
        )
    ]
    if weeks:
        blocks.append(week_picker(monday, weeks))
    blocks += [
        _value_input(view, values.get(view.id), locale=plan.owner_locale)
        for view in plan.commitments
    ]
    blocks += _answer_inputs(plan, previous.answers if previous else None)
    return {
        "type": "modal",
        "callback_id": Callback.CHECKIN.value,
        "private_metadata": json.dumps({"plan_id": plan.id, "monday": monday.isoformat()}),
        "title": plain("Weekly check-in"),
        "submit": plain("Check in"),
        "blocks": blocks,
    }


def _answer_inputs(plan: PlanView, answers: CheckinAnswers | None) -> Blocks:
    """Confidence, win, blocker and (with a manager) the 1:1, as answered before."""
    blocks: Blocks = [
        _select(
            Block.CONFIDENCE.value,
            "How confident are you in the plan?",
            choices=[(f"{i} of 5", str(i)) for i in range(1, 6)],
            chosen=str(answers.confidence) if answers and answers.confidence else None,
        ),
        text_input(
            Block.WIN.value,
            "A win in the week",
            initial=answers.win if answers else None,
            multiline=True,
            optional=True,
        ),
        text_input(
            Block.BLOCKER.value,
            "A blocker",
            initial=answers.blocker if answers else None,
            multiline=True,
            optional=True,
        ),
    ]
    if plan.manager_id is not None:
        happened = answers.one_on_one_happened if answers else None
        blocks.append(
            _select(
                Block.ONE_ON_ONE.value,
                "Did your 1:1 with your manager happen?",
                choices=[("Yes", "yes"), ("No", "no")],
                chosen=None if happened is None else ("yes" if happened else "no"),
                optional=True,
            )
        )
    return blocks


def _select(
    block_id: str,
    label: str,
    *,
    choices: list[tuple[str, str]],
    chosen: str | None = None,
    optional: bool = False,
) -> dict[str, Any]:
    options = [{"text": plain(text), "value": value} for text, value in choices]
    element: dict[str, Any] = {"type": "static_select", "action_id": INPUT, "options": options}
    initial = next((option for option in options if option["value"] == chosen), None)
    if initial is not None:
        element["initial_option"] = initial
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
    }
    if optional:
        block["optional"] = True
    return block


def _value_input(
    view: CommitmentView, previous: float | None, *, locale: str | None
) -> dict[str, Any]:
    commitment = view.commitment
    if commitment.kind is CommitmentKind.MILESTONE:
        return _select(
            value_block(view.id),
            truncate(f"{commitment.title}: done?", 150),
            choices=[("Done", "1"), ("Not yet", "0")],
            chosen=None if previous is None else ("1" if previous >= 1 else "0"),
        )
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": INPUT,
        "max_length": NUMBER_MAX,
    }
    if previous is not None:
        element["initial_value"] = typed_number(previous, locale=locale)
    per = " in the week" if commitment.kind is CommitmentKind.ACTIVITY else " so far this quarter"
    label = f"{commitment.title} ({commitment.unit}{per})"
    return {
        "type": "input",
        "block_id": value_block(view.id),
        "label": plain(truncate(label, 150)),
        "element": element,
    }


@dataclass(frozen=True, kw_only=True)
class CheckinSubmission:
    plan_id: int
    monday: dt.date  # as the modal was opened; forgeable, so the service checks it
    values: dict[int, str]  # commitment id -> what was typed or chosen
    confidence: int | None
    win: str | None
    blocker: str | None
    one_on_one: bool | None  # None: not asked, or not answered


def read_submission(view: dict[str, Any]) -> CheckinSubmission:
    """The check-in as typed. Raises Unreadable on forged metadata or state."""
    meta = metadata(view)
    values = field_values(view)
    one_on_one = one(values, Block.ONE_ON_ONE.value)
    confidence = one(values, Block.CONFIDENCE.value)
    week = one(values, Block.WEEK.value)  # the picker, as shown; else the metadata's
    return CheckinSubmission(
        plan_id=metadata_id(meta, "plan_id"),
        monday=iso_date(week if week is not None else meta.get("monday")),
        values={
            commitment: one(values, block) or ""
            for block in values
            if (commitment := _commitment_of_block(block)) is not None
        },
        # Anything but one of the options is no answer: the service asks for one.
        confidence=int(confidence) if confidence in CONFIDENCES else None,
        win=one(values, Block.WIN.value),
        blocker=one(values, Block.BLOCKER.value),
        one_on_one=None if one_on_one is None else one_on_one == "yes",
    )


def errors_for(error: DomainError | ValueError, *, view: dict[str, Any]) -> dict[str, str]:
    """A refused check-in's messages on the blocks submitted; when none of
    them names one (or the refusal is of the whole), all of it on confidence."""
    fallback = {Block.CONFIDENCE.value: str(error)}
    if not isinstance(error, ValidationError):
        return fallback
    present = submitted_blocks(view)
    placed = {block_of(field): message for field, message in error.errors.items()}
    return {
        block: message
        for block, message in placed.items()
        if block is not None and block in present
    } or fallback


def reply_text(
    plan: PlanView,
    *,
    name: str,
    confidence: int,
    win: str | None,
    blocker: str | None,
    values: dict[int, float],
    in_full: bool,
) -> str:
    """The member's reply in a weekly thread: in full only where the channel's
    audience may see the plan (``in_full``, decided by the domain's
    ``shown_in_full``), else only that they checked in and their confidence."""
    head = f"*{escape_mrkdwn(name)}* checked in · confidence {confidence}/5"
    if not in_full:
        return head
    details = _details(plan, values=values, win=win, blocker=blocker, locale=plan.owner_locale)
    return "\n".join([head, *details])


def manager_copy_text(
    plan: PlanView,
    *,
    name: str,
    confidence: int,
    win: str | None,
    blocker: str | None,
    values: dict[int, float],
    one_on_one: bool | None,
    monday: dt.date,
    locale: str | None = None,
) -> str:
    """The whole check-in, for the owner's direct manager alone, in a DM
    (numbers in the manager's ``locale``)."""
    lines = [
        f"*{escape_mrkdwn(name)}* checked in for the week of {week_dates(monday)} "
        f"· confidence {confidence}/5",
        *_details(plan, values=values, win=win, blocker=blocker, locale=locale),
    ]
    if one_on_one is not None:
        lines.append(f"1:1 with you: {'happened' if one_on_one else 'did not happen'}")
    lines.append(
        "_Sent to you alone, as their manager: the team's thread shows only what "
        "the plan's visibility allows._"
    )
    return "\n".join(lines)


def _details(
    plan: PlanView,
    *,
    values: dict[int, float],
    win: str | None,
    blocker: str | None,
    locale: str | None,
) -> list[str]:
    lines = []
    for view in plan.commitments:
        if view.id in values:
            commitment = view.commitment
            value = values[view.id]
            shown = (
                ("done" if value >= 1 else "not yet")
                if commitment.kind is CommitmentKind.MILESTONE
                else f"{typed_number(value, grouped=True, locale=locale)} "
                f"{escape_mrkdwn(commitment.unit)}"
            )
            lines.append(f"• {escape_mrkdwn(commitment.title)}: {shown}")
    if win:
        lines.append(f":trophy: {escape_mrkdwn(truncate(win, 500))}")
    if blocker:
        lines.append(f":construction: {escape_mrkdwn(truncate(blocker, 500))}")
    return lines
