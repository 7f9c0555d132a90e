"""The settings modal (the workspace's, for admins; one team's, for admins and
its lead), and reading it back."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.blocks.forms import field_values, metadata, place_errors, submitted_blocks
from bot.blocks.primitives import context, conversation_select, plain, select, text_input
from bot.domain import fields
from bot.domain.calendar import HOLIDAYS_TEXT_MAX, show_working_days, store_holidays
from bot.domain.commitments import typed_number
from bot.domain.errors import DomainError, ValidationError
from bot.ids import INPUT, Block, Callback
from bot.services.members import TeamSettings, WorkspaceSettings

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [dt.date(2000, month, 1).strftime("%B") for month in range(1, 13)]

# domain field -> its block, for every input of the modal
BLOCKS = {
    fields.FISCAL_START_MONTH: Block.FISCAL_START_MONTH.value,
    fields.LEADERS_CHANNEL: Block.LEADERS_CHANNEL.value,
    fields.TEAM_CHANNEL: Block.TEAM_CHANNEL.value,
    fields.CHECKIN_WEEKDAY: Block.CHECKIN_WEEKDAY.value,
    fields.CHECKIN_TIME: Block.CHECKIN_TIME.value,
    fields.TIMEZONE: Block.TIMEZONE.value,
    fields.STRETCH: Block.STRETCH.value,
    fields.SETTINGS_ADMINS: Block.SETTINGS_ADMINS.value,
    fields.REVIEW_WINDOW_DAYS: Block.REVIEW_WINDOW_DAYS.value,
    fields.GRACE_DAYS: Block.GRACE_DAYS.value,
    fields.WORKING_DAYS: Block.WORKING_DAYS.value,
    fields.HOLIDAYS: Block.HOLIDAYS.value,
    fields.TEAM_HOLIDAYS: Block.TEAM_HOLIDAYS.value,
}
LEAD_NOTE = (
    "You lead this team: you can change its check-in day, time, time zone and channel. "
    "The workspace's settings are for admins."
)


def settings_modal(
    *,
    workspace: WorkspaceSettings | None,
    team: TeamSettings | None,
    settings_admins: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The whole modal for an admin; with no ``workspace``, a team lead's
    modal: that team's part alone."""
    blocks = _team_blocks(team)
    if workspace is None:
        blocks.insert(0, context(LEAD_NOTE))
    else:
        blocks = [
            *_workspace_head(workspace),
            *blocks,
            *_workspace_tail(workspace, team, settings_admins=settings_admins),
        ]
    return {
        "type": "modal",
        "callback_id": Callback.SETTINGS.value,
        "title": plain("myplan settings"),
        "submit": plain("Save"),
        "private_metadata": json.dumps({"team": team.id} if team else {}),
        "blocks": blocks,
    }


def _workspace_head(workspace: WorkspaceSettings) -> list[dict[str, Any]]:
    return [
        select(
            Block.FISCAL_START_MONTH.value,
            "Fiscal year starts in",
            options=[(str(i + 1), name) for i, name in enumerate(MONTHS)],
            initial=str(workspace.fiscal_start_month),
        ),
        {
            "type": "input",
            "block_id": Block.LEADERS_CHANNEL.value,
            "optional": True,
            "label": plain("Leaders channel (shared plans are posted here)"),
            "element": conversation_select(workspace.leaders_channel_id),
        },
    ]


