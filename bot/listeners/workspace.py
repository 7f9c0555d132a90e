"""Joining: the onboarding modal and the settings modal."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks import onboarding, settings
from bot.blocks.builder import builder_for
from bot.db.session import Database
from bot.domain import fields
from bot.domain.calendar import (
    GRACE_DAYS_MAX,
    REVIEW_WINDOW_MAX,
    parse_days_setting,
    parse_holidays,
    parse_working_days,
)
from bot.domain.commitments import parse_number
from bot.domain.errors import DomainError, ValidationError
from bot.domain.permissions import ChannelMembership
from bot.domain.quarters import zone
from bot.domain.settings import WORKSPACE_FIELDS
from bot.ids import Callback
from bot.listeners.profiles import channel_membership, reading, slack_profile
from bot.listeners.running import Registrar
from bot.usecases import settings as usecase
from bot.usecases import workspace
from bot.usecases.common import Actor
from bot.usecases.settings import SettingsInput, TeamInput, WorkspaceInput

SLACK_USER = re.compile(r"[UW][A-Z0-9]{2,31}")
SLACK_CHANNEL = re.compile(r"[CGD][A-Z0-9]{2,31}")
WALL_CLOCK = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


def _one(values: dict[str, Any], field: str) -> str | None:
    """The one string an input was answered with; a list or a number (a
    forged client) reads as unanswered, and is refused on its field."""
    value = values.get(field)
    return value if isinstance(value, str) else None


def register(on: Registrar) -> None:
    on.view(Callback.ONBOARDING.value, onboarding_submitted)
    on.view(Callback.SETTINGS.value, settings_submitted)


def onboarding_submitted(
    ack: Ack, view: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    typed = onboarding.read_submission(view)
    manager, channel = typed.manager_user_id, typed.channel_id
    # Names, time zone and admin flag come from Slack, kept from now on; the
    # manager's too (and whether they may be one); and whether the person is in
    # the channel they name (a team is its channel's members). Read side by side.
    profile = reading(lambda: slack_profile(client, actor.slack_user_id))
    manager_profile = reading(lambda: slack_profile(client, manager) if manager else None)
    membership = reading(
        lambda: (
            channel_membership(client, channel_id=channel, slack_user_id=actor.slack_user_id)
            if channel
            else ChannelMembership.UNSEEN
        )
    )
    try:
        opened = workspace.complete_onboarding(
            db,
            actor=actor,
            profile=profile.result(),
            manager_slack_user_id=manager,
            manager_profile=manager_profile.result(),
            no_manager=typed.no_manager,
            channel_id=channel,
            channel_membership=membership.result(),
            now=now,
        )
    except ValidationError as error:
        ack(response_action="errors", errors=onboarding.errors_for(error))
        return
    ack(response_action="update", view=builder_for(opened.plan))


def settings_submitted(
    ack: Ack, view: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    typed = _settings_input(settings.read_submission(view), view)
    if isinstance(typed, ValidationError):
        ack(response_action="errors", errors=settings.errors_for(typed, view=view))
        return
    refused: DomainError | None
    try:
        refused = usecase.save_settings(
            db,
            actor=actor,
            # Admin rights are read from Slack again now: one demoted since the
            # modal opened has them no longer.
            profile=slack_profile(client, actor.slack_user_id),
            settings=typed,
            now=now,
        )
    except DomainError as error:
        refused = error
    if refused is not None:
        ack(response_action="errors", errors=settings.errors_for(refused, view=view))
        return
    ack()


def _settings_input(
    values: dict[str, Any], view: dict[str, Any]
) -> SettingsInput | ValidationError:
    """The submission, typed; what cannot be read is refused on its field."""
    errors: dict[str, str] = {}
    month = _one(values, fields.FISCAL_START_MONTH) or "1"
    if month not in {str(number) for number in range(1, 13)}:
        errors[fields.FISCAL_START_MONTH] = "Choose the month the fiscal year starts in."
    weekday = _one(values, fields.CHECKIN_WEEKDAY) or "0"
    if weekday not in {str(day) for day in range(7)}:
        errors[fields.CHECKIN_WEEKDAY] = "Choose the day of the weekly check-in."
    wall_clock = WALL_CLOCK.fullmatch(_one(values, fields.CHECKIN_TIME) or "09:00")
    if wall_clock is None:
        errors[fields.CHECKIN_TIME] = "Choose the check-in time, like 09:00."
    stretch = 0.10
    try:
        typed = (_one(values, fields.STRETCH) or "10").strip().removesuffix("%")
        stretch = parse_number(typed, field=fields.STRETCH, label="stretch") / 100
    except ValidationError:
        errors[fields.STRETCH] = "Enter the stretch as a percentage, like 10."
    timezone = (_one(values, fields.TIMEZONE) or "UTC").strip()
    try:
        zone(timezone)
    except ValidationError as error:
        errors[fields.TIMEZONE] = error.errors[fields.TIMEZONE]
    channel = values.get(fields.TEAM_CHANNEL)
    if not isinstance(channel, str) or not SLACK_CHANNEL.fullmatch(channel):
        errors[fields.TEAM_CHANNEL] = "Choose the team's channel."
    leaders = values.get(fields.LEADERS_CHANNEL) or None
    if leaders is not None and not (isinstance(leaders, str) and SLACK_CHANNEL.fullmatch(leaders)):
        errors[fields.LEADERS_CHANNEL] = "Choose a channel of this workspace."
    admins = values.get(fields.SETTINGS_ADMINS) or []
    if not isinstance(admins, list) or not all(
        isinstance(user, str) and SLACK_USER.fullmatch(user) for user in admins
    ):
        errors[fields.SETTINGS_ADMINS] = "Choose people of this workspace."
    calendar = _calendar_input(values, errors)
    if errors or wall_clock is None:
        return ValidationError(errors)
    hour, minute = int(wall_clock[1]), int(wall_clock[2])
    return SettingsInput(
        workspace=WorkspaceInput(
            submitted=frozenset(name for name in WORKSPACE_FIELDS if name in values),
            fiscal_start_month=int(month),
            leaders_channel_id=leaders,
            default_stretch=stretch,
            settings_admins=tuple(admins),
            **calendar.workspace,
        ),
        team=TeamInput(
            shown_team_id=settings.shown_team_id(view),
            channel_id=str(channel),
            checkin_weekday=int(weekday),
            checkin_time=dt.time(hour, minute),
            timezone=timezone,
            holidays=calendar.team_holidays,
        ),
    )


@dataclass(frozen=True)
class _CalendarInput:
    workspace: dict[str, Any]  # WorkspaceInput's calendar fields, as submitted
    team_holidays: frozenset[dt.date] | None


def _calendar_input(values: dict[str, Any], errors: dict[str, str]) -> _CalendarInput:
    """The calendar's settings, each refused on its own field when unreadable;
    one the submission lacks keeps its default (and is not marked submitted)."""
    workspace: dict[str, Any] = {}
    readers: dict[str, Callable[[str], Any]] = {
        fields.REVIEW_WINDOW_DAYS: lambda text: parse_days_setting(
            text,
            field_name=fields.REVIEW_WINDOW_DAYS,
            low=1,
            high=REVIEW_WINDOW_MAX,
            what="The review window",
        ),
        fields.GRACE_DAYS: lambda text: parse_days_setting(
            text, field_name=fields.GRACE_DAYS, low=0, high=GRACE_DAYS_MAX, what="The grace period"
        ),
        fields.WORKING_DAYS: lambda text: parse_working_days(text, field_name=fields.WORKING_DAYS),
        fields.HOLIDAYS: lambda text: parse_holidays(text, field_name=fields.HOLIDAYS),
    }
    for name, read in readers.items():
        if name not in values:
            continue
        try:
            workspace[name] = read(_one(values, name) or "")
        except ValidationError as error:
            errors.update(error.errors)
    team_holidays = None
    if fields.TEAM_HOLIDAYS in values:
        try:
            team_holidays = parse_holidays(
                _one(values, fields.TEAM_HOLIDAYS) or "", field_name=fields.TEAM_HOLIDAYS
            )
        except ValidationError as error:
            errors.update(error.errors)
    return _CalendarInput(workspace=workspace, team_holidays=team_holidays)
