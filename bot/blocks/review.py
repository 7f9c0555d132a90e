"""Block Kit for the quarterly raise-the-bar review."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.blocks.forms import (
    Unreadable,
    field_values,
    metadata,
    metadata_id,
    one,
    submitted_blocks,
)
from bot.blocks.primitives import Blocks, button, context, mrkdwn_section, plain, text_input
from bot.blocks.text import escape_mrkdwn, truncate
from bot.domain import fields
from bot.domain.commitments import Direction, format_number, typed_number
from bot.domain.conversation import Conversation
from bot.domain.errors import DomainError, ValidationError
from bot.domain.keys import NO_ID, read_id
from bot.domain.text import NUMBER_MAX
from bot.ids import INPUT, Action, Block, Callback
from bot.services.reviews import BarProposal, ChosenBar, ReviewProposal
from bot.services.standards import Standard
from bot.usecases.reviews import Closed


def review_request_blocks(
    *, plan_id: int, quarter_label: str, owner_name: str, for_owner: bool
) -> Blocks:
    whose = "your" if for_owner else f"{escape_mrkdwn(owner_name)}'s"
    return [
        mrkdwn_section(
            f"*Time to review {whose} {quarter_label} plan.* What was achieved becomes "
            "next quarter's baseline, and the targets move up by the team's stretch."
        ),
        {
            "type": "actions",
            "elements": [
                button(
                    "Review the quarter", action=Action.REVIEW, value=str(plan_id), style="primary"
                )
            ],
        },
    ]


_BLOCKS = {fields.REFLECTION: Block.REFLECTION.value, fields.REASON: Block.REASON.value}


def read_manager_reflection(view: dict[str, Any]) -> tuple[int, str]:
    """The plan and the manager's reflection as typed. Raises Unreadable when forged."""
    plan_id = metadata_id(metadata(view), "plan_id")
    return plan_id, one(field_values(view), Block.MANAGER_REFLECTION.value) or ""


_BAR_FIELDS = (fields.BASELINE, fields.TARGET)


def bar_block(commitment_id: int, name: str) -> str:
    """The block of next quarter's baseline or target for a commitment."""
    return f"{name}_{commitment_id}"


def block_of(field: str) -> str | None:
    """The review's block for a domain field name; None if it has none."""
    measured = fields.parse_measured(field)
    if measured is not None:
        return bar_block(*measured) if measured[1] in _BAR_FIELDS else None
    return _BLOCKS.get(field)


def review_modal(
    proposal: ReviewProposal,
    *,
    editable: bool,
    reflects: bool = False,
    conversation: Conversation | None = None,
) -> dict[str, Any]:
    """The quarter's review: the owner closes it (``editable``), the manager
    writes their reflection (``reflects``); both read what it holds so far and
    the plan's conversation (saved feedback, comments)."""
    plan = proposal.plan
    meetings = f" · {plan.one_on_ones.label}" if plan.one_on_ones else ""
    blocks: Blocks = [
        context(
            f"*{plan.quarter.label}* · stretch {format_number(proposal.stretch * 100)}% · "
            f"{len(proposal.wins)} win{'s' if len(proposal.wins) != 1 else ''} this quarter"
            f"{meetings}"
        ),
    ]
    for bar in proposal.bars:
        blocks += _bar(bar, editable=editable, locale=proposal.locale)
    if proposal.wins:
        blocks.append(
            context(truncate("Wins: " + " · ".join(escape_mrkdwn(w) for w in proposal.wins), 1900))
        )
    blocks += _kept(proposal, conversation or Conversation())
    if reflects and not editable:
        blocks.append(_manager_reflection(proposal))
    if editable:
        blocks += [
            text_input(
                Block.REFLECTION.value,
                "Your reflection on the quarter",
                multiline=True,
                optional=True,
            ),
            text_input(
                Block.REASON.value,
                "If you lower a bar: why?",
                multiline=True,
                optional=True,
                hint="A lower bar than proposed needs a reason. It is kept with the plan.",
            ),
        ]
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": Callback.REVIEW.value,
        "private_metadata": json.dumps({"plan_id": plan.id}),
        "title": plain("Quarterly review"),
        "close": plain("Close"),
        "blocks": blocks[:100],
    }
    if editable:
        view["submit"] = plain("Close the quarter")
    elif reflects:
        view["callback_id"] = Callback.MANAGER_REFLECTION.value
        view["submit"] = plain("Save my reflection")
    return view


