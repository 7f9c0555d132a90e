"""Block Kit for a plan as a message: the card, its buttons, the proposal, the team."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from babel.numbers import format_decimal

from bot.blocks.conversation import conversation_blocks
from bot.blocks.primitives import SECTION_MAX, Blocks, button, context, mrkdwn_section
from bot.blocks.text import escape_mrkdwn, progress_bar, render, truncate
from bot.domain.commitments import format_number, weeks_reported
from bot.domain.content import PlanContent, describe_commitment
from bot.domain.numbers import locale_of
from bot.domain.plans import PlanState, Visibility, is_editable
from bot.ids import Action
from bot.services.overview import ReportRow
from bot.services.read_model import CommitmentView, PlanCard, PlanView


def plan_blocks(
    plan: PlanView,
    *,
    owner_name: str,
    manager_name: str | None,
    waiting_names: Sequence[str] = (),
    buttons: Sequence[dict[str, Any]] = (),
) -> Blocks:
    """A plan as a message: header, intentions, commitments with progress,
    the manager's side, recent wins, and the buttons the reader may use."""
    blocks: Blocks = [
        mrkdwn_section(
            render(
                "plan_header.j2",
                quarter=plan.quarter.label,
                owner=owner_name,
                state=plan.state.label,
                revision=plan.revision,
                waiting=[escape_mrkdwn(name) for name in waiting_names],
                needs_manager=plan.state is PlanState.PROPOSED
                and plan.acknowledgement.needs_manager,
                no_manager=plan.no_manager,
            )
        )
    ]
    intro = render("plan_intro.j2", **_intro(plan.content))
    if intro:
        blocks.append(mrkdwn_section(intro))
    if plan.commitments:
        blocks.append({"type": "divider"})
    blocks += [
        _commitment_line(view, weeks_so_far=plan.weeks_so_far, locale=plan.viewer_locale)
        for view in plan.commitments
    ]
    side = plan.content.manager
    if manager_name and (
        side.one_on_one_cadence_weeks or side.coaching_focus or side.other_support
    ):
        blocks.append(
            mrkdwn_section(
                render(
                    "manager_side.j2",
                    manager=escape_mrkdwn(manager_name),
                    cadence=side.one_on_one_cadence_weeks,
                    record=plan.one_on_ones.label if plan.one_on_ones else None,
                    coaching=side.coaching_focus,
                    support=side.other_support,
                )
            )
        )
    if plan.wins:
        wins = " · ".join(
            f"{escape_mrkdwn(truncate(win.text, 200))} ({win.happened_on:%b %-d})"
            for win in plan.wins[-5:]
        )
        blocks.append(context(f":trophy: Wins: {wins}"))
    if buttons:
        blocks.append({"type": "actions", "elements": list(buttons)})
    return blocks


def _commitment_line(
    view: CommitmentView, *, weeks_so_far: int | None, locale: str | None
) -> dict[str, Any]:
    commitment = view.commitment
    reported = len(view.weekly_values)
    weeks = (
        None
        if commitment.is_milestone or not (reported or weeks_so_far)
        else weeks_reported(commitment.rollup, reported=reported, so_far=weeks_so_far)
    )
    return mrkdwn_section(
        render(
            "commitment_line.j2",
            title=commitment.title,
            kind=commitment.kind.label,
            measure=describe_commitment(commitment),
            bar=progress_bar(min(view.progress, 1.0)),
            percent=round(view.progress * 100),
            actual=None if view.actual is None else _number(view.actual, locale=locale),
            weeks=weeks,
        )
    )


def _number(value: float, *, locale: str | None) -> str:
    """What the card's reader reads: in their Slack locale when it is known."""
    if locale is None:
        return format_number(value)
    return str(format_decimal(value, format="#,##0.##", locale=locale_of(locale)))


def _intro(content: PlanContent) -> dict[str, str]:
    return {
        "aspiration": content.aspiration,
        "strengths": content.strengths,
        "growth_areas": content.growth_areas,
        "feedback_acted_on": content.feedback_acted_on,
    }