def _team_blocks(team: TeamSettings | None) -> list[dict[str, Any]]:
    return [
        {
            "type": "input",
            "block_id": Block.TEAM_CHANNEL.value,
            "label": plain("Team channel"),
            "hint": plain(
                "Where the team checks in. A channel of no team moves this team's check-ins "
                "there; another team's channel configures that team."
            ),
            "element": conversation_select(team.channel_id if team else None),
        },
        select(
            Block.CHECKIN_WEEKDAY.value,
            "Weekly check-in day",
            options=[(str(i), day) for i, day in enumerate(WEEKDAYS)],
            initial=str(team.checkin_weekday if team else 0),
        ),
        {
            "type": "input",
            "block_id": Block.CHECKIN_TIME.value,
            "label": plain("Check-in time"),
            "element": {
                "type": "timepicker",
                "action_id": INPUT,
                "initial_time": (team.checkin_time if team else dt.time(9)).strftime("%H:%M"),
            },
        },
        text_input(
            Block.TIMEZONE.value,
            "Team time zone",
            initial=team.timezone if team else "UTC",
            max_length=64,
            placeholder="America/New_York",
        ),
        text_input(
            Block.TEAM_HOLIDAYS.value,
            "The team's holidays",
            initial=store_holidays(team.holidays).replace(",", ", ") if team else None,
            optional=True,
            max_length=HOLIDAYS_TEXT_MAX,
            placeholder="2026-12-24, 2026-12-31",
            hint="No prompt and no reminder on these dates, besides the workspace's holidays.",
        ),
    ]


def _workspace_tail(
    workspace: WorkspaceSettings, team: TeamSettings | None, *, settings_admins: tuple[str, ...]
) -> list[dict[str, Any]]:
    admins: dict[str, Any] = {"type": "multi_users_select", "action_id": INPUT}
    if settings_admins:
        admins["initial_users"] = list(settings_admins)
    return [
        text_input(
            Block.STRETCH.value,
            "Stretch for next quarter's targets (%)",
            initial=typed_number(_stretch(workspace, team) * 100),
            max_length=5,
        ),
        text_input(
            Block.REVIEW_WINDOW_DAYS.value,
            "Review window (working days before the quarter's last day)",
            initial=str(workspace.review_window_days),
            max_length=2,
            hint="Owners and managers are asked to review then, with one reminder.",
        ),
        text_input(
            Block.GRACE_DAYS.value,
            "Grace period after the quarter (days)",
            initial=str(workspace.grace_days),
            max_length=2,
            hint="Then a plan nobody reviewed closes by itself and still raises the bar.",
        ),
        text_input(
            Block.WORKING_DAYS.value,
            "Working days",
            initial=show_working_days(workspace.working_days),
            max_length=40,
            placeholder="Mon-Fri",
            hint="Reminders, review requests and nudges fall on these days.",
        ),
        text_input(
            Block.HOLIDAYS.value,
            "Workspace holidays",
            initial=store_holidays(workspace.holidays).replace(",", ", ") or None,
            optional=True,
            max_length=HOLIDAYS_TEXT_MAX,
            placeholder="2026-12-25, 2027-01-01",
            hint="Dates as YYYY-MM-DD: no prompt and no reminder on them.",
        ),
        {
            "type": "input",
            "block_id": Block.SETTINGS_ADMINS.value,
            "optional": True,
            "label": plain("Settings admins"),
            "hint": plain(
                "They may change these settings, as Slack's workspace admins and owners may."
            ),
            "element": admins,
        },
    ]


def _stretch(workspace: WorkspaceSettings, team: TeamSettings | None) -> float:
    return team.stretch if team and team.stretch is not None else workspace.default_stretch


def read_submission(view: dict[str, Any]) -> dict[str, Any]:
    """Every submitted input's raw value, keyed by domain field name (see
    BLOCKS); an input the submission lacks is absent."""
    values = field_values(view)
    return {field: values[block] for field, block in BLOCKS.items() if block in values}


def shown_team_id(view: dict[str, Any]) -> int | None:
    """The team the modal was opened on (a name to look up, never a right)."""
    team = metadata(view).get("team")
    return team if isinstance(team, int) and not isinstance(team, bool) else None


def errors_for(error: DomainError, *, view: dict[str, Any]) -> dict[str, str]:
    """A refusal's messages by block id, each on its field's block when the
    modal has it; any other (or a refusal of the whole) on the team channel's."""
    fallback = BLOCKS[fields.TEAM_CHANNEL]
    if not isinstance(error, ValidationError):
        return {fallback: str(error)}
    return place_errors(
        error.errors,
        block_of=BLOCKS.get,
        present=submitted_blocks(view),
        fallback=fallback,
    )
