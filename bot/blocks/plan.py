"""Block Kit for plans: the plan card, the plan builder, and the small modals."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from bot.blocks.text import escape_mrkdwn, progress_bar, render, truncate
from bot.domain.commitments import CommitmentKind, Direction, Rollup, format_number
from bot.domain.content import (
    MAX_COMMITMENTS,
    CommitmentInput,
    PlanContent,
    PlanInput,
    commitment_field,
    describe_commitment,
)
from bot.domain.plans import PlanState, Visibility
from bot.ids import INPUT, Action, Block, Callback
from bot.services.members import TeamSettings, WorkspaceSettings
from bot.services.plans import PlanView, ReportRow

Blocks = list[dict[str, Any]]
SECTION_MAX = 3000
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [dt.date(2000, month, 1).strftime("%B") for month in range(1, 13)]


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn_section(text: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": truncate(text, SECTION_MAX)},
        **extra,
    }


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, 2000)}]}


def button(text: str, action: Action, value: str, *, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text),
        "action_id": action.value,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


# -- the plan card -----------------------------------------------------------


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
            )
        )
    ]
    intro = render("plan_intro.j2", **_intro(plan.content))
    if intro:
        blocks.append(mrkdwn_section(intro))
    if plan.commitments:
        blocks.append({"type": "divider"})
    for view in plan.commitments:
        commitment = view.commitment
        blocks.append(
            mrkdwn_section(
                render(
                    "commitment_line.j2",
                    title=commitment.title,
                    kind=commitment.kind.label,
                    measure=describe_commitment(commitment),
                    bar=progress_bar(min(view.progress, 1.0)),
                    percent=round(view.progress * 100),
                    actual=None if view.actual is None else format_number(view.actual),
                )
            )
        )
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


def _intro(content: PlanContent) -> dict[str, str]:
    return {
        "aspiration": content.aspiration,
        "strengths": content.strengths,
        "growth_areas": content.growth_areas,
        "feedback_acted_on": content.feedback_acted_on,
    }


def owner_buttons(plan: PlanView) -> list[dict[str, Any]]:
    value = str(plan.id)
    buttons = [button("Edit plan", Action.EDIT, value)]
    if plan.state is PlanState.DRAFT and plan.commitments:
        buttons.append(button("Propose to my manager", Action.PROPOSE, value, style="primary"))
    if plan.state is PlanState.PROPOSED and plan.owner_id in plan.acknowledgement.waiting_for:
        buttons.append(
            button(f"Acknowledge revision {plan.revision}", Action.ACKNOWLEDGE, _ack_value(plan))
        )
    if plan.content.visibility is not Visibility.PUBLIC:
        buttons.append(button("Share publicly", Action.SHARE, value))
    return buttons


def manager_buttons(plan: PlanView) -> list[dict[str, Any]]:
    value = str(plan.id)
    buttons = []
    if plan.state is PlanState.PROPOSED and plan.access.acknowledge:
        buttons.append(
            button(
                f"Acknowledge revision {plan.revision}",
                Action.ACKNOWLEDGE,
                _ack_value(plan),
                style="primary",
            )
        )
    buttons.append(button("Comment", Action.COMMENT, value))
    buttons.append(button("Suggest an edit", Action.SUGGEST, value))
    return buttons


def _ack_value(plan: PlanView) -> str:
    return json.dumps({"plan": plan.id, "revision": plan.revision})


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


# -- the plan builder --------------------------------------------------------


def text_input(
    block_id: str,
    label: str,
    *,
    initial: str | None = None,
    multiline: bool = False,
    optional: bool = False,
    placeholder: str | None = None,
    hint: str | None = None,
    max_length: int = 3000,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": INPUT,
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = plain(placeholder)
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "optional": optional,
        "element": element,
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def _option(value: str, text: str) -> dict[str, Any]:
    return {"text": plain(text), "value": value}


def _select(
    block_id: str,
    label: str,
    options: Sequence[tuple[str, str]],
    *,
    initial: str | None = None,
    optional: bool = False,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": INPUT,
        "options": [_option(value, text) for value, text in options],
    }
    chosen = [(value, text) for value, text in options if value == initial]
    if chosen:
        element["initial_option"] = _option(*chosen[0])
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "optional": optional,
        "element": element,
    }


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


def plan_input_of(content: PlanContent) -> PlanInput:
    """Stored content, as the builder shows it for editing."""
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
                baseline=None
                if c.kind is CommitmentKind.MILESTONE
                else format_number(c.baseline).replace(",", ""),
                target=None
                if c.kind is CommitmentKind.MILESTONE
                else format_number(c.target).replace(",", ""),
                direction=c.direction.value,
                rollup=c.rollup.value,
                due_date=c.due_date,
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


def plan_builder_modal(
    *, plan_id: int, quarter_label: str, plan: PlanInput, slots: int
) -> dict[str, Any]:
    """The plan builder. Each input's block id is the field name the domain
    reports errors on, so a refused field gets its message in place."""
    blocks: Blocks = [
        context(
            f"*{quarter_label}* · Every commitment needs a measure: a number with a baseline "
            "and a target, or a milestone with a due date."
        ),
        text_input(
            "aspiration",
            "Aspiration: what are you aiming for?",
            initial=plan.aspiration,
            multiline=True,
            placeholder="Become the team's go-to closer for mid-market deals",
        ),
        text_input(
            "strengths",
            "Strengths to stretch",
            initial=plan.strengths,
            multiline=True,
            optional=True,
        ),
        text_input(
            "growth_areas",
            "Growth areas (blind spots)",
            initial=plan.growth_areas,
            multiline=True,
            optional=True,
        ),
        text_input(
            "feedback_acted_on",
            "Feedback you are acting on",
            initial=plan.feedback_acted_on,
            multiline=True,
            optional=True,
        ),
        _select("visibility", "Who can see it", VISIBILITY_OPTIONS, initial=plan.visibility),
    ]
    commitments = list(plan.commitments) + [CommitmentInput()] * max(
        0, slots - len(plan.commitments)
    )
    for index, commitment in enumerate(commitments[:slots]):
        number = index + 1
        blocks += [
            text_input(
                commitment_field(index, "title"),
                f"Commitment {number}: title",
                initial=commitment.title,
                optional=True,
                max_length=150,
                placeholder="Discovery calls" if index == 0 else None,
            ),
            _select(
                commitment_field(index, "kind"),
                f"Commitment {number}: kind",
                KIND_OPTIONS,
                initial=commitment.kind,
                optional=True,
            ),
            text_input(
                commitment_field(index, "unit"),
                f"Commitment {number}: unit",
                initial=commitment.unit,
                optional=True,
                max_length=40,
                placeholder="calls, k$, % win rate",
            ),
            text_input(
                commitment_field(index, "baseline"),
                f"Commitment {number}: baseline (now)",
                initial=commitment.baseline,
                optional=True,
                max_length=30,
            ),
            text_input(
                commitment_field(index, "target"),
                f"Commitment {number}: target",
                initial=commitment.target,
                optional=True,
                max_length=30,
                hint="Activities: per week. Results: for the quarter.",
            ),
            _select(
                commitment_field(index, "direction"),
                f"Commitment {number}: better is",
                DIRECTION_OPTIONS,
                initial=commitment.direction or Direction.UP.value,
                optional=True,
            ),
            _select(
                commitment_field(index, "rollup"),
                f"Commitment {number}: weeks add up as",
                ROLLUP_OPTIONS,
                initial=commitment.rollup,
                optional=True,
            ),
            _date(
                commitment_field(index, "due_date"),
                f"Commitment {number}: due (milestones)",
                commitment.due_date,
            ),
        ]
    if slots < MAX_COMMITMENTS:
        blocks.append(
            {
                "type": "actions",
                "elements": [button("Add a commitment", Action.ADD_COMMITMENT, str(plan_id))],
            }
        )
    blocks += [
        text_input(
            "one_on_one_cadence",
            "Your manager's side: a 1:1 every N weeks",
            initial=plan.one_on_one_cadence,
            optional=True,
            max_length=2,
            placeholder="1",
        ),
        text_input(
            "coaching_focus",
            "Your manager's side: coaching focus",
            initial=plan.coaching_focus,
            optional=True,
            multiline=True,
        ),
        text_input(
            "other_support",
            "Your manager's side: other support",
            initial=plan.other_support,
            optional=True,
            multiline=True,
        ),
    ]
    return {
        "type": "modal",
        "callback_id": Callback.PLAN_BUILDER.value,
        "private_metadata": json.dumps(
            {"plan_id": plan_id, "slots": slots, "quarter": quarter_label}
        ),
        "title": plain("Your plan"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": blocks,
    }


def _date(block_id: str, label: str, initial: dt.date | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "datepicker", "action_id": INPUT}
    if initial:
        element["initial_date"] = initial.isoformat()
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "optional": True,
        "element": element,
    }


# -- small modals ------------------------------------------------------------


def onboarding_modal(*, manager: str | None, channel: str | None) -> dict[str, Any]:
    manager_element: dict[str, Any] = {"type": "users_select", "action_id": INPUT}
    if manager:
        manager_element["initial_user"] = manager
    channel_element: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": INPUT,
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if channel:
        channel_element["initial_conversation"] = channel
    return {
        "type": "modal",
        "callback_id": Callback.ONBOARDING.value,
        "title": plain("Welcome to myplan"),
        "submit": plain("Continue"),
        "blocks": [
            mrkdwn_section(
                "Everyone here has a Personal Improvement Plan: what you aim for this quarter, "
                "measured every week, made together with your manager."
            ),
            {
                "type": "input",
                "block_id": Block.MANAGER.value,
                "optional": True,
                "label": plain("Who is your manager?"),
                "element": manager_element,
                "hint": plain("Leave empty if you have none here."),
            },
            {
                "type": "input",
                "block_id": Block.TEAM_CHANNEL.value,
                "label": plain("Which channel does your team check in to?"),
                "element": channel_element,
            },
        ],
    }


def comment_modal(*, plan_id: int, suggestion: bool, owner_name: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": Callback.COMMENT.value,
        "private_metadata": json.dumps({"plan_id": plan_id, "suggestion": suggestion}),
        "title": plain("Suggest an edit" if suggestion else "Comment"),
        "submit": plain("Send"),
        "blocks": [
            text_input(
                Block.COMMENT.value,
                f"Your {'suggestion' if suggestion else 'comment'} for {truncate(owner_name, 60)}",
                multiline=True,
            ),
        ],
    }


def save_message_modal(*, text: str, link: str | None, author: str | None) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": Callback.SAVE_MESSAGE.value,
        "private_metadata": json.dumps({"link": link, "author": author}),
        "title": plain("Save to my plan"),
        "submit": plain("Save"),
        "blocks": [
            {
                "type": "input",
                "block_id": Block.SAVE_AS.value,
                "label": plain("Save it as"),
                "element": {
                    "type": "radio_buttons",
                    "action_id": INPUT,
                    "options": [_option("win", "A win"), _option("feedback", "Feedback to act on")],
                    "initial_option": _option("win", "A win"),
                },
            },
            text_input(Block.TEXT.value, "Text", initial=text, multiline=True),
        ],
    }


def settings_modal(*, workspace: WorkspaceSettings, team: TeamSettings | None) -> dict[str, Any]:
    leaders: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": INPUT,
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if workspace.leaders_channel_id:
        leaders["initial_conversation"] = workspace.leaders_channel_id
    team_channel: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": INPUT,
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if team:
        team_channel["initial_conversation"] = team.channel_id
    time_element: dict[str, Any] = {
        "type": "timepicker",
        "action_id": INPUT,
        "initial_time": (team.checkin_time if team else dt.time(9)).strftime("%H:%M"),
    }
    stretch = team.stretch if team and team.stretch is not None else workspace.default_stretch
    return {
        "type": "modal",
        "callback_id": Callback.SETTINGS.value,
        "title": plain("myplan settings"),
        "submit": plain("Save"),
        "blocks": [
            _select(
                Block.FISCAL_START_MONTH.value,
                "Fiscal year starts in",
                [(str(i + 1), name) for i, name in enumerate(MONTHS)],
                initial=str(workspace.fiscal_start_month),
            ),
            {
                "type": "input",
                "block_id": Block.LEADERS_CHANNEL.value,
                "optional": True,
                "label": plain("Leaders channel (shared plans are posted here)"),
                "element": leaders,
            },
            {
                "type": "input",
                "block_id": Block.TEAM_CHANNEL.value,
                "label": plain("Team channel to configure"),
                "element": team_channel,
            },
            _select(
                Block.CHECKIN_WEEKDAY.value,
                "Weekly check-in day",
                [(str(i), day) for i, day in enumerate(WEEKDAYS)],
                initial=str(team.checkin_weekday if team else 0),
            ),
            {
                "type": "input",
                "block_id": Block.CHECKIN_TIME.value,
                "label": plain("Check-in time"),
                "element": time_element,
            },
            text_input(
                Block.TIMEZONE.value,
                "Team time zone",
                initial=team.timezone if team else "UTC",
                max_length=64,
                placeholder="America/New_York",
            ),
            text_input(
                Block.STRETCH.value,
                "Stretch for next quarter's targets (%)",
                initial=format_number(stretch * 100),
                max_length=5,
            ),
        ],
    }


def team_blocks(rows: Sequence[ReportRow], *, today: dt.date) -> Blocks:
    if not rows:
        return [mrkdwn_section("Nobody reports to you in myplan yet.")]
    lines = []
    for row in rows[:45]:
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
        lines.append(f"*{name}* · {state} · {checked} {progress}{meetings}".strip())
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


def help_blocks(*, unknown: str | None = None, suggestion: str | None = None) -> Blocks:
    return [mrkdwn_section(render("help.j2", unknown=unknown, suggestion=suggestion))]
