"""Block Kit for the quarterly raise-the-bar review."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.blocks.plan import Blocks, button, context, mrkdwn_section, plain, text_input
from bot.blocks.text import escape_mrkdwn, truncate
from bot.domain.commitments import Direction, format_number
from bot.ids import INPUT, Action, Block, Callback
from bot.services.reviews import ReviewProposal
from bot.services.standards import Standard


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
                button("Review the quarter", Action.REVIEW, str(plan_id), style="primary")
            ],
        },
    ]


def review_modal(proposal: ReviewProposal, *, editable: bool) -> dict[str, Any]:
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
        actual = (
            "no check-ins"
            if bar.actual is None
            else f"{format_number(bar.actual)} {escape_mrkdwn(bar.unit)}"
        )
        target = format_number(bar.target)
        line = f"*{escape_mrkdwn(bar.title)}* · actual {actual} against a target of {target}"
        if bar.proposed is None:
            blocks.append(mrkdwn_section(line + "\n_Milestones do not carry over._"))
            continue
        blocks.append(
            mrkdwn_section(
                line
                + f"\nProposed for next quarter: {format_number(bar.proposed.baseline)} \u2192 "
                f"{format_number(bar.proposed.target)}"
                + (
                    f" (the team's standard is {format_number(bar.standard)})"
                    if bar.standard is not None
                    else ""
                )
            )
        )
        if editable:
            for field, value in (
                ("baseline", bar.proposed.baseline),
                ("target", bar.proposed.target),
            ):
                blocks.append(
                    {
                        "type": "input",
                        "block_id": f"{field}_{bar.commitment_id}",
                        "label": plain(truncate(f"{bar.title}: next {field}", 150)),
                        "element": {
                            "type": "plain_text_input",
                            "action_id": INPUT,
                            "max_length": 30,
                            "initial_value": format_number(value).replace(",", ""),
                        },
                    }
                )
    if proposal.wins:
        blocks.append(
            context(truncate("Wins: " + " · ".join(escape_mrkdwn(w) for w in proposal.wins), 1900))
        )
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
    return view


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
                button("Approve standards", Action.APPROVE_STANDARDS, str(team_id), style="primary")
            ],
        },
    ]
