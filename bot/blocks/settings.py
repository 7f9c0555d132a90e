"""The settings modal (workspace and one team), and reading it back."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from bot.blocks.forms import field_values, one, slack_id
from bot.blocks.primitives import conversation_select, plain, select, text_input
from bot.domain import fields
from bot.domain.commitments import parse_number, typed_number
from bot.domain.errors import DomainError, ValidationError
from bot.domain.quarters import zone
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
_REFUSABLE = (
    fields.STRETCH,
    fields.TIMEZONE,
    fields.FISCAL_START_MONTH,
    fields.CHECKIN_WEEKDAY,
    fields.TEAM_CHANNEL,
    fields.CHECKIN_TIME,
)


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
                initial=typed_number(_stretch(workspace, team) * 100),
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


@dataclass(frozen=True, kw_only=True)
class SettingsSubmission:
    fiscal_start_month: int
    leaders_channel_id: str | None
    stretch: float  # a fraction: 10% is 0.1
    team_channel_id: str
    checkin_weekday: int
    checkin_time: dt.time
    timezone: str


_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


def read_settings(view: dict[str, Any]) -> SettingsSubmission:
    """The settings as typed. Raises ValidationError naming each field that is
    wrong (a missing channel, 25:00, weekday x), Unreadable on a forged id."""
    values = read_submission(view)
    errors: dict[str, str] = {}
    month = one(values, fields.FISCAL_START_MONTH) or "1"
    if month not in {str(i) for i in range(1, 13)}:
        errors[fields.FISCAL_START_MONTH] = "Choose the month the fiscal year starts in."
    weekday = one(values, fields.CHECKIN_WEEKDAY) or "0"
    if weekday not in {str(i) for i in range(7)}:
        errors[fields.CHECKIN_WEEKDAY] = "Choose the day of the weekly check-in."
    time = _TIME.fullmatch(one(values, fields.CHECKIN_TIME) or "09:00")
    if time is None:
        errors[fields.CHECKIN_TIME] = "Choose the check-in time, like 09:00."
    channel = slack_id(values.get(fields.TEAM_CHANNEL))
    if channel is None:
        errors[fields.TEAM_CHANNEL] = "Choose the team channel to configure."
    timezone = (one(values, fields.TIMEZONE) or "UTC").strip()
    try:
        zone(timezone)
    except ValidationError as error:
        errors.update(error.errors)
    stretch = 0.0
    try:
        typed = (one(values, fields.STRETCH) or "10").strip().removesuffix("%")
        stretch = parse_number(typed, field=fields.STRETCH, label="stretch") / 100
    except ValidationError:
        errors[fields.STRETCH] = "Enter the stretch as a percentage, like 10."
    if errors or time is None or channel is None:
        raise ValidationError(errors)
    return SettingsSubmission(
        fiscal_start_month=int(month),
        leaders_channel_id=slack_id(values.get(fields.LEADERS_CHANNEL)),
        stretch=stretch,
        team_channel_id=channel,
        checkin_weekday=int(weekday),
        checkin_time=dt.time(int(time[1]), int(time[2])),
        timezone=timezone,
    )


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