def _manager_reflection(proposal: ReviewProposal) -> dict[str, Any]:
    return text_input(
        Block.MANAGER_REFLECTION.value,
        "Your reflection on their quarter, as their manager",
        initial=proposal.manager_reflection or None,
        multiline=True,
    )


def _kept(proposal: ReviewProposal, conversation: Conversation) -> Blocks:
    """What the review holds so far, and what was said around the plan."""
    lines = []
    if proposal.owner_reflection:
        lines.append(f"*Their reflection* {escape_mrkdwn(proposal.owner_reflection)}")
    if proposal.manager_reflection:
        lines.append(f"*The manager's reflection* {escape_mrkdwn(proposal.manager_reflection)}")
    for title, reason in proposal.lowered:
        lines.append(f"*Bar lowered* on {escape_mrkdwn(title)}: {escape_mrkdwn(reason)}")
    for saved in conversation.feedback:
        lines.append(f"*Feedback saved* {escape_mrkdwn(saved.text)}")
    for comment in conversation.comments:
        lines.append(
            f"*{escape_mrkdwn(comment.author_name)}* "
            f"{'suggested' if comment.is_suggestion else 'wrote'}: {escape_mrkdwn(comment.text)}"
        )
    return [context(truncate(line, 1900)) for line in lines]


def _bar(bar: BarProposal, *, editable: bool, locale: str | None = None) -> Blocks:
    """One commitment's quarter, what is proposed next, and (editable) the inputs."""
    actual = (
        "no check-ins"
        if bar.actual is None
        else f"{format_number(bar.actual)} {escape_mrkdwn(bar.unit)}"
    )
    target = format_number(bar.target)
    line = f"*{escape_mrkdwn(bar.title)}* · actual {actual} against a target of {target}"
    if bar.proposed is None:
        return [mrkdwn_section(line + "\n_Milestones do not carry over._")]
    blocks: Blocks = [
        mrkdwn_section(
            line + f"\nProposed for next quarter: {format_number(bar.proposed.baseline)} \u2192 "
            f"{format_number(bar.proposed.target)}"
            + (
                f" (the team's standard is {format_number(bar.standard)})"
                if bar.standard is not None
                else ""
            )
        )
    ]
    if editable:
        for field, value in (
            (fields.BASELINE, bar.proposed.baseline),
            (fields.TARGET, bar.proposed.target),
        ):
            blocks.append(
                {
                    "type": "input",
                    "block_id": bar_block(bar.commitment_id, field),
                    "label": plain(truncate(f"{bar.title}: next {field}", 150)),
                    "element": {
                        "type": "plain_text_input",
                        "action_id": INPUT,
                        "max_length": NUMBER_MAX,
                        "initial_value": typed_number(value, locale=locale),
                    },
                }
            )
    return blocks


@dataclass(frozen=True, kw_only=True)
class ReviewSubmission:
    plan_id: int
    reflection: str
    reason: str | None  # why a bar is lower than proposed
    chosen: dict[int, ChosenBar]  # commitment id -> the bar as typed


def read_submission(view: dict[str, Any]) -> ReviewSubmission:
    """The review as typed. Raises Unreadable on forged metadata or state."""
    plan_id = metadata_id(metadata(view), "plan_id")
    values = field_values(view)
    chosen: dict[int, ChosenBar] = {}
    for block_id in values:
        field, _, number = block_id.partition("_")
        if field != fields.BASELINE:
            continue
        commitment = read_id(number)
        if commitment == NO_ID:
            raise Unreadable()
        chosen[commitment] = ChosenBar(
            baseline=one(values, block_id) or "",
            target=one(values, bar_block(commitment, fields.TARGET)) or "",
        )
    return ReviewSubmission(
        plan_id=plan_id,
        reflection=one(values, Block.REFLECTION.value) or "",
        reason=one(values, Block.REASON.value),
        chosen=chosen,
    )


def errors_for(error: DomainError, *, view: dict[str, Any]) -> dict[str, str]:
    """A refused review's messages on their blocks; one whose block was not
    submitted goes on the reason, a refusal of the whole on the reflection."""
    if not isinstance(error, ValidationError):
        return {Block.REFLECTION.value: str(error)}
    present = submitted_blocks(view)
    placed: dict[str, str] = {}
    for field, message in error.errors.items():
        block = block_of(field)
        placed[block if block is not None and block in present else Block.REASON.value] = message
    return placed