def card_blocks(card: PlanCard) -> Blocks:
    """A plan's card for its reader: the owner's buttons for the owner, the
    manager's for whoever may comment, none for everyone else."""
    plan = card.plan
    buttons = (
        owner_buttons(plan)
        if plan.access.edit
        else manager_buttons(plan)
        if plan.access.comment
        else []
    )
    blocks = plan_blocks(
        plan,
        owner_name=card.owner_name,
        manager_name=card.manager_name,
        waiting_names=card.waiting_names,
    )
    blocks += conversation_blocks(card)
    if buttons:
        blocks.append({"type": "actions", "elements": list(buttons)})
    return blocks


def owner_buttons(plan: PlanView) -> list[dict[str, Any]]:
    value = str(plan.id)
    buttons = [button("Edit plan", action=Action.EDIT, value=value)]
    if plan.state is PlanState.DRAFT and plan.commitments:
        buttons.append(
            button("Propose to my manager", action=Action.PROPOSE, value=value, style="primary")
        )
    if plan.state is PlanState.PROPOSED and plan.owner_id in plan.acknowledgement.waiting_for:
        buttons.append(acknowledge_button(plan_id=plan.id, revision=plan.revision, style=None))
    if plan.content.visibility is Visibility.PUBLIC:
        buttons.append(button("Unshare", action=Action.UNSHARE, value=value))
    else:
        buttons.append(button("Share publicly", action=Action.SHARE, value=value))
    buttons.append(button("Comment", action=Action.COMMENT, value=value))
    return buttons


def manager_buttons(plan: PlanView) -> list[dict[str, Any]]:
    value = str(plan.id)
    buttons = []
    # A proposed plan, or an active one its manager (named mid-quarter) has not acknowledged.
    waited_on = (
        plan.state is PlanState.ACTIVE and plan.viewer_id in plan.acknowledgement.waiting_for
    )
    if (plan.state is PlanState.PROPOSED or waited_on) and plan.access.acknowledge:
        buttons.append(acknowledge_button(plan_id=plan.id, revision=plan.revision))
    editable = is_editable(plan.state)
    if editable and plan.manager_id is not None and plan.manager_id == plan.viewer_id:
        buttons.append(button("Edit my side", action=Action.MANAGER_SIDE, value=value))
    buttons.append(button("Comment", action=Action.COMMENT, value=value))
    if editable and plan.access.suggest:
        buttons.append(button("Suggest an edit", action=Action.SUGGEST, value=value))
    return buttons


def acknowledge_button(
    *, plan_id: int, revision: int, style: str | None = "primary"
) -> dict[str, Any]:
    """*Acknowledge revision N*: its value names the plan and the revision
    acknowledged (a newer revision makes it stale)."""
    return button(
        f"Acknowledge revision {revision}",
        action=Action.ACKNOWLEDGE,
        value=json.dumps({"plan": plan_id, "revision": revision}),
        style=style,
    )


def proposal_blocks(
    plan: PlanView, *, owner_name: str, manager_name: str | None, changes: Sequence[str]
) -> Blocks:
    """What the manager receives: the request, what changed, the plan, and
    what acknowledging means."""
    return [
        mrkdwn_section(
            render(
                "proposed_to_manager.j2",
                owner=plan.owner_slack_user_id,
                quarter=plan.quarter.label,
                revision=plan.revision,
                changes=list(changes),
            )
        ),
        *plan_blocks(
            plan, owner_name=owner_name, manager_name=manager_name, buttons=manager_buttons(plan)
        ),
        context(render("acknowledgement_meaning.j2")),
    ]


HOME_TEAM_ROWS = 45  # App Home shares its 100 blocks with the plan; /myplan team lists all
TEAM_PAGE_ROWS = 20  # two blocks a report at most, within a message's 50


