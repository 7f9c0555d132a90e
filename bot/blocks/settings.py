"""The settings modal (workspace and one team), and reading it back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.blocks.forms import field_values
from bot.blocks.primitives import conversation_select, plain, select, text_input
from bot.domain import fields
from bot.domain.commitments import format_number
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
}
# the fields a refusal can name; any other message goes on the first block
_REFUSABLE = (fields.STRETCH, fields.TIMEZONE, fields.FISCAL_START_MONTH, fields.CHECKIN_WEEKDAY)


def settings_modal(*, workspace: WorkspaceSettings, team: TeamSettings | None) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": Callback.SETTINGS.value,
        "title": plain("myplan settings"),
        "submit": plain("Save"),
        "blocks": [
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
            {
                "type": "input",
                "block_id": Block.TEAM_CHANNEL.value,
                "label": plain("Team channel to configure"),
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
                Block.STRETCH.value,
                "Stretch for next quarter's targets (%)",
                initial=format_number(_stretch(workspace, team) * 100),
                max_length=5,
            ),
        ],
    }


def _stretch(workspace: WorkspaceSettings, team: TeamSettings | None) -> float:
    return team.stretch if team and team.stretch is not None else workspace.default_stretch


def read_submission(view: dict[str, Any]) -> dict[str, Any]:
    """Every submitted input's raw value, keyed by domain field name (see
    BLOCKS); an input the submission lacks is absent."""
    values = field_values(view)
    return {field: values[block] for field, block in BLOCKS.items() if block in values}


def errors_for(error: DomainError) -> dict[str, str]:
    """A refusal's messages by block id; a message for no input of its own
    (or a refusal of the whole) goes on the fiscal year's."""
    fallback = BLOCKS[fields.FISCAL_START_MONTH]
    if not isinstance(error, ValidationError):
        return {fallback: str(error)}
    return {
        (BLOCKS[field] if field in _REFUSABLE else fallback): message
        for field, message in error.errors.items()
    }