def standards_blocks(
    *, team_id: int, team_name: str, quarter_label: str, standards: Sequence[Standard]
) -> Blocks:
    """What the leader approves: each shared metric's minimum for next quarter."""
    lines = []
    for standard in standards:
        if standard.proposed is None:
            continue
        was = "none yet" if standard.minimum is None else format_number(standard.minimum)
        better = "higher" if standard.direction is Direction.UP else "lower"
        lines.append(
            f"• *{escape_mrkdwn(standard.title)}* "
            f"({escape_mrkdwn(standard.unit)}, {better} is better): "
            f"{was} → *{format_number(standard.proposed)}*, the median of {standard.members} people"
        )
    return [
        mrkdwn_section(
            f"*Team standards for {escape_mrkdwn(team_name or 'your team')} "
            f"after {quarter_label}*\n"
            "Each minimum moves up to what the team's median achieved, never down."
        ),
        mrkdwn_section(truncate("\n".join(lines), 2900)),
        {
            "type": "actions",
            "elements": [
                button(
                    "Approve standards",
                    action=Action.APPROVE_STANDARDS,
                    value=str(team_id),
                    style="primary",
                )
            ],
        },
    ]


def early_close_blocks(
    *, plan_id: int, quarter_label: str, opens_on: dt.date, last_day: dt.date
) -> Blocks:
    """Asked before a quarter is closed ahead of its review window."""
    return [
        mrkdwn_section(
            f"*{quarter_label} is not over yet.* Its review window opens on "
            f"{opens_on:%a %b %-d}. Close the quarter now, early? You can undo it "
            f"until {last_day:%b %-d} (`/myplan review undo`)."
        ),
        {
            "type": "actions",
            "elements": [
                button("Review now, early", action=Action.REVIEW_EARLY, value=str(plan_id))
            ],
        },
    ]


def quarter_closed_blocks(
    *,
    plan_id: int,
    quarter_label: str,
    next_label: str,
    early_until: dt.date | None,
    carried: bool,
    by_grace: bool = False,
) -> tuple[str, Blocks]:
    """What the owner reads when a quarter closes: how, what became of next
    quarter's plan, and the buttons that go with it."""
    if by_grace:
        head = (
            f"Your {quarter_label} plan closed by itself: its grace period is over. "
            "Its actuals are computed from your check-ins."
        )
    else:
        head = "Quarter closed."
    if carried:
        tail = f"Your {next_label} plan is drafted on the new bars: edit it, then propose it."
    else:
        tail = (
            f"You had already edited your {next_label} plan, so its bars are as you left "
            "them. Take the raised bars from this review?"
        )
    text = f"{head} {tail}"
    elements = []
    if not carried:
        elements.append(
            button(
                "Use the new bars", action=Action.APPLY_BARS, value=str(plan_id), style="primary"
            )
        )
    if early_until is not None:
        text += f" You closed it early: you can undo it until {early_until:%b %-d}."
        elements.append(button("Undo the close", action=Action.UNDO_CLOSE, value=str(plan_id)))
    blocks: Blocks = [mrkdwn_section(text)]
    if elements:
        blocks.append({"type": "actions", "elements": elements})
    return text, blocks


def message_of(error: DomainError) -> str:
    """A refusal's words for one field: a field's own message, else the whole's."""
    if isinstance(error, ValidationError) and error.errors:
        return " ".join(error.errors.values())
    return str(error)


def closed_blocks(closed: Closed) -> Blocks:
    """The manager hears that their report closed the quarter: their
    reflection, each lowered bar's reason, and a button to write their own."""
    lines = [f"*{escape_mrkdwn(closed.owner_name)}* closed their {closed.quarter_label} review."]
    if closed.reflection:
        lines.append(f"*Their reflection* {escape_mrkdwn(closed.reflection)}")
    lines += [
        f"*Bar lowered* on {escape_mrkdwn(title)}: {escape_mrkdwn(reason)}"
        for title, reason in closed.lowered
    ]
    return [
        mrkdwn_section(truncate("\n".join(lines), 2900)),
        {
            "type": "actions",
            "elements": [
                button(
                    "Write my reflection",
                    action=Action.REVIEW,
                    value=str(closed.closed_plan_id),
                    style="primary",
                )
            ],
        },
    ]