def team_page_blocks(rows: Sequence[ReportRow], *, page: int = 0) -> Blocks:
    """`/myplan team`: every report, a page at a time, each with what the
    manager can do: open their plan, acknowledge it, write their review."""
    if not rows:
        return [mrkdwn_section("Nobody reports to you in myplan yet.")]
    pages = (len(rows) + TEAM_PAGE_ROWS - 1) // TEAM_PAGE_ROWS
    page = min(max(page, 0), pages - 1)
    shown = rows[page * TEAM_PAGE_ROWS : (page + 1) * TEAM_PAGE_ROWS]
    heading = f"*Your team* · {len(rows)} report{'s' if len(rows) != 1 else ''}"
    if pages > 1:
        heading += f" · page {page + 1} of {pages}"
    blocks: Blocks = [mrkdwn_section(heading)]
    for row in shown:
        section = mrkdwn_section(report_line(row))
        if row.plan_id is not None:
            section["accessory"] = button(
                "Open", action=Action.OPEN_REPORT, value=row.slack_user_id
            )
        blocks.append(section)
        doable = _report_buttons(row)
        if doable:
            blocks.append({"type": "actions", "elements": doable})
    turns = [
        button(label, action=Action.TEAM_PAGE, value=str(target))
        for label, target, shown_if in (
            ("Previous", page - 1, page > 0),
            ("Next", page + 1, page < pages - 1),
        )
        if shown_if
    ]
    if turns:
        blocks.append({"type": "actions", "elements": turns})
    return blocks


def _report_buttons(row: ReportRow) -> list[dict[str, Any]]:
    if row.plan_id is None:
        return []
    doable = []
    if row.to_acknowledge and row.revision is not None:
        doable.append(acknowledge_button(plan_id=row.plan_id, revision=row.revision))
    if row.state in (PlanState.IN_REVIEW, PlanState.CLOSED):
        doable.append(button("Review", action=Action.REVIEW, value=str(row.plan_id)))
    return doable


def team_blocks(rows: Sequence[ReportRow], *, today: dt.date) -> Blocks:
    if not rows:
        return [mrkdwn_section("Nobody reports to you in myplan yet.")]
    lines = [report_line(row) for row in rows[:HOME_TEAM_ROWS]]
    if len(rows) > HOME_TEAM_ROWS:
        lines.append(f"…and {len(rows) - HOME_TEAM_ROWS} more: `/myplan team` lists everyone.")
    blocks: Blocks = [
        mrkdwn_section(f"*Your team* · {len(rows)} report{'s' if len(rows) != 1 else ''}")
    ]
    chunk: list[str] = []
    for line in lines:
        if len("\n".join([*chunk, line])) > SECTION_MAX - 100:
            blocks.append(mrkdwn_section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(mrkdwn_section("\n".join(chunk)))
    return blocks


def report_line(row: ReportRow) -> str:
    state = row.state.label if row.state else "No plan yet"
    checked = (
        f"last check-in week of {row.last_checkin:%b %-d}"
        if row.last_checkin
        else "no check-in yet"
    )
    progress = (
        f"{progress_bar(row.progress, 8)} {round(row.progress * 100)}%"
        if row.progress is not None
        else ""
    )
    name = escape_mrkdwn(row.name or row.slack_user_id)
    meetings = f" · {row.one_on_ones.label}" if row.one_on_ones else ""
    return f"*{name}* · {state} · {checked} {progress}{meetings}".strip()


def proposal_nudge_blocks(*, plan_id: int, quarter_label: str, first: bool) -> tuple[str, Blocks]:
    """A draft's owner, asked to propose it: in the quarter's first week, then weekly."""
    text = (
        f"{quarter_label} has started and your plan for it is still a draft. "
        "Look it over and propose it to your manager: check-ins start once it is proposed."
        if first
        else f"A weekly nudge: your {quarter_label} plan is still a draft. "
        "Propose it to your manager to start checking in."
    )
    return text, [
        mrkdwn_section(text),
        {
            "type": "actions",
            "elements": [
                button("Edit plan", action=Action.EDIT, value=str(plan_id)),
                button(
                    "Propose to my manager",
                    action=Action.PROPOSE,
                    value=str(plan_id),
                    style="primary",
                ),
            ],
        },
    ]
