"""The App Home: your plan, your team, and the leaders' public plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from bot.blocks.conversation import conversation_blocks
from bot.blocks.plan_card import owner_buttons, plan_blocks, team_blocks
from bot.blocks.primitives import Blocks, button, context, mrkdwn_section
from bot.blocks.text import escape_mrkdwn
from bot.domain.conversation import Conversation
from bot.domain.plans import PlanState
from bot.domain.quarters import Quarter
from bot.ids import Action
from bot.services.overview import ReportRow
from bot.services.read_model import PlanCard, PlanView

HOME_BLOCKS_MAX = 100


def _own_plan(
    plan: PlanView, *, owner_name: str, manager_name: str | None, conversation: Conversation
) -> Blocks:
    """The member's plan, its conversation, and their buttons."""
    card = PlanCard(
        plan=plan,
        owner_name=owner_name,
        manager_name=manager_name,
        waiting_names=(),
        conversation=conversation,
    )
    return [
        *plan_blocks(plan, owner_name=owner_name, manager_name=manager_name),
        *conversation_blocks(card),
        {"type": "actions", "elements": owner_buttons(plan)},
    ]


def home_view(
    *,
    plan: PlanView | None,
    owner_name: str,
    manager_name: str | None,
    checked_in_this_week: bool,
    past: Sequence[tuple[Quarter, PlanState]],
    team: Sequence[ReportRow],
    public_plans: Sequence[tuple[PlanView, str]],
    today: dt.date,
    conversation: Conversation | None = None,
) -> dict[str, Any]:
    blocks: Blocks = [{"type": "header", "text": {"type": "plain_text", "text": "Your plan"}}]
    if plan is None:
        blocks += [
            mrkdwn_section("You have no plan for this quarter yet."),
            {
                "type": "actions",
                "elements": [
                    button("Start my plan", action=Action.START, value="start", style="primary")
                ],
            },
        ]
    else:
        blocks += _own_plan(
            plan,
            owner_name=owner_name,
            manager_name=manager_name,
            conversation=conversation or Conversation(),
        )
        week = (
            "You checked in this week. :white_check_mark:"
            if checked_in_this_week
            else ("You have not checked in this week yet.")
        )
        blocks.append(context(week))
    if past:
        history = " · ".join(f"{quarter.label}: {state.label}" for quarter, state in past[:8])
        blocks.append(context(f"Past quarters: {history}"))
    if team:
        blocks += [{"type": "divider"}, *team_blocks(team, today=today)]
    if public_plans:
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": "Public plans"}})
        for shared, name in public_plans:
            aspiration = shared.content.aspiration or "No aspiration written yet"
            done = [round(view.progress * 100) for view in shared.commitments]
            progress = f" · {sum(done) // len(done)}% on average" if done else ""
            blocks.append(
                mrkdwn_section(
                    f"*{escape_mrkdwn(name)}* · {shared.state.label}{progress}\n"
                    f"{escape_mrkdwn(aspiration)}"
                )
            )
    if len(blocks) > HOME_BLOCKS_MAX:
        blocks = [*blocks[: HOME_BLOCKS_MAX - 1], context("More in `/myplan`.")]
    return {"type": "home", "blocks": blocks}
